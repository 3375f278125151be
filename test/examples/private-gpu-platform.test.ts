import { Testing } from 'cdktf';
import { PrivateGpuPlatformStack } from '../../examples/private-gpu-platform';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('examples/private-gpu-platform', () => {
  const stack = new PrivateGpuPlatformStack(Testing.app(), 'de');
  const synthesized = Testing.synth(stack);
  const out: Json = JSON.parse(synthesized);

  test('synthesizes the three constructs into one valid stack', () => {
    expect(Testing.toHaveResourceWithProperties(synthesized, 'helm_release', { version: 'v25.10.0' })).toBe(
      true,
    );
    expect(Object.keys(out.resource).sort()).toEqual([
      'helm_release',
      'kubernetes_labels',
      'kubernetes_limit_range_v1',
      'kubernetes_namespace_v1',
      'kubernetes_network_policy_v1',
      'kubernetes_node_taint',
      'kubernetes_resource_quota_v1',
    ]);
    expect(out.terraform.backend).toEqual({ local: { path: 'terraform.de.tfstate' } });
  });

  test('the serving quota covers both pools, the MIG resource included', () => {
    const quota = Object.values<Json>(out.resource.kubernetes_resource_quota_v1).find(
      (q) => q.metadata.name === 'serving-quota',
    );
    expect(quota?.spec.hard).toMatchObject({
      'requests.nvidia.com/gpu': '16',
      'requests.nvidia.com/mig-3g.40gb': '8',
    });
  });

  test('no credential and no public registry in the synthesized JSON', () => {
    expect(synthesized).not.toMatch(/"token"|password|client_key/i);
    expect(synthesized).not.toMatch(/nvcr\.io|helm\.ngc\.nvidia\.com|registry\.k8s\.io/);
  });

  test('the same stack synthesizes byte-identically', () => {
    expect(Testing.synth(new PrivateGpuPlatformStack(Testing.app(), 'de'))).toBe(synthesized);
  });
});
