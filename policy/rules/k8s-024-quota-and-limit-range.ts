import { one } from '../json';
import { WORKLOAD_TYPES, at, get, podView } from '../k8s';
import { fail, na, ok, unknown, type ResourceRule } from '../types';
import { objectsIn, unresolved } from './private/helpers';
import { GPU_RESOURCE } from './k8s-015-gpu-explicit';

export const rule: ResourceRule = {
  id: 'K8S-024',
  title: 'Every workload namespace has a ResourceQuota (GPUs included) and a LimitRange',
  severity: 'medium',
  fix: 'Add a ResourceQuota (with `requests.nvidia.com/gpu` where GPUs run) and a LimitRange to the namespace.',
  anchors: [
    'NSA/CISA Kubernetes Hardening Guide: Resource policies',
    'CIS Kubernetes 5.7 (namespaces as boundaries)',
    'Kubernetes: Resource quotas for extended resources',
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
    const quotas = objectsIn(ctx.stack, ns, 'ResourceQuota');
    const missing: string[] = [];
    if (quotas.length === 0) missing.push('ResourceQuota');
    if (objectsIn(ctx.stack, ns, 'LimitRange').length === 0) missing.push('LimitRange');
    if (missing.length) return fail(path, `namespace ${ns} has no ${missing.join(' and no ')}`);
    const gpus = new Set<string>();
    for (const c of p.containers) {
      const res = one(c.c[p.obj.k('resources')]);
      for (const n of Object.keys(one(res?.limits) ?? {})) if (GPU_RESOURCE.test(n)) gpus.add(n);
    }
    for (const g of gpus) {
      const capped = quotas.some((q) => {
        const hard = one(get(q, q.root, 'spec')?.hard) ?? {};
        return hard[`requests.${g}`] !== undefined;
      });
      if (!capped) return fail(path, `namespace ${ns}: no ResourceQuota caps requests.${g}`);
    }
    return ok(path);
  },
};
