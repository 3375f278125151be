import { join, one, str } from '../json';
import { WORKLOAD_TYPES } from '../k8s';
import { fail, ok, unknown, type Outcome, type ResourceRule } from '../types';
import { eachContainer, unresolved } from './private/helpers';

export const rule: ResourceRule = {
  id: 'K8S-014',
  title: 'Containers set CPU and memory requests and limits',
  severity: 'medium',
  fix: 'Set `resources.requests.cpu`, `resources.requests.memory`, `resources.limits.cpu` and `resources.limits.memory`.',
  anchors: [
    'CKV_K8S_10',
    'CKV_K8S_11',
    'CKV_K8S_12',
    'CKV_K8S_13',
    'KSV-0011',
    'KSV-0015',
    'KSV-0016',
    'KSV-0018',
    'kube-score container-resources',
    'Polaris cpuRequestsMissing',
  ],
  suppressible: true,
  scope: 'resource',
  appliesTo: WORKLOAD_TYPES,
  check: (r) =>
    eachContainer(r, (c, p) => {
      const res = one(c.c[p.obj.k('resources')]);
      const base = join(c.path, p.obj.k('resources'));
      const out: Outcome[] = [];
      for (const kind of ['requests', 'limits']) {
        const m = one(res?.[kind]);
        for (const name of ['cpu', 'memory']) {
          const path = join(base, kind, name);
          const v = m?.[name];
          if (unresolved(v))
            out.push(unknown(path, `container ${c.name}: ${kind}.${name} is not resolved at synth time`));
          else if (str(v) === undefined || str(v) === '')
            out.push(fail(path, `container ${c.name}: ${kind}.${name} is unset`));
          else out.push(ok(path));
        }
      }
      return out;
    }),
};
