import { rule } from '../../../policy/rules/k8s-011-read-only-root-filesystem';
import { expectCompliantInEveryKind, expectFailsInEveryKind } from './helpers';

describe('K8S-011 read-only root filesystem', () => {
  test('passes the hardened pod in every workload kind', () => expectCompliantInEveryKind(rule));
  test('fails when the root filesystem is writable', () =>
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].security_context.read_only_root_filesystem = false),
      { tf: 'security_context.read_only_root_filesystem', k8s: 'securityContext.readOnlyRootFilesystem' },
      /root filesystem is writable/,
    ));
});
