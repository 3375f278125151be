/**
 * `defaults` merged into each jurisdiction, the document path a merged value came from, and
 * the `<jurisdiction>` placeholders in backend names.
 */
import type { Document } from 'yaml';
import { DEFAULTABLE_KEYS, type SovereignSpec } from '../schema';
import { type SpecPath } from './positions';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
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

export function mergeDefaults(data: Record<string, unknown>): Record<string, unknown> {
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
export function originOf(doc: Document, path: SpecPath): SpecPath {
  if (path[0] !== 'jurisdictions' || path.length < 3 || doc.hasIn(path)) return path;
  const rest = path.slice(2);
  const fromDefaults = ['defaults', ...rest];
  for (let n = fromDefaults.length; n > 1; n--) {
    if (doc.hasIn(fromDefaults.slice(0, n))) return n === fromDefaults.length ? fromDefaults : path;
  }
  return path;
}

export function resolvePlaceholders(spec: SovereignSpec): SovereignSpec {
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
