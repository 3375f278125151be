import { list, many, one } from '../json';
import { WORKLOAD_TYPES, at, get, podView } from '../k8s';
import { fail, na, ok, unknown, type ResourceRule } from '../types';
import { objectsIn, unresolved } from './private/helpers';

export const rule: ResourceRule = {
  id: 'K8S-018',
  title: 'Every workload namespace has a default-deny NetworkPolicy for ingress and egress',
  severity: 'high',
  fix: 'Add a NetworkPolicy with an empty pod selector, policy types Ingress and Egress and no rules in the namespace; then allow only what serving needs.',
  anchors: [
    'CIS Kubernetes 5.3.2',
    'kube-score pod-networkpolicy',
    'NSA/CISA Kubernetes Hardening Guide: Network separation',
  ],
  suppressible: true,
  scope: 'resource',
  appliesTo: WORKLOAD_TYPES,
  check: (r, ctx) => {
    const p = podView(r);
    if (!p) return na;
    const path = at(p.obj, 'metadata', 'namespace');
    if (unresolved(p.obj.namespace)) return unknown(path, 'namespace is not resolved at synth time');
    const ns = p.obj.namespace ?? 'default';
    const denies = { Ingress: false, Egress: false };
    for (const o of objectsIn(ctx.stack, ns, 'NetworkPolicy')) {
      const spec = get(o, o.root, 'spec') ?? {};
      const sel = one(spec[o.k('pod_selector')]) ?? {};
      const empty = Object.values(sel).every(
        (v) =>
          v === null ||
          (typeof v === 'object' && Object.keys(v).length === 0) ||
          (Array.isArray(v) && v.length === 0),
      );
      if (!empty) continue;
      const types = list(spec[o.k('policy_types')]).map(String);
      for (const t of ['Ingress', 'Egress'] as const) {
        if (types.includes(t) && many(spec[t.toLowerCase()]).length === 0) denies[t] = true;
      }
    }
    const missing = (['Ingress', 'Egress'] as const).filter((t) => !denies[t]);
    if (missing.length)
      return fail(path, `namespace ${ns} has no default-deny NetworkPolicy for ${missing.join(' and ')}`);
    return ok(path);
  },
};
