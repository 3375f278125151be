/** The pool table every renderer prints: its columns and one pool's cells. */
import type { PoolEntry } from './model';

/** Columns of the pool table, shared by every renderer. */
export const POOL_HEAD = [
  'pool',
  'GPU product',
  'nodes',
  'GPUs per node',
  'sharing',
  'GPUs offered',
  'models',
  'GPUs requested',
];

/** One pool's cells under POOL_HEAD; shared GPUs say how many physical GPUs stand behind them. */
export function poolCells(p: PoolEntry): (string | number | undefined)[] {
  return [
    p.name,
    p.gpuProduct,
    p.nodeCount,
    p.gpusPerNode === undefined
      ? undefined
      : p.physicalGpusPerNode !== undefined && p.physicalGpusPerNode !== p.gpusPerNode
        ? `${p.gpusPerNode} (${p.physicalGpusPerNode} physical)`
        : p.gpusPerNode,
    p.sharing,
    p.gpusOffered,
    p.models.join(', '),
    p.gpusRequested,
  ];
}
