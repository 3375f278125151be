/**
 * Reads sovereign.yaml: YAML with source positions → defaults merged → zod schema →
 * semantic checks → a fully resolved SovereignSpec. Every problem is collected with its
 * `file:line:col`, field path, what is wrong and what is allowed, and thrown at once as one
 * SovereignError (exit 2). Nothing here writes a file or loads cdktf.
 */
import * as fs from 'fs';
import type { Document, Node } from 'yaml';
import { type z } from 'zod';
import { isSovereignError, specInvalid, specUnreadable, type Problem } from '../../core/errors';
import { DEFAULTABLE_KEYS, jurisdictionSchema, SPEC_VERSION, specSchema, type SovereignSpec } from './schema';
import { semanticProblems } from './semantics';
import { didYouMean } from '../../core/suggest';

/** The full YAML reader, loaded only when a spec needs it (about 30 ms of start-up). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = (): typeof import('yaml') => require('yaml') as typeof import('yaml');

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

export type SpecPath = readonly (string | number)[];

/** A place in a spec file; `file` names it when the spec is a directory of files. */
export interface SpecPosition {
  line: number;
  col: number;
  file?: string;
}

export interface LoadedSpec {
  /** The file (or directory of files) as the user named it. */
  readonly file: string;
  readonly spec: SovereignSpec;
  /** Line and column of a field, for errors found after loading (construct validation). */
  locate(path: SpecPath): SpecPosition | undefined;
}

/** Loads and validates a spec file; throws SovereignError with every problem. */
export function loadSpec(file: string): LoadedSpec {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw specUnreadable(
      file,
      code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? 'unknown error'})`,
    );
  }
  if (stat.isDirectory()) return loadSpecDir(file);
  if (!stat.isFile()) throw specUnreadable(file, 'is not a regular file');
  if (stat.size > MAX_SPEC_BYTES) {
    throw specUnreadable(
      file,
      `is ${stat.size} bytes; a spec may be at most ${MAX_SPEC_BYTES} bytes (1 MiB)`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw specUnreadable(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  return parseSpec(bytes, file);
}

/** Validates spec content; `file` is used in messages only. */
export function parseSpec(content: Buffer | string, file: string): LoadedSpec {
  const text = typeof content === 'string' ? content : decodeUtf8(content, file);
  if (text.length > MAX_SPEC_BYTES)
    throw specUnreadable(file, `is larger than ${MAX_SPEC_BYTES} bytes (1 MiB)`);

  // One reader for every spec: `yaml`, with node positions (a second, faster reader without
  // them would be a second opinion on what a document says, in a tool that judges documents).
  return validateRead(readFull(text, file), text, file);
}

/** Validates what was read (one file, or the files of a directory combined); see parseSpec. */
function validateRead(full: FullRead, text: string, file: string): LoadedSpec {
  const read = () => full;
  const data = full.data;

  const problems: Problem[] = [];
  const locate = (path: SpecPath) => locateIn(read().doc, read().at, path);
  // JavaScript drops a `__proto__` key in places (zod's records skip it): refuse it outright
  // rather than lose, say, a jurisdiction of that name without a word.
  const proto = text.includes('__proto__') || text.includes('\\') ? protoKeys(data) : [];
  if (proto.length > 0) {
    throw specInvalid(
      file,
      proto.map((path) => {
        const pos = locateKey(read().doc, read().at, path.slice(0, -1), '__proto__');
        return {
          file: pos?.file ?? file,
          line: pos?.line,
          col: pos?.col,
          path: path.join('.'),
          message: '"__proto__" is not allowed as a key',
        };
      }),
    );
  }
  const merged = mergeDefaults(data as Record<string, unknown>);
  const result = specSchema.safeParse(merged);
  if (!result.success) {
    const seen = new Set<string>();
    // A value of the wrong type also fails its refinements: report only the type.
    const mistyped = new Set(
      result.error.issues.filter((i) => i.code === 'invalid_type').map((i) => i.path.join('\u0000')),
    );
    for (const issue of result.error.issues) {
      if (issue.code !== 'invalid_type' && mistyped.has(issue.path.join('\u0000'))) continue;
      for (const p of issueProblems(issue, merged, read().doc, read().at, file)) {
        const k = `${p.line}:${p.col}:${p.path}:${p.message}`;
        if (!seen.has(k)) {
          seen.add(k);
          problems.push(p);
        }
      }
    }
    // Jurisdictions that are well-typed on their own still get their semantic checks, so one
    // run reports as much as it can.
    const mistypedJurisdictions = new Set(
      result.error.issues.filter((i) => i.path[0] === 'jurisdictions').map((i) => String(i.path[1])),
    );
    const raw = (merged as { jurisdictions?: unknown }).jurisdictions;
    if (isPlainObject(raw)) {
      for (const [name, j] of Object.entries(raw)) {
        if (mistypedJurisdictions.has(name)) continue;
        const one = jurisdictionSchema.safeParse(j);
        if (!one.success) continue;
        const resolved = resolvePlaceholders({ version: SPEC_VERSION, jurisdictions: { [name]: one.data } });
        problems.push(...locateSemantic(semanticProblems(resolved)));
      }
    }
    throw specInvalid(file, dedupe(sortProblems(problems)));
  }
  const spec = resolvePlaceholders(result.data);
  problems.push(...locateSemantic(semanticProblems(spec)));
  if (problems.length > 0) throw specInvalid(file, dedupe(sortProblems(problems)));
  return { file, spec, locate };

  function locateSemantic(ps: readonly { path: SpecPath; message: string }[]): Problem[] {
    return ps.map((p) => {
      const origin = originOf(read().doc, p.path);
      const pos = locate(origin);
      return {
        file: pos?.file ?? file,
        line: pos?.line,
        col: pos?.col,
        path: origin.join('.'),
        message: p.message,
      };
    });
  }
}

interface FullRead {
  readonly data: unknown;
  readonly doc: Document;
  readonly at: (offset: number) => SpecPosition;
}

/** YAML with positions: refuses, located, what the spec format does not allow. */
function readFull(text: string, file: string): FullRead {
  const { LineCounter, parseAllDocuments, visit, isMap } = yaml();
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
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

/** Paths of every own `__proto__` key in parsed data. */
function protoKeys(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []) {
  if (Array.isArray(value)) value.forEach((v, i) => protoKeys(v, [...path, i], out));
  else if (isPlainObject(value)) {
    for (const k of Object.keys(value)) {
      if (k === '__proto__') out.push([...path, k]);
      else protoKeys(value[k], [...path, k], out);
    }
  }
  return out;
}

/** A problem that came from a shared default is reported once, not once per jurisdiction. */
function dedupe(ps: Problem[]): Problem[] {
  const seen = new Set<string>();
  return ps.filter((p) => {
    const k = `${p.line}:${p.col}:${p.path}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---------------------------------------------------------------- reading bytes

function decodeUtf8(bytes: Buffer, file: string): string {
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

// ---------------------------------------------------------------- defaults

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Maps merge key by key (but see WHOLE_MAPS); lists and scalar values replace. */
/**
 * Maps that replace rather than merge: the cluster's DNS is one description (namespace,
 * selector, ports, addresses), and a mix of two would select pods or ports neither names.
 */
const WHOLE_MAPS = new Set(['cluster.dns']);

function deepMerge(base: unknown, over: unknown, path = ''): unknown {
  if (!isPlainObject(base) || !isPlainObject(over) || WHOLE_MAPS.has(path))
    return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v, path === '' ? k : `${path}.${k}`);
  return out;
}

function mergeDefaults(data: Record<string, unknown>): Record<string, unknown> {
  const defaults = data.defaults;
  const jurisdictions = data.jurisdictions;
  if (!isPlainObject(defaults) || !isPlainObject(jurisdictions)) return data;
  const shared = Object.fromEntries(
    DEFAULTABLE_KEYS.filter((k) => defaults[k] !== undefined).map((k) => [k, defaults[k]]),
  );
  const merged = Object.fromEntries(
    Object.entries(jurisdictions).map(([name, j]) => [name, isPlainObject(j) ? deepMerge(shared, j) : j]),
  );
  return { ...data, jurisdictions: merged };
}

/**
 * The path in the document a merged value came from: the jurisdiction's own field when it
 * is written there, else the `defaults` field it was merged from.
 */
function originOf(doc: Document, path: SpecPath): SpecPath {
  if (path[0] !== 'jurisdictions' || path.length < 3 || doc.hasIn(path)) return path;
  const rest = path.slice(2);
  const fromDefaults = ['defaults', ...rest];
  for (let n = fromDefaults.length; n > 1; n--) {
    if (doc.hasIn(fromDefaults.slice(0, n))) return n === fromDefaults.length ? fromDefaults : path;
  }
  return path;
}

function resolvePlaceholders(spec: SovereignSpec): SovereignSpec {
  const jurisdictions = Object.fromEntries(
    Object.entries(spec.jurisdictions).map(([name, j]) => {
      const b = j.backend;
      const sub = (s: string) => s.split('<jurisdiction>').join(name);
      const backend =
        b.type === 'local'
          ? { ...b, path: sub(b.path) }
          : b.type === 's3'
            ? { ...b, key: sub(b.key) }
            : b.type === 'kubernetes'
              ? { ...b, secretSuffix: sub(b.secretSuffix) }
              : { ...b, schemaName: sub(b.schemaName) };
      return [name, { ...j, backend }];
    }),
  );
  return { ...spec, jurisdictions };
}

// ---------------------------------------------------------------- positions

function locateIn(doc: Document, at: (o: number) => SpecPosition, path: SpecPath): SpecPosition | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : (doc.getIn(path.slice(0, n), true) as Node | undefined);
    if (node && typeof node === 'object' && 'range' in node && node.range) return at(node.range[0]);
  }
  return undefined;
}

/** Position of the key (not the value) `key` in the map at `path`. */
function locateKey(doc: Document, at: (o: number) => SpecPosition, path: SpecPath, key: string) {
  const { isMap, isPair, isScalar } = yaml();
  const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(map)) {
    for (const pair of map.items) {
      if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) {
        return at(pair.key.range[0]);
      }
    }
  }
  return locateIn(doc, at, path);
}

function sortProblems(ps: Problem[]): Problem[] {
  return [...ps].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.col ?? 0) - (b.col ?? 0) ||
      a.path.localeCompare(b.path),
  );
}

// ---------------------------------------------------------------- zod issues → problems

type Issue = z.core.$ZodIssue;

function valueAt(data: unknown, path: SpecPath): unknown {
  let v: unknown = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v))
    return v.length === 0 ? 'an empty list' : `a list of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (typeof v === 'object') return Object.keys(v).length === 0 ? 'an empty map' : 'a map';
  if (typeof v === 'string') return `"${v.length > 60 ? v.slice(0, 57) + '...' : v}"`;
  return `${typeof v} ${String(v)}`;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a map',
  record: 'a map',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

function issueProblems(
  issue: Issue,
  data: unknown,
  doc: Document,
  at: (o: number) => SpecPosition,
  file: string,
): Problem[] {
  const path = issue.path as (string | number)[];
  const origin = originOf(doc, path);
  const make = (p: SpecPath, message: string, pos = locateIn(doc, at, p)): Problem => ({
    file: pos?.file ?? file,
    line: pos?.line,
    col: pos?.col,
    path: p.join('.'),
    message,
  });
  const received = valueAt(data, path);

  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(specSchema, path, data);
      return issue.keys.map((k) =>
        make(
          [...origin, k],
          `unknown key "${k}".${didYouMean(k, known)} Allowed here: ${known.join(', ')}`,
          locateKey(doc, at, origin, k),
        ),
      );
    }
    case 'invalid_type': {
      if (received === undefined)
        return [make(origin, `is required (${TYPE_WORDS[issue.expected] ?? issue.expected})`)];
      const quote =
        issue.expected === 'string' && (typeof received === 'number' || typeof received === 'boolean')
          ? ` (YAML read it as a ${typeof received}: put it in quotes)`
          : '';
      return [
        make(
          origin,
          `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, got ${describeValue(received)}${quote}`,
        ),
      ];
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => String(v));
      if (received === undefined) return [make(origin, `is required; one of: ${allowed.join(', ')}`)];
      if (typeof received === 'string' && allowed.includes(received)) {
        return [
          make(
            origin,
            `expected the ${typeof issue.values[0]} ${received}, got the string "${received}": remove the quotes`,
          ),
        ];
      }
      const hint = typeof received === 'string' ? didYouMean(received, allowed) : '';
      return [
        make(origin, `${describeValue(received)} is not allowed.${hint} Allowed: ${allowed.join(', ')}`),
      ];
    }
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator) {
        const options = (issue as { options?: unknown[] }).options?.map(String) ?? [];
        if (received === undefined) return [make(origin, `is required; one of: ${options.join(', ')}`)];
        if (path[path.length - 2] === 'backend' && (received === 'remote' || received === 'cloud')) {
          return [
            make(
              origin,
              `backend "${received}" (HCP Terraform / Terraform Cloud) is refused: the state would live outside the jurisdiction. Use s3 (an in-jurisdiction endpoint), kubernetes, pg or local`,
            ),
          ];
        }
        const hint = typeof received === 'string' ? didYouMean(received, options) : '';
        return [
          make(origin, `${describeValue(received)} is not allowed.${hint} Allowed: ${options.join(', ')}`),
        ];
      }
      // A union of a catalogue name or the architecture numbers: report the branch that matches the type.
      const branch = issue.errors.find(
        (errs) => !errs.some((e) => e.code === 'invalid_type' && e.path.length === 0),
      );
      if (branch)
        return branch.flatMap((e) =>
          issueProblems({ ...e, path: [...path, ...e.path] } as Issue, data, doc, at, file),
        );
      return [
        make(
          origin,
          `expected a catalogue name or a map of architecture numbers, got ${describeValue(received)}`,
        ),
      ];
    }
    case 'invalid_key': {
      const key = String(path[path.length - 1]);
      const first = issue.issues[0];
      const shown = key.length > 60 ? `${key.slice(0, 57)}...` : key;
      // A name is a map key: say what a name may be, never the validator's own words.
      const inner =
        first === undefined
          ? 'is not an allowed name'
          : first.code === 'too_big'
            ? `is ${key.length} characters long; a name is at most ${String(first.maximum)} characters`
            : first.code === 'too_small'
              ? 'must not be empty'
              : first.message.startsWith('Invalid') || first.message.startsWith('Too')
                ? 'is not an allowed name'
                : first.message;
      const sep = /^(is|must) /.test(inner) ? ' ' : ': ';
      return [make(origin, `"${shown}"${sep}${inner}`, locateKey(doc, at, origin.slice(0, -1), key))];
    }
    case 'too_small':
    case 'too_big': {
      const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      const word = issue.code === 'too_small' ? 'at least' : 'at most';
      const exclusive = issue.inclusive === false;
      const what =
        issue.origin === 'array'
          ? `must have ${word} ${bound} item${bound === 1 ? '' : 's'}`
          : issue.origin === 'string'
            ? issue.message && !issue.message.startsWith('Too')
              ? issue.message
              : bound === 1 && issue.code === 'too_small'
                ? 'must not be empty'
                : `must be ${word} ${bound} characters long`
            : `must be ${exclusive ? (issue.code === 'too_small' ? 'greater than' : 'less than') : word} ${bound}`;
      return [make(origin, `${what}; got ${describeValue(received)}`)];
    }
    default:
      return [
        make(origin, `${issue.message}${received !== undefined ? `; got ${describeValue(received)}` : ''}`),
      ];
  }
}

/** Keys the schema allows for the object at `path`; unions pick the branch the data names. */
function knownKeys(schema: z.ZodType, path: SpecPath, data: unknown): string[] {
  let s: unknown = schema;
  let v: unknown = data;
  const unwrap = (x: unknown): unknown => {
    let cur = x as { _zod: { def: Record<string, unknown> } };
    for (;;) {
      const def = cur._zod.def;
      if (
        def.type === 'optional' ||
        def.type === 'default' ||
        def.type === 'nullable' ||
        def.type === 'prefault'
      ) {
        cur = def.innerType as typeof cur;
      } else if (def.type === 'pipe') {
        cur = def.in as typeof cur;
      } else if (def.type === 'union') {
        const options = def.options as (typeof cur)[];
        const disc = def.discriminator as string | undefined;
        const pick =
          options.find((o) => {
            const shape = o._zod.def.shape as
              Record<string, { _zod: { def: { values?: unknown[] } } }> | undefined;
            return disc && shape && isPlainObject(v) && shape[disc]?._zod.def.values?.includes(v[disc]);
          }) ?? options.find((o) => o._zod.def.type === 'object' && isPlainObject(v));
        if (!pick) return cur;
        cur = pick;
      } else {
        return cur;
      }
    }
  };
  for (const k of [...path, undefined]) {
    const def = (unwrap(s) as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (k === undefined) {
      if (def.type === 'object') return Object.keys(def.shape as object);
      // A record keyed by an enum (partialRecord): its keys are the enum's values.
      const keyDef = (def.keyType as { _zod?: { def: { entries?: Record<string, string> } } } | undefined)
        ?._zod?.def;
      return def.type === 'record' && keyDef?.entries ? Object.values(keyDef.entries) : [];
    }
    if (def.type === 'object') s = (def.shape as Record<string, unknown>)[k];
    else if (def.type === 'record') s = def.valueType;
    else if (def.type === 'array') s = def.element;
    else return [];
    if (s === undefined) return [];
    v = isPlainObject(v) || Array.isArray(v) ? (v as Record<string | number, unknown>)[k] : undefined;
  }
  return [];
}

// ---------------------------------------------------------------- a spec in several files

/**
 * A directory of spec files: every `*.yaml` / `*.yml` file directly in it (hidden files and
 * subdirectories are not read), in name order, read as one spec. Each file is a map like a
 * spec; `jurisdictions` are gathered from all files, a jurisdiction written in one file only;
 * `version` may be repeated with the same value; every other top-level key (`defaults`, …)
 * is written in one file only. Problems are located in the file they are in.
 */
function loadSpecDir(dir: string): LoadedSpec {
  const shown = dir.replace(/\/+$/, '') || dir;
  let names: string[];
  try {
    names = fs
      .readdirSync(dir)
      .filter((n) => !n.startsWith('.') && /\.ya?ml$/.test(n))
      .sort();
  } catch (e) {
    throw specUnreadable(shown, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  if (names.length === 0) {
    throw specUnreadable(
      shown,
      'is a directory with no spec files; name the YAML file, or put *.yaml files (each with `version: 1`) in it',
    );
  }
  const reads: { file: string; text: string; read: FullRead }[] = [];
  const problems: Problem[] = [];
  let total = 0;
  for (const name of names) {
    const file = `${shown}/${name}`;
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile()) throw specUnreadable(file, 'is not a regular file');
      if (stat.size > MAX_SPEC_BYTES)
        throw specUnreadable(
          file,
          `is ${stat.size} bytes; a spec file may be at most ${MAX_SPEC_BYTES} bytes (1 MiB)`,
        );
      total += stat.size;
      if (total > MAX_SPEC_DIR_BYTES) {
        throw specUnreadable(
          shown,
          `holds more than ${MAX_SPEC_DIR_BYTES} bytes (16 MiB) of spec files (reached at ${name}); split the fleet into several specs`,
        );
      }
      const text = decodeUtf8(fs.readFileSync(file), file);
      reads.push({ file, text, read: readFull(text, file) });
    } catch (e) {
      if (!isSovereignError(e)) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === undefined) throw e;
        problems.push({ file, path: '', message: `cannot be read (${code})` });
      } else if (e.problems.some((p) => p.file === shown)) throw e;
      else problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw specInvalid(shown, sortProblems(problems));
  const combined = combine(reads, shown);
  return validateRead(combined, reads.map((r) => r.text).join('\n'), shown);
}

function defineKey(o: Record<string, unknown>, k: string, value: unknown): void {
  Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });
}

/** One document of the files' top-level maps, node offsets shifted so each file has its own range. */
function combine(reads: readonly { file: string; text: string; read: FullRead }[], shown: string): FullRead {
  const { Document, YAMLMap, Pair, isMap, isPair, isScalar, visit } = yaml();
  const spans: { base: number; end: number; file: string; at: FullRead['at'] }[] = [];
  const at = (offset: number): SpecPosition => {
    const s = spans.find((x) => offset >= x.base && offset <= x.end) ?? spans[spans.length - 1];
    return { ...s.at(offset - s.base), file: s.file };
  };
  const top = new YAMLMap();
  const all = new YAMLMap();
  const data: Record<string, unknown> = {};
  const jurisdictions: Record<string, unknown> = {};
  const first = new Map<string, { file: string; pos: SpecPosition; value: unknown }>();
  const problems: Problem[] = [];
  let base = 0;
  let anyJurisdictions = false;
  for (const r of reads) {
    const doc = r.read.doc;
    const shift = base;
    visit(doc, {
      Node(_k, node) {
        if (node.range) node.range = [node.range[0] + shift, node.range[1] + shift, node.range[2] + shift];
      },
    });
    spans.push({ base, end: base + r.text.length, file: r.file, at: r.read.at });
    base += r.text.length + 1;
    const fileData = r.read.data as Record<string, unknown>;
    if (!isMap(doc.contents)) continue;
    top.range ??= doc.contents.range;
    for (const pair of doc.contents.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const keyPos = at(pair.key.range?.[0] ?? 0);
      if (key === 'jurisdictions' && isMap(pair.value)) {
        if (!anyJurisdictions) {
          anyJurisdictions = true;
          all.range = pair.value.range;
          top.items.push(new Pair(pair.key, all));
        }
        const values = fileData.jurisdictions as Record<string, unknown>;
        for (const item of pair.value.items) {
          if (!isPair(item) || !isScalar(item.key)) continue;
          const name = String(item.key.value);
          const pos = at(item.key.range?.[0] ?? 0);
          const seen = first.get(`jurisdictions\u0000${name}`);
          if (seen) {
            problems.push({
              file: r.file,
              line: pos.line,
              col: pos.col,
              path: `jurisdictions.${name}`,
              message: `jurisdiction "${name}" is also written in ${seen.file}:${seen.pos.line}:${seen.pos.col}; write each jurisdiction in one file`,
            });
            continue;
          }
          first.set(`jurisdictions\u0000${name}`, { file: r.file, pos, value: undefined });
          all.items.push(item);
          defineKey(jurisdictions, name, values[name]);
        }
        continue;
      }
      const seen = first.get(key);
      if (seen) {
        const same = key === 'version' && JSON.stringify(seen.value) === JSON.stringify(fileData[key]);
        if (!same) {
          problems.push({
            file: r.file,
            line: keyPos.line,
            col: keyPos.col,
            path: key,
            message:
              key === 'version'
                ? `version ${JSON.stringify(fileData[key])} differs from version ${JSON.stringify(seen.value)} in ${seen.file}:${seen.pos.line}:${seen.pos.col}; every file of a spec has the same version`
                : `"${key}" is also written in ${seen.file}:${seen.pos.line}:${seen.pos.col}; only jurisdictions may be spread over several files`,
          });
        }
        continue;
      }
      first.set(key, { file: r.file, pos: keyPos, value: fileData[key] });
      top.items.push(pair);
      defineKey(data, key, fileData[key]);
    }
  }
  if (problems.length > 0) throw specInvalid(shown, sortProblems(problems));
  if (anyJurisdictions) defineKey(data, 'jurisdictions', jurisdictions);
  const doc = new Document();
  doc.contents = top;
  return { data, doc, at };
}
