import { bool } from '../json';
import { WORKLOAD_TYPES, effective } from '../k8s';
import { fail, ok, unknown, type ResourceRule } from '../types';
import { eachContainer, unresolved } from './private/helpers';

export const rule: ResourceRule = {
  id: 'K8S-003',
  title: 'Containers must run as non-root',
  severity: 'high',
  fix: 'Set `run_as_non_root: true` (runAsNonRoot) in the pod or container security context.',
  anchors: ['PSS restricted: Running as Non-root', 'CKV_K8S_23', 'KSV-0012', 'Polaris runAsRootAllowed'],
  suppressible: true,
  scope: 'resource',
  appliesTo: WORKLOAD_TYPES,
  check: (r) =>
    eachContainer(r, (c, p) => {
      const e = effective(p, c, 'run_as_non_root');
      if (unresolved(e.value))
        return unknown(e.path, `container ${c.name}: value is not resolved at synth time`);
      if (bool(e.value) === true) return ok(e.path);
      return fail(
        e.path,
        `container ${c.name}: run_as_non_root must be true, is ${e.value === undefined ? 'unset' : JSON.stringify(e.value)}`,
      );
    }),
};
