import { rule } from '../../../policy/rules/k8s-015-gpu-explicit';
import { serverPodTf } from '../fixtures';
import { expectCompliantInEveryKind, expectFailsInEveryKind } from './helpers';

describe('K8S-015 GPU use is explicit', () => {
  test('passes a GPU server with equal request and limit in every workload kind', () =>
    expectCompliantInEveryKind(rule));
  test('fails when a GPU is requested but not limited', () =>
    expectFailsInEveryKind(
      rule,
      (p) => delete p.container[0].resources.limits['nvidia.com/gpu'],
      { tf: 'resources.limits.nvidia.com/gpu', k8s: 'resources.limits.nvidia.com/gpu' },
      /requested but not limited/,
    ));
  test('fails when request and limit differ', () =>
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].resources.requests['nvidia.com/gpu'] = '2'),
      { tf: 'resources.limits.nvidia.com/gpu', k8s: 'resources.limits.nvidia.com/gpu' },
      /request 2 differs from limit 1/,
    ));
  test('fails when the pod tolerates GPU nodes without requesting a GPU', () =>
    expectFailsInEveryKind(
      rule,
      (p) => {
        delete p.container[0].resources.limits['nvidia.com/gpu'];
        delete p.container[0].resources.requests['nvidia.com/gpu'];
      },
      { tf: 'spec.toleration', k8s: 'spec.tolerations' },
      /tolerates or selects GPU nodes but no container limits a GPU/,
    ));
  test('fails when NVIDIA_VISIBLE_DEVICES exposes GPUs without a limit', () => {
    const cpu = () => {
      const p = serverPodTf();
      delete p.toleration;
      delete p.node_selector;
      p.container[0].resources = {
        limits: { cpu: '1', memory: '1Gi' },
        requests: { cpu: '1', memory: '1Gi' },
      };
      return p;
    };
    expectFailsInEveryKind(
      rule,
      (p) =>
        Object.assign(p, cpu()) && p.container[0].env.push({ name: 'NVIDIA_VISIBLE_DEVICES', value: 'all' }),
      { tf: 'env[7]', k8s: 'env[7]' },
      /NVIDIA_VISIBLE_DEVICES=all/,
    );
  });
});
