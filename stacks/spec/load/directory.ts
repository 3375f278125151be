/** A spec written as a directory of files, read as one spec. */
import * as fs from 'fs';
import { isSovereignError, specInvalid, specUnreadable, type Problem } from '../../../core/errors';
import type { LoadedSpec } from '../load';
import { sortProblems, type SpecPosition } from './positions';
import { decodeUtf8, MAX_SPEC_BYTES, MAX_SPEC_DIR_BYTES, readFull, type FullRead } from './read';
import { validateRead } from './validate';
import { yaml } from './yaml';
import type { Document, Node } from 'yaml';

/**
 * A directory of spec files: every `*.yaml` / `*.yml` file directly in it (hidden files are
 * not read; a subdirectory (or a link to one) holding YAML files up to three levels down, or `*.YAML`,
 * is refused rather than skipped), in
 * name order, read as one spec. Each file is a map like a
 * spec; `jurisdictions` are gathered from all files, a jurisdiction written in one file only;
 * `version` may be repeated with the same value; every other top-level key (`defaults`, …)
 * is written in one file only. Problems are located in the file they are in.
 */
export function loadSpecDir(dir: string): LoadedSpec {
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
  // What would be silently left out of the fleet otherwise: spec files in a subdirectory, or
  // with the extension in another case. Refused, so a jurisdiction never goes missing unseen.
  const skipped = strayEntries(dir, shown);
  if (skipped.length > 0) throw specInvalid(shown, skipped);
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
  const texts = reads.map(({ file, text }) => ({ file, text }));
  const reread = () =>
    combine(
      texts.map((r) => ({ ...r, read: readFull(r.text, r.file) })),
      shown,
    );
  return validateRead(combined, texts.map((r) => r.text).join('\n'), shown, reread);
}

/** Entries of `dir` that look like spec files the reader would not read. */
function strayEntries(dir: string, shown: string): Problem[] {
  const out: Problem[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const file = `${shown}/${name}`;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(`${dir}/${name}`); // follows links: a linked directory counts as one
    } catch {
      continue; // a dangling link: reported by the reader when its name is a spec file's
    }
    if (stat.isDirectory()) {
      const inner = yamlBelow(`${dir}/${name}`, 3);
      if (inner.length > 0)
        out.push({
          file,
          path: '',
          message: `is a directory holding ${inner.length}${inner.length >= YAML_BELOW_CAP ? '+' : ''} YAML file(s) (${inner.slice(0, 3).join(', ')}${inner.length > 3 ? ', …' : ''}); only files directly in ${shown} are read: move them up, or synthesize that directory as its own spec`,
        });
    } else if (/\.ya?ml$/i.test(name) && !/\.ya?ml$/.test(name)) {
      out.push({
        file,
        path: '',
        message:
          'has its extension in upper case; spec files end in .yaml or .yml: rename it, or it would be left out',
      });
    }
  }
  return out.sort((a, b) => (a.file! < b.file! ? -1 : a.file! > b.file! ? 1 : 0));
}

const YAML_BELOW_CAP = 100;

/** YAML files (any case, not hidden) in `dir` and below, `depth` levels down, up to a cap. */
function yamlBelow(dir: string, depth: number, prefix = '', found: string[] = []): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    return found; // unreadable: holds nothing we would read either way
  }
  for (const name of names) {
    if (found.length >= YAML_BELOW_CAP || name.startsWith('.')) continue;
    if (/\.ya?ml$/i.test(name)) found.push(`${prefix}${name}`);
    else if (depth > 0) {
      try {
        if (fs.statSync(`${dir}/${name}`).isDirectory())
          yamlBelow(`${dir}/${name}`, depth - 1, `${prefix}${name}/`, found);
      } catch {
        // a dangling link
      }
    }
  }
  return found;
}

function defineKey(o: Record<string, unknown>, k: string, value: unknown): void {
  Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * One document of the files' top-level maps, node offsets shifted so each file has its own
 * range. The shift (a walk over every node of every file) is made when the document is first
 * asked for, which only a problem's position does: a valid spec never pays for it.
 */
function combine(reads: readonly { file: string; text: string; read: FullRead }[], shown: string): FullRead {
  const { Document, YAMLMap, Pair, isMap, isPair, isScalar, visit } = yaml();
  const spans: { base: number; end: number; file: string; at: FullRead['at'] }[] = [];
  const at = (offset: number): SpecPosition => {
    const s = spans.find((x) => offset >= x.base && offset <= x.end) ?? spans[spans.length - 1];
    return { ...s.at(offset - s.base), file: s.file };
  };
  const unshifted: { doc: Document; shift: number }[] = [];
  let topFrom: Node | undefined;
  let allFrom: Node | undefined;
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
    unshifted.push({ doc, shift: base });
    spans.push({ base, end: base + r.text.length, file: r.file, at: r.read.at });
    base += r.text.length + 1;
    // Offsets of this file's own nodes (not shifted yet).
    const atHere = (offset: number): SpecPosition => ({ ...r.read.at(offset), file: r.file });
    const fileData = r.read.data as Record<string, unknown>;
    if (!isMap(doc.contents)) continue;
    topFrom ??= doc.contents;
    for (const pair of doc.contents.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const keyPos = atHere(pair.key.range?.[0] ?? 0);
      if (key === 'jurisdictions' && isMap(pair.value)) {
        if (!anyJurisdictions) {
          anyJurisdictions = true;
          allFrom = pair.value;
          top.items.push(new Pair(pair.key, all));
        }
        const values = fileData.jurisdictions as Record<string, unknown>;
        for (const item of pair.value.items) {
          if (!isPair(item) || !isScalar(item.key)) continue;
          const name = String(item.key.value);
          const pos = atHere(item.key.range?.[0] ?? 0);
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
  let shifted = false;
  return {
    data,
    at,
    get doc() {
      if (!shifted) {
        shifted = true;
        for (const { doc: fileDoc, shift } of unshifted)
          visit(fileDoc, {
            Node(_k, node) {
              if (node.range)
                node.range = [node.range[0] + shift, node.range[1] + shift, node.range[2] + shift];
            },
          });
        top.range = topFrom?.range;
        all.range = allFrom?.range;
      }
      return doc;
    },
  };
}
