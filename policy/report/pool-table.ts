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

/**
 * The node side of a pool that serves models across nodes, as lines for the reports: what each
 * pod of a group requests and sets, the relaxation and its reason, and what the hosts must
 * provide outside Kubernetes (nothing in the stack can check those: the operator must).
 */
export function multiNodeLines(p: PoolEntry): string[] {
  const mn = p.multiNode;
  if (mn === undefined) return [];
  const nccl = Object.entries(mn.nccl ?? {}).map(([k, v]) => `${k}=${v}`);
  return [
    `pool ${p.name} serves models across nodes: ${mn.rdmaResource ? `${mn.rdmaPerPod ?? 1} × ${mn.rdmaResource} per pod` : 'no RDMA device declared (NCCL over TCP sockets)'}; /dev/shm ${mn.shmSizeGiB} GiB; NCCL ${nccl.length > 0 ? nccl.join(' ') : '(defaults)'}`,
    ...(mn.ipcLock ? [`pool ${p.name} pods add IPC_LOCK (suppressed K8S-006): ${mn.ipcLock}`] : []),
    ...(mn.hostRequirements ?? []).map(
      (h) => `pool ${p.name} host requirement (checked by the operator, not the stack): ${h}`,
    ),
  ];
}
