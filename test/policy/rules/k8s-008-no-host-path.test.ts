import { rule } from '../../../policy/rules/k8s-008-no-host-path';
import { expectCompliantInEveryKind, expectFailsInEveryKind } from './helpers';

describe('K8S-008 no hostPath volumes', () => {
  test('passes the hardened pod in every workload kind', () => expectCompliantInEveryKind(rule));
  test('fails when a volume mounts a host path', () =>
    expectFailsInEveryKind(
      rule,
      (p) => p.volume.push({ host_path: { path: '/var/run/docker.sock' }, name: 'sock' }),
      { tf: 'volume[3].host_path', k8s: 'volumes[3].hostPath' },
      /mounts host path \/var\/run\/docker.sock/,
    ));
});
