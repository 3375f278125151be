import { rule } from '../../../policy/rules/k8s-012-no-automount-token';
import { expectCompliantInEveryKind, expectFailsInEveryKind } from './helpers';

describe('K8S-012 no automounted service-account token', () => {
  test('passes the hardened pod in every workload kind', () => expectCompliantInEveryKind(rule));
  test('fails when automount is unset (the provider defaults it to true)', () =>
    expectFailsInEveryKind(
      rule,
      (p) => delete p.automount_service_account_token,
      { tf: 'spec.automount_service_account_token', k8s: 'spec.automountServiceAccountToken' },
      /unset \(defaults to true\)/,
    ));
});
