import { rule } from '../../../policy/rules/sov-002-image-registry';
import { DIGEST, exampleStack } from '../fixtures';
import {
  expectCompliantInEveryKind,
  expectExampleCompliant,
  expectFailsInEveryKind,
  failuresOn,
} from './helpers';

describe('SOV-002 images from an allowed registry', () => {
  test('passes the jurisdiction registry in every workload kind and helm values', () => {
    expectCompliantInEveryKind(rule);
    expectExampleCompliant(rule);
  });
  test('is not suppressible', () => expect(rule.suppressible).toBe(false));
  test('fails on a foreign registry and on an implied Docker Hub image', () => {
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].image = `docker.io/vllm/vllm-openai@${DIGEST}`),
      { tf: 'container[0].image', k8s: 'containers[0].image' },
      /comes from docker.io, not an allowed registry \(registry.de.example\)/,
    );
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].image = `vllm/vllm-openai@${DIGEST}`),
      { tf: 'container[0].image', k8s: 'containers[0].image' },
      /Docker Hub implied/,
    );
  });
  test('an allow-list entry does not match a look-alike host', () =>
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].image = `registry.de.example.evil.io/vllm@${DIGEST}`),
      { tf: 'container[0].image', k8s: 'containers[0].image' },
      /registry.de.example.evil.io/,
    ));
  test('fails on a helm values image from nvcr.io', () => {
    const j = exampleStack();
    j.resource.helm_release.gpu_operator.values[0] = JSON.stringify({
      driver: { image: 'driver', repository: 'nvcr.io/nvidia', version: DIGEST },
    });
    expect(failuresOn(rule, j)).toEqual([
      `helm_release.gpu_operator values[0].driver.repository: image nvcr.io/nvidia/driver@${DIGEST} comes from nvcr.io, not an allowed registry (registry.de.example)`,
    ]);
  });

  test('fails on a GPU Operator mirror repository (no image name) outside the allowed registries', () => {
    const j = exampleStack();
    j.resource.helm_release.gpu_operator.values[0] = JSON.stringify({
      driver: { repository: 'nvcr.io/nvidia' },
      toolkit: { repository: 'registry.de.example/nvidia/k8s' },
      'node-feature-discovery': { image: { repository: 'registry.k8s.io/nfd/node-feature-discovery' } },
    });
    expect(failuresOn(rule, j)).toEqual([
      'helm_release.gpu_operator values[0].driver.repository: image repository nvcr.io/nvidia comes from nvcr.io, not an allowed registry (registry.de.example)',
      'helm_release.gpu_operator values[0].node-feature-discovery.image.repository: image repository registry.k8s.io/nfd/node-feature-discovery comes from registry.k8s.io, not an allowed registry (registry.de.example)',
    ]);
  });

  test('judges the image a custom resource names (agentgateway proxy parameters), nested or not', () => {
    const j = exampleStack();
    const params = (image: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      manifest: {
        apiVersion: 'agentgateway.dev/v1alpha1',
        kind: 'AgentgatewayParameters',
        metadata: { name: 'proxy', namespace: 'llm-serving' },
        spec: { image, ...extra },
      },
    });
    j.resource.kubernetes_manifest = {
      ok: params({
        registry: 'registry.de.example/agentgateway',
        repository: 'agentgateway',
        digest: DIGEST,
      }),
      upstream: params({ registry: 'cr.agentgateway.dev', repository: 'agentgateway', digest: DIGEST }),
      hidden: params(
        { registry: 'registry.de.example/agentgateway', repository: 'agentgateway', digest: DIGEST },
        {
          deployment: { spec: { sidecar: { image: { registry: 'ghcr.io/x', repository: 'y', tag: 'v1' } } } },
        },
      ),
    };
    expect(failuresOn(rule, j)).toEqual([
      'kubernetes_manifest.hidden manifest.spec.deployment.spec.sidecar.image.repository: image ghcr.io/x/y:v1 comes from ghcr.io, not an allowed registry (registry.de.example)',
      `kubernetes_manifest.upstream manifest.spec.image.repository: image cr.agentgateway.dev/agentgateway@${DIGEST} comes from cr.agentgateway.dev, not an allowed registry (registry.de.example)`,
    ]);
  });

  test('judges the gateway controller image in the agentgateway chart values', () => {
    const j = exampleStack();
    j.resource.helm_release.gpu_operator.values[0] = JSON.stringify({
      controller: {
        image: { registry: 'cr.agentgateway.dev', repository: 'controller', tag: `v1.4.1@${DIGEST}` },
      },
    });
    expect(failuresOn(rule, j)).toEqual([
      `helm_release.gpu_operator values[0].controller.image.repository: image cr.agentgateway.dev/controller:v1.4.1@${DIGEST} comes from cr.agentgateway.dev, not an allowed registry (registry.de.example)`,
    ]);
  });
});
