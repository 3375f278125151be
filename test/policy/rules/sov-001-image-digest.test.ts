import { rule } from '../../../policy/rules/sov-001-image-digest';
import { exampleStack, runOn } from '../fixtures';
import {
  expectCompliantInEveryKind,
  expectExampleCompliant,
  expectFailsInEveryKind,
  expectUnknownInEveryKind,
  failuresOn,
} from './helpers';

describe('SOV-001 images pinned by digest', () => {
  test('passes digest-pinned images in every workload kind and helm values', () => {
    expectCompliantInEveryKind(rule);
    expectExampleCompliant(rule);
  });
  test('fails on a :latest tag', () =>
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].image = 'registry.de.example/vllm/vllm-openai:latest'),
      { tf: 'container[0].image', k8s: 'containers[0].image' },
      /mutable latest tag/,
    ));
  test('fails on a tag without digest and on a malformed digest', () => {
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].image = 'registry.de.example/vllm/vllm-openai:v0.8.5'),
      { tf: 'container[0].image', k8s: 'containers[0].image' },
      /pinned by tag only/,
    );
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].image = 'registry.de.example/vllm@sha256:abc'),
      { tf: 'container[0].image', k8s: 'containers[0].image' },
      /malformed digest/,
    );
  });
  test('is unknown when the image is a reference', () =>
    expectUnknownInEveryKind(rule, (p) => (p.container[0].image = '${var.image}')));
  test('fails on helm values and set entries that pin by tag', () => {
    const j = exampleStack();
    const r = j.resource.helm_release.gpu_operator;
    r.values[0] = JSON.stringify({
      driver: { image: 'driver', repository: 'registry.de.example/nvidia', version: '550.54.15' },
    });
    r.set.push({ name: 'validator.image', value: 'registry.de.example/nvidia/validator:v1' });
    expect(failuresOn(rule, j)).toEqual([
      'helm_release.gpu_operator values[0].driver.repository: image registry.de.example/nvidia/driver:550.54.15 is pinned by tag only, not by digest',
      'helm_release.gpu_operator set.validator.image: image registry.de.example/nvidia/validator:v1 is pinned by tag only, not by digest',
    ]);
  });

  test('judges a mirror repository alone only by the digest it is given: the chart pins name and tag', () => {
    const j = exampleStack();
    j.resource.helm_release.gpu_operator.values = [
      JSON.stringify({
        driver: { repository: 'registry.de.example/nvidia', version: '580.95.05' },
        toolkit: { repository: 'registry.de.example/nvidia/k8s', version: `sha256:${'b'.repeat(64)}` },
        validator: { repository: 'registry.de.example/nvidia' },
      }),
    ];
    j.resource.helm_release.gpu_operator.set = [];
    const outcomes = runOn(rule, j).filter((o) => o.address === 'helm_release.gpu_operator');
    expect(outcomes.map((o) => [o.status, o.path])).toEqual([
      ['not-applicable', undefined],
      ['compliant', 'values[0].toolkit.repository'],
      ['not-applicable', undefined],
    ]);
    j.resource.helm_release.gpu_operator.values = [
      JSON.stringify({ toolkit: { repository: 'registry.de.example/nvidia/k8s', version: 'sha256:abc' } }),
    ];
    expect(failuresOn(rule, j)).toEqual([
      'helm_release.gpu_operator values[0].toolkit.repository: image registry.de.example/nvidia/k8s@sha256:abc has a malformed digest (expected sha256:<64 hex>)',
    ]);
  });
});
