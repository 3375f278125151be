import { rule } from '../../../policy/rules/k8s-007-no-host-namespaces';
import { expectCompliantInEveryKind, expectFailsInEveryKind, expectUnknownInEveryKind } from './helpers';

describe('K8S-007 no host namespaces', () => {
  test('passes the hardened pod in every workload kind', () => expectCompliantInEveryKind(rule));
  for (const [tf, k8s] of [
    ['host_network', 'hostNetwork'],
    ['host_pid', 'hostPID'],
    ['host_ipc', 'hostIPC'],
  ]) {
    test(`fails when ${tf} is true`, () =>
      expectFailsInEveryKind(
        rule,
        (p) => (p[tf] = true),
        { tf: `spec.${tf}`, k8s: `spec.${k8s}` },
        new RegExp(`${tf} is true`),
      ));
  }
  test('is unknown when host_network is a reference', () =>
    expectUnknownInEveryKind(rule, (p) => (p.host_network = '${var.hn}')));
});
