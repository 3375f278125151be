import { bool } from '../json';
import { WORKLOAD_TYPES, effective } from '../k8s';
import { fail, ok, unknown, type ResourceRule } from '../types';
import { eachContainer, unresolved } from './private/helpers';

export const rule: ResourceRule = {
  id: 'K8S-002',
  title: 'Containers forbid privilege escalation',
  severity: 'high',
  fix: 'Set `allow_privilege_escalation: false` (allowPrivilegeEscalation) in every container security context.',
  anchors: [
    'PSS restricted: Privilege Escalation',
    'CKV_K8S_20',
    'KSV-0001',
    'kube-score container-security-context-privilege-escalation',
  ],
  suppressible: true,
  scope: 'resource',
  appliesTo: WORKLOAD_TYPES,
  check: (r) =>
    eachContainer(r, (c, p) => {
      const e = effective(p, c, 'allow_privilege_escalation');
      if (e.from === 'pod')
        return fail(
          e.path,
          `container ${c.name}: allow_privilege_escalation is a container field, set it there`,
        );
      if (unresolved(e.value))
        return unknown(e.path, `container ${c.name}: value is not resolved at synth time`);
      const v = bool(e.value);
      if (v === false) return ok(e.path);
      return fail(
        e.path,
        `container ${c.name}: must be false, is ${v === undefined ? 'unset (defaults to true)' : 'true'}`,
      );
    }),
};
