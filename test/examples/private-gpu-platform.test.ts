import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { PrivateGpuPlatformStack } from '../../examples/private-gpu-platform';
import { evaluateStack } from '../../policy';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('examples/private-gpu-platform', () => {
  const stack = new PrivateGpuPlatformStack(Testing.app(), 'de');
  const synthesized = Testing.synth(stack);
  const out: Json = JSON.parse(synthesized);

  test('synthesizes the three constructs into one valid stack', () => {
    expect(Testing.toHaveResourceWithProperties(synthesized, 'helm_release', { version: 'v26.7.0' })).toBe(
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
    expect(out.terraform.required_providers).toEqual({
      helm: { source: 'registry.terraform.io/hashicorp/helm', version: '3.1.1' },
      kubernetes: { source: 'registry.terraform.io/hashicorp/kubernetes', version: '2.38.0' },
    });
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

  /** The stack as `app.synth()` writes it (Testing.synth leaves out the `"//"` block). */
  function written(): Json {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-example-'));
    try {
      const app = new App({ outdir: tmp });
      new PrivateGpuPlatformStack(app, 'de');
      app.synth();
      return JSON.parse(fs.readFileSync(path.join(tmp, 'stacks', 'de', 'cdk.tf.json'), 'utf8')) as Json;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  test('passes the policy gate with the record it declares (eu-gdpr, the GPU Operator exception recorded)', () => {
    const full = written();
    const result = evaluateStack('de', full, { today: '2026-12-07' });
    expect(result.findings.filter((f) => f.status !== 'suppressed')).toEqual([]);
    expect(result.totals).toMatchObject({ errors: 0, warnings: 0, unknown: 0, suppressed: 1 });
    expect(full['//'].sovereign.profile).toBe('eu-gdpr');
    expect(full['//'].sovereign.suppressions.map((s: Json) => s.rule)).toEqual(['K8S-023']);
  });

  test('fails the gate without the record: nothing declared, every endpoint outside', () => {
    const bare = written();
    delete bare['//'].sovereign;
    const result = evaluateStack('de', bare, { today: '2026-12-07' });
    expect(result.totals.errors).toBeGreaterThan(10);
    expect(result.findings.some((f) => f.rule === 'SOV-014' && f.status === 'failed')).toBe(true);
  });

  test('the same stack synthesizes byte-identically', () => {
    expect(Testing.synth(new PrivateGpuPlatformStack(Testing.app(), 'de'))).toBe(synthesized);
  });
});
