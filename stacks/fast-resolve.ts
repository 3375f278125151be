/**
 * cdktf's `resolve`, taken only where it can change something.
 *
 * cdktf resolves every element's `toTerraform()` value node by node: for each string, number,
 * array and object it allocates a resolution context with closures, builds three regex-backed
 * `TokenString`s and tests them. On a 100-jurisdiction synth that is ~2 s of 6 s, nearly all of
 * it spent on plain data: a stack's JSON holds a few dozen tokens (references between
 * resources) among thousands of literal values.
 *
 * `fastResolve` walks the value itself and hands to cdktf's own `resolve` every subtree that
 * cdktf could treat differently from plain data:
 *   - a string holding `TfToken[` (string, list and map token markers all contain it), one of
 *     cdktf's map-token sentinel strings, or a match of its number-token pattern that reads as a
 *     finite number in the token range (cdktf looks up every match, `parseFloat`ed, as a token; a
 *     match outside that range, like the `2e3` or `5e62004` in a hex digest, stays literal, and cdktf joins the
 *     string back from its pieces unchanged);
 *   - a number in the range where cdktf encodes tokens as doubles (|x| ≥ 1e250; every encoded
 *     token is about -1e289 or beyond), or its number-map sentinel;
 *   - an array holding such a string or number (cdktf resolves list tokens array-wide);
 *   - an object with a `resolve` method (a token), with a key holding `TfToken[`, or that is a
 *     construct (cdktf refuses those), and a function (refused as well).
 * Everything else is copied as cdktf copies it: `undefined` members and array elements are
 * dropped, `null`, booleans and other scalars are kept, `Date`s pass through as is.
 * A delegated subtree is resolved with its path as cdktf's prefix, so cdktf's depth limit (200)
 * and its error messages see the same path as in a whole-tree resolution, and otherwise in a
 * fresh context, which is the context cdktf itself has there: only tokens set the inherited
 * flags (escapes, braces, iterators), and no token lies above a delegated subtree. Values are
 * visited in cdktf's order and each once, so producers run as often as under cdktf. The output
 * is byte-identical to cdktf's (the golden snapshots, a test comparing both paths on the
 * examples, and test/stacks/fast-resolve.test.ts, errors included).
 */
import { DefaultTokenResolver, StringConcat } from 'cdktf';
import {
  deepMerge,
  MAP_SENTINELS,
  MAX_RESOLVE_DEPTH as MAX_DEPTH,
  NUMBER_TOKEN,
  privateResolve,
  TOKEN_DOUBLE_MAGNITUDE,
  TOKEN_MARKER,
} from './cdktf-seam';

const cdktfResolve = privateResolve();
/** As cdktf's `resolve(scope, obj)` (lib/_tokens.js) builds it. */
const RESOLVER = new DefaultTokenResolver(new StringConcat());

function delegate(scope: unknown, value: unknown, path: (string | number)[]): unknown {
  // cdktf's prefix names array elements by their index as a string (`${i}`).
  return cdktfResolve(value, { scope, preparing: false, resolver: RESOLVER, prefix: path.map(String) });
}

function plainNumber(n: number): boolean {
  return !(Math.abs(n) >= TOKEN_DOUBLE_MAGNITUDE) && !MAP_SENTINELS.has(n);
}

/** cdktf's number-token pattern as it scans a string (global), for the matches in order. */
const NUMBER_TOKENS = new RegExp(NUMBER_TOKEN.source, 'g');

function plainString(s: string): boolean {
  if (s.includes(TOKEN_MARKER) || MAP_SENTINELS.has(s)) return false;
  // Digests and versions match the pattern (`…2e3…`); cdktf reads each match with parseFloat
  // and keeps it literal unless that double decodes as a token.
  NUMBER_TOKENS.lastIndex = 0;
  // Infinity and NaN (`5e62004…` reads as Infinity) carry no token's bits either.
  for (let m = NUMBER_TOKENS.exec(s); m !== null; m = NUMBER_TOKENS.exec(s)) {
    const x = parseFloat(m[0]);
    if (Number.isFinite(x) && !plainNumber(x)) return false;
  }
  return true;
}

/** An array cdktf resolves as a whole (a list token among its elements) or element by element. */
function plainArray(xs: readonly unknown[]): boolean {
  for (const x of xs) {
    if (typeof x === 'string' ? x.includes(TOKEN_MARKER) : typeof x === 'number' && !plainNumber(x))
      return false;
  }
  return true;
}

/**
 * Resolves `value` in `scope` exactly as cdktf's `resolve(scope, value)` does, handing cdktf
 * only the smallest subtrees that can hold a token, errors included.
 */
export function fastResolve(scope: unknown, value: unknown): unknown {
  return walk(scope, value, []);
}

function walk(scope: unknown, value: unknown, path: (string | number)[]): unknown {
  if (path.length > MAX_DEPTH) return delegate(scope, value, path); // cdktf throws, with the path
  switch (typeof value) {
    case 'string':
      return plainString(value) ? value : delegate(scope, value, path);
    case 'number':
      return plainNumber(value) ? value : delegate(scope, value, path);
    case 'function':
      return delegate(scope, value, path);
    case 'object':
      break;
    default:
      return value;
  }
  if (value === null || value instanceof Date) return value;
  if (Array.isArray(value)) {
    if (!plainArray(value)) return delegate(scope, value, path);
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const r = walk(scope, value[i], path);
      path.pop();
      if (r !== undefined) out.push(r);
    }
    return out;
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj.resolve === 'function' || (obj._children !== undefined && obj._metadata !== undefined))
    return delegate(scope, value, path);
  const keys = Object.keys(obj);
  for (const k of keys) if (!plainString(k)) return delegate(scope, value, path);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    path.push(k);
    const r = walk(scope, obj[k], path);
    path.pop();
    if (r !== undefined) out[k] = r;
  }
  return out;
}

/**
 * `deepMerge(target, source)` as cdktf's `TerraformStack.toTerraform` merges an element's
 * resolved value into the stack's JSON, without copying what it can take as is: where the
 * target holds no object at a key, cdktf's merge builds a fresh object and copies the source's
 * subtree into it member by member; a subtree `fastResolve` just built is taken instead when
 * that copy would equal it — plain objects only (no `Date`, which the copy turns into `{}`,
 * no other prototype), no `undefined` member (the copy drops it), no token. Arrays are taken
 * as is by both. Everything else goes through cdktf's `deepMerge`, so its errors and edge
 * cases stay its own. The source must not be used afterwards: the target may now share its
 * subtrees.
 */
export function mergeResolved(target: unknown, source: unknown): void {
  if (!isPlainObject(target) || !isPlainObject(source) || typeof source.resolve === 'function') {
    deepMerge(target, source);
    return;
  }
  for (const key of Object.keys(source)) {
    const value = source[key];
    const at = target[key];
    if (typeof at !== 'object' && adoptable(value, 0)) target[key] = value;
    else if (isPlainObject(at) && isPlainObject(value) && typeof value.resolve !== 'function')
      mergeResolved(at, value);
    else deepMerge(target, { [key]: value });
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** Whether cdktf's copy of `v` into a fresh object would be `v` itself, member for member. */
function adoptable(v: unknown, depth: number): boolean {
  if (!isPlainObject(v) || typeof v.resolve === 'function' || depth > MAX_DEPTH) return false;
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (x === undefined) return false;
    if (typeof x === 'object' && x !== null && !Array.isArray(x) && !adoptable(x, depth + 1)) return false;
  }
  return true;
}
