import { rule } from '../../../policy/rules/k8s-014-requests-and-limits';
import { expectCompliantInEveryKind, expectFailsInEveryKind, expectUnknownInEveryKind } from './helpers';

describe('K8S-014 requests and limits', () => {
  test('passes the example pod in every workload kind', () => expectCompliantInEveryKind(rule));
  test('fails when the memory limit is missing', () =>
    expectFailsInEveryKind(
      rule,
      (p) => delete p.container[0].resources.limits.memory,
      { tf: 'resources.limits.memory', k8s: 'resources.limits.memory' },
      /limits.memory is unset/,
    ));
  test('fails when there are no resources at all', () =>
    expectFailsInEveryKind(
      rule,
      (p) => delete p.container[0].resources,
      { tf: 'resources.requests.cpu', k8s: 'resources.requests.cpu' },
      /requests.cpu is unset/,
    ));
  test('is unknown when a limit is a reference', () =>
    expectUnknownInEveryKind(rule, (p) => (p.container[0].resources.limits.cpu = '${var.cpu}')));
});
