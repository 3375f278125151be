/**
 * What a stack exposes and who may call it: Services with their ports and type, and the
 * callers each NetworkPolicy admits.
 */
import { ANNOTATION_MODEL } from '../../core/annotations';
import type { StackResult } from '../engine';
import { cmp, many, num, one, str, strMap, type Obj } from '../json';
import { k8sObject, podView } from '../k8s';
import type { CallerEntry, ServiceEntry } from './model';

export function services(r: StackResult): ServiceEntry[] {
  const servers = r.stack.resources.flatMap((res) => {
    const p = podView(res);
    const model = p ? { ...p.obj.annotations, ...p.podAnnotations }[ANNOTATION_MODEL] : undefined;
    return p && model !== undefined
      ? [{ namespace: p.obj.namespace ?? 'default', labels: p.podLabels, model }]
      : [];
  });
  const out: ServiceEntry[] = [];
  for (const res of r.stack.resources) {
    const o = k8sObject(res);
    if (o?.kind !== 'Service') continue;
    const spec = one(o.root.spec) ?? {};
    const namespace = o.namespace ?? 'default';
    const selector = strMap(spec.selector);
    const keys = Object.keys(selector);
    const models =
      keys.length === 0
        ? []
        : servers
            .filter(
              (x) =>
                x.namespace === namespace &&
                keys.every((k) => Object.hasOwn(x.labels, k) && x.labels[k] === selector[k]),
            )
            .map((x) => x.model);
    out.push({
      namespace,
      name: o.name ?? res.name,
      type: str(spec.type) ?? 'ClusterIP',
      ports: many(spec.port)
        .map((x) => num(x.port))
        .filter((x): x is number => x !== undefined),
      models: [...new Set(models)].sort(),
    });
  }
  return out.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
}

export function callers(r: StackResult): CallerEntry[] {
  const out: CallerEntry[] = [];
  for (const res of r.stack.resources) {
    const o = k8sObject(res);
    if (o?.kind !== 'NetworkPolicy') continue;
    const spec = one(o.root.spec) ?? {};
    const matchLabels = (sel: Obj) => strMap(sel[o.k('match_labels')]);
    const labels = (sel: Obj) =>
      Object.entries(matchLabels(sel))
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
    for (const rule of many(spec.ingress)) {
      const from: string[] = [];
      for (const f of many(rule.from)) {
        const ns = one(f[o.k('namespace_selector')]);
        const pod = one(f[o.k('pod_selector')]);
        const ip = one(f[o.k('ip_block')]);
        if (ip) from.push(str(ip.cidr) ?? '?');
        else if (ns) {
          const named = matchLabels(ns)['kubernetes.io/metadata.name'];
          const sel = labels(ns);
          from.push(
            named !== undefined && Object.keys(matchLabels(ns)).length === 1
              ? `namespace ${named}`
              : sel
                ? `namespaces with ${sel}`
                : 'every namespace',
          );
        } else if (pod) from.push(`pods with ${labels(pod) || 'any labels'} in ${o.namespace ?? 'default'}`);
      }
      if (many(rule.from).length === 0) from.push('anyone');
      out.push({
        namespace: o.namespace ?? 'default',
        policy: o.name ?? res.name,
        from,
        ports: many(rule.ports).map((x) => String(x.port ?? 'any')),
      });
    }
  }
  return out.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.policy, b.policy));
}
