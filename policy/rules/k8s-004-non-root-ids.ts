import { num } from '../json';
import { WORKLOAD_TYPES, effective } from '../k8s';
import { fail, ok, unknown, type Outcome, type ResourceRule } from '../types';
import { eachContainer, unresolved } from './private/helpers';

export const rule: ResourceRule = {
  id: 'K8S-004',
  title: 'Containers run with an explicit non-zero UID and GID',
  severity: 'medium',
  fix: 'Set `run_as_user` and `run_as_group` (runAsUser/runAsGroup) to a non-zero id, e.g. 10001, in the pod security context.',
  anchors: [
    'PSS restricted: Running as Non-root user',
    'CKV_K8S_40',
    'KSV-0020',
    'KSV-0021',
    'kube-score container-security-context-user-group-id',
  ],
  suppressible: true,
  scope: 'resource',
  appliesTo: WORKLOAD_TYPES,
  check: (r) =>
    eachContainer(r, (c, p) =>
      ['run_as_user', 'run_as_group'].map((f): Outcome => {
        const e = effective(p, c, f);
        if (unresolved(e.value))
          return unknown(e.path, `container ${c.name}: ${f} is not resolved at synth time`);
        const n = num(e.value);
        if (n === undefined)
          return fail(e.path, `container ${c.name}: ${f} is unset (the image decides, often 0)`);
        if (n === 0) return fail(e.path, `container ${c.name}: ${f} is 0 (root)`);
        return ok(e.path);
      }),
    ),
};
