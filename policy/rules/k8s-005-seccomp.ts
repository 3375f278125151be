import { one, str, join } from '../json';
import { WORKLOAD_TYPES, effective } from '../k8s';
import { fail, ok, unknown, type ResourceRule } from '../types';
import { eachContainer, unresolved } from './private/helpers';

export const rule: ResourceRule = {
  id: 'K8S-005',
  title: 'Containers use the RuntimeDefault (or a Localhost) seccomp profile',
  severity: 'medium',
  fix: 'Set `seccomp_profile { type = "RuntimeDefault" }` (seccompProfile.type) in the pod security context.',
  anchors: ['PSS restricted: Seccomp', 'CKV_K8S_31', 'KSV-0030', 'kube-score container-seccomp-profile'],
  suppressible: true,
  scope: 'resource',
  appliesTo: WORKLOAD_TYPES,
  check: (r) =>
    eachContainer(r, (c, p) => {
      const e = effective(p, c, 'seccomp_profile');
      const path = join(e.path, 'type');
      if (unresolved(e.value))
        return unknown(path, `container ${c.name}: seccomp profile is not resolved at synth time`);
      const type = str(one(e.value)?.type);
      if (type === 'RuntimeDefault' || type === 'Localhost') return ok(path);
      return fail(
        path,
        `container ${c.name}: seccomp profile must be RuntimeDefault or Localhost, is ${type ?? 'unset (Unconfined)'}`,
      );
    }),
};
