/**
 * The auditor's anchor: the directory under audit compared byte for byte with what the approved
 * spec synthesizes (synthesis is deterministic). Every file that is missing, extra or different
 * is named, and for JSON files every JSON path whose value differs.
 */
import { isObj } from './json';
import { parseJsonStrict } from './json-read';
import { redact } from './secrets';

export interface Difference {
  /** File relative to the audited directory. */
  readonly file: string;
  readonly kind: 'missing' | 'extra' | 'differs';
  /** JSON paths whose values differ (at most MAX_PATHS, then a count). */
  readonly paths: readonly string[];
  readonly note?: string;
}

export const MAX_PATHS = 25;

function diffJson(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length > MAX_PATHS) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) diffJson(a[i], b[i], `${path}[${i}]`, out);
    return;
  }
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const seg = /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
      const p = path === '' ? seg : `${path}.${seg}`;
      if (!(k in a)) out.push(`${p} (added)`);
      else if (!(k in b)) out.push(`${p} (removed)`);
      else diffJson(a[k], b[k], p, out);
    }
    return;
  }
  if (a !== b) out.push(path === '' ? '(root)' : path);
}

/**
 * Differences between the audited files and the expected (synthesized) ones. `audited` and
 * `expected` map paths relative to the directory to their bytes.
 */
export function compareTrees(
  audited: ReadonlyMap<string, Buffer>,
  expected: ReadonlyMap<string, Buffer>,
): Difference[] {
  const out: Difference[] = [];
  const files = [...new Set([...audited.keys(), ...expected.keys()])].sort();
  for (const f of files) {
    const a = audited.get(f);
    const e = expected.get(f);
    if (a === undefined) {
      out.push({
        file: f,
        kind: 'missing',
        paths: [],
        note: 'the approved spec synthesizes it; the directory lacks it',
      });
      continue;
    }
    if (e === undefined) {
      out.push({ file: f, kind: 'extra', paths: [], note: 'the approved spec does not synthesize it' });
      continue;
    }
    if (a.equals(e)) continue;
    const paths: string[] = [];
    let note: string | undefined;
    if (f.endsWith('.json')) {
      try {
        diffJson(parseJsonStrict(a.toString('utf8')), JSON.parse(e.toString('utf8')), '', paths);
        if (paths.length === 0) note = 'same JSON values, different bytes (formatting, key order or escapes)';
      } catch {
        note = 'not readable as JSON';
      }
    }
    const shown = paths.length > MAX_PATHS ? [...paths.slice(0, MAX_PATHS), `… and more`] : paths;
    out.push({ file: f, kind: 'differs', paths: shown.map(redact), ...(note ? { note } : {}) });
  }
  return out;
}
