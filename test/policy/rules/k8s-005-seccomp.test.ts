import { rule } from '../../../policy/rules/k8s-005-seccomp';
import { expectCompliantInEveryKind, expectFailsInEveryKind, expectUnknownInEveryKind } from './helpers';

describe('K8S-005 RuntimeDefault seccomp', () => {
  test('passes the hardened pod in every workload kind', () => expectCompliantInEveryKind(rule));
  test('fails when no seccomp profile is set', () =>
    expectFailsInEveryKind(
      rule,
      (p) => delete p.security_context.seccomp_profile,
      { tf: 'security_context.seccomp_profile.type', k8s: 'securityContext.seccompProfile.type' },
      /unset \(Unconfined\)/,
    ));
  test('fails when the container sets Unconfined over the pod default', () =>
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].security_context.seccomp_profile = { type: 'Unconfined' }),
      {
        tf: 'container[0].security_context.seccomp_profile.type',
        k8s: 'containers[0].securityContext.seccompProfile.type',
      },
      /is Unconfined/,
    ));
  test('is unknown when the profile is a reference', () =>
    expectUnknownInEveryKind(rule, (p) => (p.security_context.seccomp_profile = { type: '${var.seccomp}' })));
});
