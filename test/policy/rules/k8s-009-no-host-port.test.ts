import { rule } from '../../../policy/rules/k8s-009-no-host-port';
import { expectCompliantInEveryKind, expectFailsInEveryKind } from './helpers';

describe('K8S-009 no host ports', () => {
  test('passes the hardened pod in every workload kind', () => expectCompliantInEveryKind(rule));
  test('fails when a container binds a host port', () =>
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].port[0].host_port = 8000),
      { tf: 'container[0].port[0].host_port', k8s: 'containers[0].ports[0].hostPort' },
      /binds host port 8000/,
    ));
});
