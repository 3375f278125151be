import { rule } from '../../../policy/rules/k8s-006-drop-all-capabilities';
import { expectCompliantInEveryKind, expectFailsInEveryKind } from './helpers';

describe('K8S-006 drop ALL capabilities', () => {
  test('passes the hardened pod in every workload kind', () => expectCompliantInEveryKind(rule));
  test('fails when ALL is not dropped', () =>
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].security_context.capabilities = { drop: ['NET_RAW'] }),
      { tf: 'security_context.capabilities.drop', k8s: 'securityContext.capabilities.drop' },
      /must drop ALL, drops NET_RAW/,
    ));
  test('fails when a capability other than NET_BIND_SERVICE is added', () =>
    expectFailsInEveryKind(
      rule,
      (p) =>
        (p.container[0].security_context.capabilities = {
          add: ['SYS_ADMIN', 'NET_BIND_SERVICE'],
          drop: ['ALL'],
        }),
      { tf: 'security_context.capabilities.add', k8s: 'securityContext.capabilities.add' },
      /adds SYS_ADMIN/,
    ));
});
