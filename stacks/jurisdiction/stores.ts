/** Weight stores: a volume per store, or the existing claim a store names. */
import { ModelWeightStore, type IModelWeightStore } from '../../constructs/model-weight-store';
import type { ITerraformDependable } from 'cdktf';
import type { vllmLayouts } from '../spec/plan';
import type { ModelSpec } from '../spec/schema';
import { dependAll, type BuildContext } from './common';

export function buildStores(
  ctx: BuildContext,
  models: readonly [string, ModelSpec][],
  layouts: ReturnType<typeof vllmLayouts>,
  namespaceReady: readonly ITerraformDependable[],
): Record<string, IModelWeightStore> {
  const { stack, name, spec, at, namespace } = ctx;
  const stores: Record<string, IModelWeightStore> = {};
  for (const [storeName, s] of Object.entries(spec.stores)) {
    if (s.existingClaim !== undefined) {
      // A pre-seeded claim the stack only mounts: never created, changed or deleted.
      stores[storeName] = {
        claimName: s.existingClaim,
        namespace,
        jurisdiction: name,
        rootPath: 'models',
      };
      continue;
    }
    // Every replica of every model on the store mounts it: more than one pod means more than
    // one node may mount it at once.
    const shared =
      models
        .filter(([, m]) => m.store === storeName)
        .reduce(
          (n, [k, m]) =>
            n + Math.max(m.replicas, m.autoscaling?.maxReplicas ?? 0) * (layouts.get(k)?.nodes ?? 1),
          0,
        ) > 1;
    const store = at(
      ['stores', storeName],
      () =>
        new ModelWeightStore(stack, `store-${storeName}`, {
          namespace,
          jurisdiction: name,
          storageClassName: s.storageClass as string,
          sizeGiB: s.sizeGiB,
          claimName: `weights-${storeName}`,
          accessMode: s.accessMode ?? (shared ? 'ReadWriteMany' : 'ReadWriteOnce'),
          localVolume: s.localVolume,
        }),
    );
    dependAll(store, namespaceReady);
    stores[storeName] = store;
  }
  return stores;
}
