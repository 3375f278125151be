import { join, many, one, str } from '../json';
import { cidrPrefix } from '../../core/hosts';
import { at, get, k8sObject, typesOf } from '../k8s';
import { fail, na, ok, unknown, type Outcome, type ResourceRule } from '../types';
import { unresolved } from './private/helpers';

export const rule: ResourceRule = {
  id: 'K8S-019',
  title: 'NetworkPolicies never allow 0.0.0.0/0 or ::/0',
  severity: 'high',
  fix: 'Replace the catch-all ip_block by the specific CIDRs the workload needs.',
  anchors: ['NSA/CISA Kubernetes Hardening Guide: Network policies', 'CIS Kubernetes 5.3.2'],
  suppressible: true,
  scope: 'resource',
  appliesTo: typesOf('NetworkPolicy'),
  check: (r) => {
    const o = k8sObject(r);
    if (!o || o.kind !== 'NetworkPolicy') return na;
    const spec = get(o, o.root, 'spec') ?? {};
    const out: Outcome[] = [];
    for (const [dir, peers] of [
      ['ingress', 'from'],
      ['egress', 'to'],
    ] as const) {
      many(spec[dir]).forEach((rule, i) => {
        many(rule[peers]).forEach((peer, j) => {
          const ip = one(peer[o.k('ip_block')]);
          if (!ip) return;
          const path = join(at(o, 'spec'), `${dir}[${i}]`, `${peers}[${j}]`, o.k('ip_block'), 'cidr');
          if (unresolved(ip.cidr)) out.push(unknown(path, 'cidr is not resolved at synth time'));
          else if (cidrPrefix(str(ip.cidr) ?? '') === 0)
            out.push(fail(path, `${dir} allows ${str(ip.cidr)} (every address)`));
          else out.push(ok(path));
        });
      });
    }
    return out.length ? out : na;
  },
};
