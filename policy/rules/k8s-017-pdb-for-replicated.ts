import { join, one, strMap } from '../json';
import { at, get, k8sObject, podView, typesOf } from '../k8s';
import { fail, na, ok, unknown, type ResourceRule } from '../types';

export const rule: ResourceRule = {
  id: 'K8S-017',
  title: 'Replicated servers are covered by a PodDisruptionBudget',
  severity: 'low',
  fix: 'Add a PodDisruptionBudget in the same namespace whose selector matches the pod template labels.',
  anchors: [
    'kube-score deployment-has-poddisruptionbudget',
    'kube-score statefulset-has-poddisruptionbudget',
    'Polaris missingPodDisruptionBudget',
  ],
  suppressible: true,
  scope: 'resource',
  appliesTo: typesOf('Deployment', 'StatefulSet', 'LeaderWorkerSet'),
  check: (r, ctx) => {
    const p = podView(r);
    // A LeaderWorkerSet's replicas are groups: more than one group needs a budget over its pods.
    if (!p || !['Deployment', 'StatefulSet', 'LeaderWorkerSet'].includes(p.obj.kind)) return na;
    const path = at(p.obj, 'spec', 'replicas');
    if (p.replicas === undefined) return unknown(path, 'replicas is not resolved at synth time');
    if (p.replicas <= 1) return na;
    const ns = p.obj.namespace ?? 'default';
    for (const other of ctx.stack.resources) {
      const o = k8sObject(other);
      if (!o || o.kind !== 'PodDisruptionBudget' || (o.namespace ?? 'default') !== ns) continue;
      const sel = get(o, o.root, 'spec', 'selector');
      const match = strMap(one(sel?.[o.k('match_labels')]));
      const keys = Object.keys(match);
      if (keys.length > 0 && keys.every((key) => p.podLabels[key] === match[key])) return ok(join(path));
    }
    return fail(
      path,
      `${p.replicas} replicas and no PodDisruptionBudget in namespace ${ns} selects the pods`,
    );
  },
};
