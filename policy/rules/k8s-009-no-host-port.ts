import { join, many, num } from '../json';
import { WORKLOAD_TYPES } from '../k8s';
import { fail, ok, unknown, type ResourceRule } from '../types';
import { eachContainer, unresolved } from './private/helpers';

export const rule: ResourceRule = {
  id: 'K8S-009',
  title: 'Containers bind no host ports',
  severity: 'medium',
  fix: 'Remove `host_port` (hostPort); expose the container through a ClusterIP Service.',
  anchors: ['PSS baseline: Host Ports', 'CKV_K8S_26', 'KSV-0024', 'Polaris hostPortSet'],
  suppressible: true,
  scope: 'resource',
  appliesTo: WORKLOAD_TYPES,
  check: (r) =>
    eachContainer(r, (c, p) => {
      const k = p.obj.k;
      const ports = many(c.c[k('port')]);
      if (ports.length === 0) return ok(join(c.path, k('port')));
      return ports.map((pt, i) => {
        const path = `${join(c.path, k('port'))}[${i}].${k('host_port')}`;
        const v = pt[k('host_port')];
        if (unresolved(v))
          return unknown(path, `container ${c.name}: host port is not resolved at synth time`);
        const n = num(v);
        return n !== undefined && n !== 0 ? fail(path, `container ${c.name} binds host port ${n}`) : ok(path);
      });
    }),
};
