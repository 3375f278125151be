import { isObj, str } from '../json';
import { helmValues } from '../images';
import { at, get, k8sObject, typesOf } from '../k8s';
import { fail, na, ok, unknown, type Outcome, type ResourceRule } from '../types';
import { unresolved } from './private/helpers';

const EXPOSING = ['NodePort', 'LoadBalancer', 'ExternalName'];

export const rule: ResourceRule = {
  id: 'K8S-020',
  title: 'Services are ClusterIP unless the jurisdiction allows another type',
  severity: 'medium',
  fix: 'Use a ClusterIP Service behind the cluster ingress, or add the type to `allowed.serviceTypes` in the jurisdiction spec.',
  anchors: [
    'kube-score service-type',
    'KSV-0117 (NodePort)',
    'NSA/CISA Kubernetes Hardening Guide: Network separation',
  ],
  suppressible: true,
  scope: 'resource',
  appliesTo: [...typesOf('Service'), 'helm_release'],
  check: (r, ctx) => {
    const allowed = ctx.metadata.allowed.serviceTypes;
    const judge = (t: unknown, path: string): Outcome => {
      if (unresolved(t as never)) return unknown(path, 'service type is not resolved at synth time');
      const s = str(t) ?? 'ClusterIP';
      if (EXPOSING.includes(s) && !allowed.includes(s))
        return fail(
          path,
          `service type ${s} is not allowed (allowed: ClusterIP${allowed.length ? ', ' + allowed.join(', ') : ''})`,
        );
      return ok(path);
    };
    if (r.type === 'helm_release') {
      const out: Outcome[] = [];
      const walk = (v: unknown, path: string): void => {
        if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
        else if (isObj(v)) {
          for (const [k, x] of Object.entries(v)) {
            if (/service$/i.test(k) && isObj(x) && x.type !== undefined)
              out.push(judge(x.type, `${path}.${k}.type`));
            walk(x, `${path}.${k}`);
          }
        }
      };
      for (const t of helmValues(r.body).trees) walk(t.tree, t.path);
      return out.length ? out : na;
    }
    const o = k8sObject(r);
    if (!o || o.kind !== 'Service') return na;
    return judge(get(o, o.root, 'spec')?.type, at(o, 'spec', 'type'));
  },
};
