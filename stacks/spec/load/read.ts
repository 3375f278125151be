/**
 * Reading a spec's bytes: the size limits, UTF-8 decoding, and YAML with source positions,
 * refusing (located) what the spec format does not allow.
 */
import type { Document } from 'yaml';
import { specInvalid, specUnreadable, type Problem } from '../../../core/errors';
import { isPlainObject } from './defaults';
import { sortProblems, type SpecPosition } from './positions';
import { yaml } from './yaml';

/** Larger specs are refused before parsing: 1 MiB holds hundreds of jurisdictions. */
export const MAX_SPEC_BYTES = 1024 * 1024;
/**
 * A spec may be a directory of files (`sovereign synth sites/`): each file at most
 * MAX_SPEC_BYTES, all together at most this. 16 MiB is ~5 000 edge sites of ~3 KB; the
 * positioned reader holds about 20× a file's size in nodes while checking it, so the cap
 * keeps reading a directory within a few hundred MB.
 */
export const MAX_SPEC_DIR_BYTES = 16 * 1024 * 1024;
/** Aliases expanded at most this many times (YAML "billion laughs" defence). */
export const MAX_ALIAS_COUNT = 100;

export interface FullRead {
  readonly data: unknown;
  readonly doc: Document;
  readonly at: (offset: number) => SpecPosition;
}

/** YAML with positions: refuses, located, what the spec format does not allow. */
export function readFull(text: string, file: string): FullRead {
  const { LineCounter, parseAllDocuments, visit, isMap } = yaml();
  const lineCounter = new LineCounter();
  const docs = withPlainEnv(() =>
    parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true }),
  );
  const at = (offset: number) => lineCounter.linePos(offset);
  if (!Array.isArray(docs) || docs.length === 0 || docs.every((d) => d.contents === null)) {
    throw specUnreadable(file, 'is empty; a spec starts with `version: 1` and a `jurisdictions:` map');
  }
  if (docs.length > 1) {
    const p = at(docs[1].range[0]);
    throw specUnreadable(
      file,
      'holds several YAML documents (---); put the whole spec in one document',
      p.line,
      p.col,
    );
  }
  const doc = docs[0];
  const problems: Problem[] = [];
  // A tab used as indentation makes the parser report the lines after it as broken in several
  // ways; the tab is the one mistake, reported once per line.
  const tabLines = new Set(
    doc.errors.filter((e) => e.code === 'TAB_AS_INDENT').map((e) => (e.linePos?.[0] ?? at(e.pos[0])).line),
  );
  for (const e of [...doc.errors, ...doc.warnings]) {
    if (e.code === 'TAG_RESOLVE_FAILED') continue; // reported below with every other tag
    if (tabLines.size > 0 && e.code !== 'TAB_AS_INDENT') continue;
    const p = e.linePos?.[0] ?? at(e.pos[0]);
    const message =
      e.code === 'DUPLICATE_KEY'
        ? `key "${/^[^:\n]*/.exec(text.slice(e.pos[0]))?.[0].trim()}" appears more than once in this map; keys must be unique`
        : e.code === 'TAB_AS_INDENT'
          ? 'a tab is used for indentation; YAML indents with spaces only'
          : `YAML: ${firstLine(e.message)}`;
    problems.push({ file, line: p.line, col: p.col, path: '', message });
  }
  // Every tag (`!x`, `!!str`, `!<…>`, a `%TAG` handle) is written with a `!`: without one in
  // the text no node has a tag, and the walk over every node (~30 ms at 900 KB) is skipped.
  if (text.includes('!'))
    visit(doc, {
      Node(_key, node) {
        if (node.tag !== undefined) {
          const p = at(node.range?.[0] ?? 0);
          problems.push({
            file,
            line: p.line,
            col: p.col,
            path: '',
            message: `YAML tag ${node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed; write plain values`,
          });
        }
      },
    });
  if (problems.length > 0) throw specInvalid(file, sortProblems(problems));
  if (!isMap(doc.contents)) {
    const p = at(doc.contents?.range?.[0] ?? 0);
    throw specUnreadable(
      file,
      'is not a mapping; a spec is a map with `version` and `jurisdictions`',
      p.line,
      p.col,
    );
  }

  try {
    return { data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), doc, at };
  } catch (e) {
    const p = firstAlias(doc, at);
    throw specUnreadable(
      file,
      e instanceof ReferenceError
        ? `expands YAML aliases more than ${MAX_ALIAS_COUNT} times; refused as a resource-exhaustion risk`
        : `YAML: ${firstLine((e as Error).message)}`,
      p?.line,
      p?.col,
    );
  }
}

/** The environment variables `yaml` reads (yaml 2.9.1 dist/parse/parser.js, dist/compose/composer.js). */
export const YAML_ENV = ['LOG_TOKENS', 'LOG_STREAM'] as const;

/**
 * Runs `fn` with `process.env` a plain object holding the variables `yaml` reads, as they are.
 * The parser reads `process.env.LOG_TOKENS` (a debugging switch) once per token, and every
 * read of the real `process.env` is a call into Node's C++ environment accessor: ~200 000 of
 * them for a 900 KB spec, ~0.3 µs each. A plain object answers the same (taken when the parse
 * starts; nothing else runs until it ends, the parse is synchronous), and the real one is put
 * back even when the parse throws. Only those variables: copying the whole environment per
 * file cost more than it saved on a directory of 1 000 small files.
 */
export function withPlainEnv<T>(fn: () => T): T {
  const env = process.env;
  const plain: NodeJS.ProcessEnv = {};
  for (const k of YAML_ENV) if (env[k] !== undefined) plain[k] = env[k];
  process.env = plain;
  try {
    return fn();
  } finally {
    process.env = env;
  }
}

/** Paths of every own `__proto__` key in parsed data. */
export function protoKeys(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []) {
  if (Array.isArray(value)) value.forEach((v, i) => protoKeys(v, [...path, i], out));
  else if (isPlainObject(value)) {
    for (const k of Object.keys(value)) {
      if (k === '__proto__') out.push([...path, k]);
      else protoKeys(value[k], [...path, k], out);
    }
  }
  return out;
}

export function decodeUtf8(bytes: Buffer, file: string): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    throw specUnreadable(file, `holds binary content (a NUL byte at offset ${nul}); a spec is UTF-8 text`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw specUnreadable(file, 'is not valid UTF-8 text; save it as UTF-8');
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function firstAlias(doc: Document, at: (o: number) => SpecPosition) {
  let pos: { line: number; col: number } | undefined;
  const { visit } = yaml();
  visit(doc, {
    Alias(_k, node) {
      pos = at(node.range?.[0] ?? 0);
      return visit.BREAK;
    },
  });
  return pos;
}
