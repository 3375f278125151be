import { rule } from '../../../policy/rules/k8s-022-no-cluster-admin-binding';
import { exampleStack, withResource } from '../fixtures';
import { failuresOn } from './helpers';

const binding = (role: string) => ({
  metadata: { name: 'b' },
  role_ref: { api_group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subject: [{ kind: 'ServiceAccount', name: 'x', namespace: 'llm' }],
});

describe('K8S-022 no cluster-admin bindings', () => {
  test('passes a binding to a narrow role', () => {
    expect(
      failuresOn(
        rule,
        withResource(exampleStack(), 'kubernetes_cluster_role_binding_v1', 'b', binding('view')),
      ),
    ).toEqual([]);
  });
  test('fails on cluster-admin and system:masters', () => {
    const b = binding('cluster-admin');
    b.subject.push({ kind: 'Group', name: 'system:masters', namespace: '' });
    expect(
      failuresOn(rule, withResource(exampleStack(), 'kubernetes_cluster_role_binding_v1', 'b', b)),
    ).toEqual([
      'kubernetes_cluster_role_binding_v1.b role_ref.name: binds the cluster-admin ClusterRole',
      'kubernetes_cluster_role_binding_v1.b subject[1].name: binds the system:masters group',
    ]);
  });
});
