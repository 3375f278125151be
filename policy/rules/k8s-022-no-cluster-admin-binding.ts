import { many, one, str } from '../json';
import { at, k8sObject, typesOf } from '../k8s';
import { fail, na, ok, type Outcome, type ResourceRule } from '../types';

export const rule: ResourceRule = {
  id: 'K8S-022',
  title: 'No binding grants cluster-admin or system:masters',
  severity: 'critical',
  fix: 'Bind a Role with the permissions the subject needs instead of cluster-admin.',
  anchors: ['CIS Kubernetes 5.1.1', 'KSV-0111'],
  suppressible: true,
  scope: 'resource',
  appliesTo: typesOf('RoleBinding', 'ClusterRoleBinding'),
  check: (r) => {
    const o = k8sObject(r);
    if (!o || !['RoleBinding', 'ClusterRoleBinding'].includes(o.kind)) return na;
    const out: Outcome[] = [];
    const ref = one(o.root[o.k('role_ref')]);
    const refPath = at(o, 'role_ref', 'name');
    out.push(
      str(ref?.name) === 'cluster-admin' ? fail(refPath, 'binds the cluster-admin ClusterRole') : ok(refPath),
    );
    many(o.root[o.k('subject')]).forEach((s, i) => {
      if (str(s.kind) === 'Group' && str(s.name) === 'system:masters')
        out.push(fail(`${at(o, 'subject')}[${i}].name`, 'binds the system:masters group'));
    });
    return out;
  },
};
