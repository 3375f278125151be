/**
 * Helpers over parsed Terraform JSON. cdktf writes a nested block as an object or as a
 * one-element array depending on the schema; these read both the same way.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Obj = { [key: string]: Json };

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A block given as an object or a one-element array, as an object (or undefined). */
export function one(v: unknown): Obj | undefined {
  if (Array.isArray(v)) return isObj(v[0]) ? v[0] : undefined;
  return isObj(v) ? v : undefined;
}

/** A repeated block given as an array or a single object, as an array of objects. */
export function many(v: unknown): Obj[] {
  if (Array.isArray(v)) return v.filter(isObj);
  return isObj(v) ? [v] : [];
}

/** A list attribute (strings, numbers) given as an array or a single value. */
export function list(v: unknown): Json[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? (v as Json[]) : [v as Json];
}

/** True when the value holds an unresolved Terraform reference or expression (`${...}`). */
export function isRef(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('${');
  if (Array.isArray(v)) return v.some(isRef);
  if (isObj(v)) return Object.values(v).some(isRef);
  return false;
}

/** A scalar as a string when it is a string or a number. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** Terraform accepts "true"/"false" strings for booleans; so do we. */
export function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

/** Joins path segments: `join('spec', 'container[0]')` → `spec.container[0]`. */
export function join(...parts: (string | undefined)[]): string {
  // A loop, not filter + join: the rules join paths for every container and field they read.
  let out = '';
  for (const p of parts) if (p !== undefined && p !== '') out = out === '' ? p : `${out}.${p}`;
  return out;
}

/** Labels or annotations map (string values only). */
export function strMap(v: unknown): Record<string, string> {
  const o = one(v);
  const out: Record<string, string> = {};
  if (!o) return out;
  for (const [k, x] of Object.entries(o)) {
    const s = str(x);
    if (s === undefined) continue;
    // Defined, not assigned: a label named `__proto__` is a label, not a prototype to set.
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: s, enumerable: true, writable: true, configurable: true });
    else out[k] = s;
  }
  return out;
}

/**
 * Every string in a JSON value with its path, skipping `"//"` keys (metadata, not
 * configuration). Deterministic order: object keys as written, arrays by index.
 */
export function strings(v: unknown, path = ''): Iterable<{ path: string; value: string }> {
  // The list itself: a generator re-yielding it cost a protocol step per string.
  return stringList(v, path);
}

// Several rules walk the strings of the same resource body (K8S-026, SOV-012, SOV-013, SOV-016):
// within one evaluation (`collectingOnce`) each (value, path) is collected once. The policy
// never changes what it judges, so a list keyed by the object is exact while it runs; a caller
// may change its JSON between two evaluations, so the lists go with the evaluation.
let collected: WeakMap<object, Map<string, readonly { path: string; value: string }[]>> | undefined;

/** Runs `fn` (one evaluation) with the strings of each object collected once. */
export function collectingOnce<T>(fn: () => T): T {
  const outer = collected;
  collected ??= new WeakMap();
  try {
    return fn();
  } finally {
    collected = outer;
  }
}

/** `strings` as a read-only list; collected once per object and path prefix within `collectingOnce`. */
export function stringList(v: unknown, path = ''): readonly { path: string; value: string }[] {
  if (typeof v !== 'object' || v === null || collected === undefined) {
    const out: { path: string; value: string }[] = [];
    collectStrings(v, path, out);
    return out;
  }
  let byPath = collected.get(v);
  if (byPath === undefined) collected.set(v, (byPath = new Map()));
  let out = byPath.get(path);
  if (out === undefined) {
    // Collected by one plain recursion (nested generators re-yield every value at every depth).
    const list: { path: string; value: string }[] = [];
    collectStrings(v, path, list);
    byPath.set(path, (out = list));
  }
  return out;
}

function collectStrings(v: unknown, path: string, out: { path: string; value: string }[]): void {
  if (typeof v === 'string') {
    out.push({ path, value: v });
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) collectStrings(v[i], `${path}[${i}]`, out);
  } else if (isObj(v)) {
    for (const k of Object.keys(v)) {
      if (k === '//') continue;
      collectStrings(v[k], path === '' ? k : `${path}.${k}`, out);
    }
  }
}

/** Stable comparison for sorting. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
