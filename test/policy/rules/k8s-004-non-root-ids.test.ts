import { rule } from '../../../policy/rules/k8s-004-non-root-ids';
import { expectCompliantInEveryKind, expectFailsInEveryKind } from './helpers';

describe('K8S-004 explicit non-zero UID and GID', () => {
  test('passes the hardened pod in every workload kind', () => expectCompliantInEveryKind(rule));
  test('fails when run_as_user is 0', () =>
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].security_context.run_as_user = '0'),
      { tf: 'container[0].security_context.run_as_user', k8s: 'containers[0].securityContext.runAsUser' },
      /run_as_user is 0 \(root\)/,
    ));
  test('fails when run_as_group is unset', () =>
    expectFailsInEveryKind(
      rule,
      (p) => delete p.security_context.run_as_group,
      { tf: 'security_context.run_as_group', k8s: 'securityContext.runAsGroup' },
      /run_as_group is unset/,
    ));
});
