import { bool, join } from '../json';
import { WORKLOAD_TYPES } from '../k8s';
import { fail, ok, unknown, type ResourceRule } from '../types';
import { eachContainer, unresolved } from './private/helpers';

export const rule: ResourceRule = {
  id: 'K8S-001',
  title: 'Containers are not privileged',
  severity: 'critical',
  fix: 'Remove `privileged: true` from the container security context.',
  anchors: [
    'PSS baseline: Privileged Containers',
    'CKV_K8S_16',
    'KSV-0017',
    'Polaris privilegeEscalationAllowed',
  ],
  suppressible: true,
  scope: 'resource',
  appliesTo: WORKLOAD_TYPES,
  check: (r) =>
    eachContainer(r, (c, p) => {
      const k = p.obj.k;
      const sc = c.c[k('security_context')];
      const v = Array.isArray(sc) ? sc[0] : sc;
      const raw = v && typeof v === 'object' && !Array.isArray(v) ? v[k('privileged')] : undefined;
      const path = join(c.path, k('security_context'), k('privileged'));
      if (unresolved(raw))
        return unknown(path, `container ${c.name}: privileged is not resolved at synth time`);
      if (bool(raw) === true) return fail(path, `container ${c.name} runs privileged`);
      return ok(path);
    }),
};
