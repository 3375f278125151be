import { isObj, isRef, join, str } from '../json';
import { WORKLOAD_TYPES, at, envOf, k8sObject, podViews, typesOf } from '../k8s';
import { fail, na, ok, type Outcome, type ResourceRule } from '../types';
import { looksSecret } from './private/helpers';

export const rule: ResourceRule = {
  id: 'K8S-025',
  title: 'Secrets are referenced, never written as literal values',
  severity: 'high',
  fix: 'Read the value from a Secret (`value_from.secret_key_ref` / valueFrom.secretKeyRef); create Secrets outside the stack or from a variable, never with literal data.',
  anchors: ['CKV_K8S_35', 'Kubernetes: Good practices for Secrets', 'OWASP Kubernetes Top 10 K08'],
  suppressible: true,
  scope: 'resource',
  appliesTo: [...new Set([...WORKLOAD_TYPES, ...typesOf('Secret')])].sort(),
  check: (r) => {
    const views = podViews(r);
    const p = views[0];
    if (p) {
      const out: Outcome[] = [];
      for (const c of views.flatMap((v) => v.containers)) {
        for (const e of envOf(p.obj, c)) {
          if (!looksSecret(e.name)) continue;
          const v = e.value;
          if (v !== undefined && v !== null && str(v) !== '' && !isRef(v)) {
            out.push(fail(join(e.path, 'value'), `container ${c.name}: ${e.name} is a literal value`));
          } else out.push(ok(e.path));
        }
      }
      return out.length ? out : ok(p.podPath);
    }
    const o = k8sObject(r);
    if (!o || o.kind !== 'Secret') return na;
    const out: Outcome[] = [];
    for (const f of ['data', 'binary_data', 'string_data']) {
      const m = o.root[o.k(f)];
      if (!isObj(m)) continue;
      for (const [k, v] of Object.entries(m)) {
        if (!isRef(v) && str(v) !== '')
          out.push(fail(`${at(o, f)}["${k}"]`, `Secret ${o.name ?? ''} holds a literal value for ${k}`));
      }
    }
    return out.length ? out : ok(at(o, 'data'));
  },
};
