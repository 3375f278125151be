import { join, list, many } from '../json';
import { at, k8sObject, typesOf } from '../k8s';
import { fail, na, ok, type Outcome, type ResourceRule } from '../types';

export const rule: ResourceRule = {
  id: 'K8S-021',
  title: 'Roles and ClusterRoles use no wildcards',
  severity: 'high',
  fix: 'List the API groups, resources and verbs the subject needs instead of `*`.',
  anchors: ['CIS Kubernetes 5.1.3', 'CKV_K8S_49', 'KSV-0044', 'KSV-0045', 'KSV-0046'],
  suppressible: true,
  scope: 'resource',
  appliesTo: typesOf('Role', 'ClusterRole'),
  check: (r) => {
    const o = k8sObject(r);
    if (!o || !['Role', 'ClusterRole'].includes(o.kind)) return na;
    const out: Outcome[] = many(o.root[o.k('rule')]).map((rl, i) => {
      const path = `${at(o, 'rule')}[${i}]`;
      for (const f of ['api_groups', 'resources', 'verbs', 'non_resource_urls']) {
        if (list(rl[o.k(f)]).map(String).includes('*'))
          return fail(join(path, o.k(f)), `rule ${i} grants * in ${f}`);
      }
      return ok(path);
    });
    return out.length ? out : na;
  },
};
