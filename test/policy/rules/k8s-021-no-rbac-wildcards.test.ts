import { rule } from '../../../policy/rules/k8s-021-no-rbac-wildcards';
import { exampleStack, withResource } from '../fixtures';
import { failuresOn } from './helpers';

const role = (verbs: string[]) => ({
  metadata: { name: 'r', namespace: 'llm' },
  rule: [{ api_groups: [''], resources: ['configmaps'], verbs }],
});

describe('K8S-021 no RBAC wildcards', () => {
  test('passes a role listing verbs', () => {
    expect(
      failuresOn(rule, withResource(exampleStack(), 'kubernetes_role_v1', 'r', role(['get', 'list']))),
    ).toEqual([]);
  });
  test('fails on a wildcard verb in a Role and a wildcard resource in a manifest ClusterRole', () => {
    let j = withResource(exampleStack(), 'kubernetes_role_v1', 'r', role(['*']));
    j = withResource(j, 'kubernetes_manifest', 'cr', {
      manifest: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'cr' },
        rules: [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }],
      },
    });
    expect(failuresOn(rule, j)).toEqual([
      'kubernetes_manifest.cr manifest.rules[0].resources: rule 0 grants * in resources',
      'kubernetes_role_v1.r rule[0].verbs: rule 0 grants * in verbs',
    ]);
  });
});
