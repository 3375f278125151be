import { join } from '../json';
import { WORKLOAD_TYPES } from '../k8s';
import { fail, na, ok, type Outcome, type ResourceRule } from '../types';
import { eachContainer } from './private/helpers';

export const rule: ResourceRule = {
  id: 'K8S-016',
  title: 'Long-running containers have readiness and liveness probes',
  severity: 'low',
  fix: 'Add `readiness_probe` and `liveness_probe` (readinessProbe/livenessProbe) on the engine health endpoint; a startup_probe covers slow model loading.',
  anchors: [
    'CKV_K8S_8',
    'CKV_K8S_9',
    'kube-score container-probes',
    'Polaris livenessProbeMissing',
    'Polaris readinessProbeMissing',
  ],
  suppressible: true,
  scope: 'resource',
  appliesTo: WORKLOAD_TYPES,
  check: (r) =>
    eachContainer(
      r,
      (c, p) => {
        if (!p.longRunning) return na;
        return ['readiness_probe', 'liveness_probe'].map((f): Outcome => {
          const path = join(c.path, p.obj.k(f));
          return c.c[p.obj.k(f)] === undefined ? fail(path, `container ${c.name} has no ${f}`) : ok(path);
        });
      },
      false,
    ),
};
