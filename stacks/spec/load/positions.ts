/** Places in a spec: types, the position of a field or key, and the order problems are reported in. */
import type { Document, Node } from 'yaml';
import { type Problem } from '../../../core/errors';
import { yaml } from './yaml';

export type SpecPath = readonly (string | number)[];

/** A place in a spec file; `file` names it when the spec is a directory of files. */
export interface SpecPosition {
  line: number;
  col: number;
  file?: string;
}

export function locateIn(
  doc: Document,
  at: (o: number) => SpecPosition,
  path: SpecPath,
): SpecPosition | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : (doc.getIn(path.slice(0, n), true) as Node | undefined);
    if (node && typeof node === 'object' && 'range' in node && node.range) return at(node.range[0]);
  }
  return undefined;
}

/** Position of the key (not the value) `key` in the map at `path`. */
export function locateKey(doc: Document, at: (o: number) => SpecPosition, path: SpecPath, key: string) {
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

export function sortProblems(ps: Problem[]): Problem[] {
  return [...ps].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.col ?? 0) - (b.col ?? 0) ||
      a.path.localeCompare(b.path),
  );
}

/** A problem that came from a shared default is reported once, not once per jurisdiction. */
export function dedupe(ps: Problem[]): Problem[] {
  const seen = new Set<string>();
  return ps.filter((p) => {
    const k = `${p.line}:${p.col}:${p.path}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
