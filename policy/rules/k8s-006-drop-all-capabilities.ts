import { join, list, one } from '../json';
import { WORKLOAD_TYPES } from '../k8s';
import { fail, ok, unknown, type ResourceRule } from '../types';
import { eachContainer, unresolved } from './private/helpers';

export const rule: ResourceRule = {
  id: 'K8S-006',
  title: 'Containers drop ALL capabilities and add none but NET_BIND_SERVICE',
  severity: 'medium',
  fix: 'Set `capabilities { drop = ["ALL"] }` in every container security context; add back only NET_BIND_SERVICE.',
  anchors: [
    'PSS restricted: Capabilities',
    'PSS baseline: Capabilities',
    'CKV_K8S_28',
    'CKV_K8S_37',
    'KSV-0003',
    'KSV-0022',
  ],
  suppressible: true,
  scope: 'resource',
  appliesTo: WORKLOAD_TYPES,
  check: (r) =>
    eachContainer(r, (c, p) => {
      const k = p.obj.k;
      const sc = one(c.c[k('security_context')]);
      const caps = one(sc?.[k('capabilities')]);
      const path = join(c.path, k('security_context'), k('capabilities'));
      if (unresolved(caps))
        return unknown(path, `container ${c.name}: capabilities are not resolved at synth time`);
      const drop = list(caps?.drop).map((x) => String(x).toUpperCase());
      const add = list(caps?.add).map((x) => String(x).toUpperCase().replace(/^CAP_/, ''));
      const extra = add.filter((a) => a !== 'NET_BIND_SERVICE');
      if (!drop.includes('ALL'))
        return fail(
          join(path, 'drop'),
          `container ${c.name}: must drop ALL, drops ${drop.length ? drop.join(', ') : 'nothing'}`,
        );
      if (extra.length > 0)
        return fail(
          join(path, 'add'),
          `container ${c.name}: adds ${extra.join(', ')}; only NET_BIND_SERVICE is allowed`,
        );
      return ok(path);
    }),
};
