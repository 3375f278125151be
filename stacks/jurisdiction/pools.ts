/** The jurisdiction's GPU and CPU node pools. */
import { CpuNodePool } from '../../constructs/cpu-node-pool';
import { GpuNodePool } from '../../constructs/gpu-node-pool';
import { machineCountOf } from '../spec/plan';
import type { BuildContext } from './common';

export function buildPools(ctx: BuildContext): {
  pools: Record<string, GpuNodePool>;
  cpuPools: Record<string, CpuNodePool>;
} {
  const { stack, name, spec, at } = ctx;
  // GPU pools first: the cluster sizes its GPU quota from them.
  const pools: Record<string, GpuNodePool> = {};
  for (const [poolName, p] of Object.entries(spec.pools)) {
    pools[poolName] = at(
      ['pools', poolName],
      () =>
        new GpuNodePool(stack, `pool-${poolName}`, {
          jurisdiction: name,
          poolName,
          nodes: p.nodes ?? [],
          machineCount: machineCountOf(spec, poolName),
          gpuProduct: p.product,
          gpusPerNode: p.gpusPerNode,
          gpuMemoryGiB: p.gpuMemoryGiB,
          sharing: p.sharing,
        }),
    );
  }

  const cpuPools: Record<string, CpuNodePool> = {};
  for (const [poolName, p] of Object.entries(spec.cpuPools)) {
    cpuPools[poolName] = at(
      ['cpuPools', poolName],
      () =>
        new CpuNodePool(stack, `cpu-pool-${poolName}`, {
          jurisdiction: name,
          poolName,
          nodes: p.nodes,
          nodeSelector: p.nodeSelector,
          taints: p.taints,
        }),
    );
  }
  return { pools, cpuPools };
}
