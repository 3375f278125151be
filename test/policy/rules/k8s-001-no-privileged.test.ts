import { rule } from '../../../policy/rules/k8s-001-no-privileged';
import { expectCompliantInEveryKind, expectFailsInEveryKind, expectUnknownInEveryKind } from './helpers';

describe('K8S-001 no privileged containers', () => {
  test('passes the hardened pod in every workload kind', () => expectCompliantInEveryKind(rule));
  test('fails when a container is privileged', () =>
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].security_context.privileged = true),
      { tf: 'container[0].security_context.privileged', k8s: 'containers[0].securityContext.privileged' },
      /vllm runs privileged/,
    ));
  test('is unknown when privileged is a reference', () =>
    expectUnknownInEveryKind(
      rule,
      (p) => (p.container[0].security_context.privileged = '${var.privileged}'),
    ));
  test('reads security_context given as a one-element array', () =>
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].security_context = [{ ...p.container[0].security_context, privileged: 'true' }]),
      { tf: 'container[0].security_context.privileged', k8s: 'containers[0].securityContext.privileged' },
      /privileged/,
    ));
});
