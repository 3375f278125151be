import { rule } from '../../../policy/rules/k8s-003-run-as-non-root';
import { expectCompliantInEveryKind, expectFailsInEveryKind, expectUnknownInEveryKind } from './helpers';

describe('K8S-003 run as non-root', () => {
  test('passes the hardened pod in every workload kind', () => expectCompliantInEveryKind(rule));
  test('fails when neither pod nor container sets run_as_non_root', () =>
    expectFailsInEveryKind(
      rule,
      (p) => {
        delete p.security_context.run_as_non_root;
        delete p.container[0].security_context.run_as_non_root;
      },
      {
        tf: 'container[0].security_context.run_as_non_root',
        k8s: 'containers[0].securityContext.runAsNonRoot',
      },
      /must be true, is unset/,
    ));
  test('fails when the container overrides the pod with false', () =>
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].security_context.run_as_non_root = false),
      {
        tf: 'container[0].security_context.run_as_non_root',
        k8s: 'containers[0].securityContext.runAsNonRoot',
      },
      /is false/,
    ));
  test('is unknown when the value is a reference', () =>
    expectUnknownInEveryKind(rule, (p) => (p.container[0].security_context.run_as_non_root = '${var.x}')));
});
