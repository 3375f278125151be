/** Capacity across models: the weights on a store fit its volume, the models on a pool fit its GPUs. */
import { packReplicas } from '../../constructs/capacity';
import type { GpuNodePool } from '../../constructs/gpu-node-pool';
import { LlamaCppServer } from '../../constructs/llama-cpp-server';
import { MultiNodeVllmServer } from '../../constructs/multi-node-vllm-server';
import type { VllmServer } from '../../constructs/vllm-server';
import { capacityExceeded } from '../../core/errors';
import type { ModelSpec } from '../spec/schema';
import type { BuildContext } from './common';

export function checkCapacity(
  ctx: BuildContext,
  models: readonly [string, ModelSpec][],
  servers: Record<string, VllmServer | LlamaCppServer | MultiNodeVllmServer>,
  pools: Record<string, GpuNodePool>,
): void {
  const { spec, at } = ctx;
  // The weights of every model on a store must fit its volume (5 % kept for the filesystem).
  for (const [storeName, store] of Object.entries(spec.stores)) {
    const onStore = models.filter(([, m]) => m.store === storeName);
    const bytes = onStore.map(([modelName]) => {
      const srv = servers[modelName];
      return srv instanceof LlamaCppServer ? srv.weightBytes : srv.capacity.weightBytes;
    });
    const need = bytes.reduce((a, b) => a + b, 0);
    if (need > store.sizeGiB * 2 ** 30 * 0.95) {
      const each = onStore.map(([n], i) => `${n} ${(bytes[i] / 2 ** 30).toFixed(1)} GiB`).join(' + ');
      at(['stores', storeName, 'sizeGiB'], () => {
        throw capacityExceeded(
          storeName,
          'sizeGiB',
          `store ${storeName} holds ${each} = ${(need / 2 ** 30).toFixed(1)} GiB of weights, more than ${store.sizeGiB} GiB × 0.95 usable; make it at least ${Math.ceil(need / 2 ** 30 / 0.95)} GiB`,
        );
      });
    }
  }

  // Each model fits its pool on its own (the planner checked); together they must fit too.
  for (const [poolName, pool] of Object.entries(pools)) {
    const demands = models
      .filter(([, m]) => m.pool === poolName)
      .map(([modelName, m]) => {
        const srv = servers[modelName];
        // A replica across nodes is one pod of tensorParallelSize GPUs per node of its group.
        const group = srv instanceof MultiNodeVllmServer ? srv.nodesPerReplica : 1;
        return {
          model: modelName,
          gpusPerReplica: srv instanceof MultiNodeVllmServer ? srv.tensorParallelSize : srv.gpusPerReplica,
          replicas: Math.max(m.replicas, m.autoscaling?.maxReplicas ?? 0) * group,
        };
      });
    const short = packReplicas(pool.nodeCount, pool.gpusPerNode, demands);
    if (short.length > 0) {
      const asked = demands
        .map((d) => `${d.replicas} × ${d.gpusPerReplica} GPU(s) for ${d.model}`)
        .join(' + ');
      at(['pools', poolName], () => {
        throw capacityExceeded(
          poolName,
          'nodes',
          `the models placed on pool ${poolName} need ${asked} (replicas × GPUs per replica), but the pool has ${pool.nodeCount} node(s) × ${pool.gpusPerNode} GPU(s): ${short.map((s) => `${s.unplaced} replica(s) of ${s.model}`).join(' and ')} cannot be scheduled. Add nodes, lower replicas, or shorten context / concurrency so fewer GPUs per replica are needed`,
        );
      });
    }
  }
}
