import { rule } from '../../../policy/rules/k8s-002-no-privilege-escalation';
import { expectCompliantInEveryKind, expectFailsInEveryKind, expectUnknownInEveryKind } from './helpers';

describe('K8S-002 no privilege escalation', () => {
  test('passes the hardened pod in every workload kind', () => expectCompliantInEveryKind(rule));
  test('fails when allow_privilege_escalation is unset (defaults to true)', () =>
    expectFailsInEveryKind(
      rule,
      (p) => delete p.container[0].security_context.allow_privilege_escalation,
      { tf: 'security_context.allow_privilege_escalation', k8s: 'securityContext.allowPrivilegeEscalation' },
      /unset \(defaults to true\)/,
    ));
  test('fails when allow_privilege_escalation is true', () =>
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].security_context.allow_privilege_escalation = true),
      { tf: 'security_context.allow_privilege_escalation', k8s: 'securityContext.allowPrivilegeEscalation' },
      /must be false, is true/,
    ));
  test('is unknown when the value is a reference', () =>
    expectUnknownInEveryKind(
      rule,
      (p) => (p.container[0].security_context.allow_privilege_escalation = '${var.x}'),
    ));
});
