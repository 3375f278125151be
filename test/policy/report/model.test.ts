import { evaluateStacks } from '../../../policy/engine';
import { buildReport } from '../../../policy/report/model';
import { exampleStack, metadata } from '../fixtures';
import { exampleReport } from './helpers';

describe('report model', () => {
  const r = exampleReport();
  const de = r.stacks[0];

  test('records versions, file hashes and the gate, and no timestamp unless injected', () => {
    expect(r.tool).toEqual({ name: 'sovereign-stack', version: '0.1.0', rulesVersion: '1.0.0' });
    expect(r.files).toEqual([{ path: 'stacks/de/cdk.tf.json', sha256: '0'.repeat(64) }]);
    expect(r.gate).toBe('pass');
    expect(r.generatedAt).toBeUndefined();
    expect(exampleReport({ now: '2026-06-01T10:00:00Z' })).toMatchObject({
      generatedAt: '2026-06-01T10:00:00Z',
      evaluatedOn: '2026-06-01',
    });
  });

  test('inventory: resource counts, pools, GPUs, models, images', () => {
    expect(de.inventory.resources).toMatchObject({
      helm_release: 1,
      kubernetes_deployment_v1: 1,
      kubernetes_namespace_v1: 2,
    });
    expect(de.inventory.gpusRequested).toBe(2);
    expect(de.inventory.pools).toEqual([{ name: 'h100', models: ['llama'], gpusRequested: 2 }]);
    expect(de.inventory.models.map((m) => m.name)).toEqual(['llama']);
    expect(de.inventory.images).toHaveLength(6);
  });

  test('inventory: declared pools with product, nodes, sharing and what the models request of them', () => {
    const m = metadata({
      strict: true,
      pools: [
        {
          name: 'h100',
          gpuProduct: 'NVIDIA-H100-80GB-HBM3',
          gpusPerNode: 8,
          physicalGpusPerNode: 8,
          nodeCount: 2,
          sharing: 'none',
          resourceName: 'nvidia.com/gpu',
        },
        {
          name: 'l40s',
          gpuProduct: 'NVIDIA-L40S',
          gpusPerNode: 8,
          physicalGpusPerNode: 4,
          nodeCount: 3,
          sharing: 'time-slicing',
          resourceName: 'nvidia.com/gpu',
        },
      ],
    });
    const s = buildReport(evaluateStacks([{ name: 'de', json: exampleStack(m) }], { today: '2026-06-01' }))
      .stacks[0];
    expect(s.strict).toBe(true);
    expect(s.inventory.pools).toEqual([
      {
        name: 'h100',
        gpuProduct: 'NVIDIA-H100-80GB-HBM3',
        nodeCount: 2,
        gpusPerNode: 8,
        physicalGpusPerNode: 8,
        sharing: 'none',
        resourceName: 'nvidia.com/gpu',
        gpusOffered: 16,
        models: ['llama'],
        gpusRequested: 2,
      },
      {
        name: 'l40s',
        gpuProduct: 'NVIDIA-L40S',
        nodeCount: 3,
        gpusPerNode: 8,
        physicalGpusPerNode: 4,
        sharing: 'time-slicing',
        resourceName: 'nvidia.com/gpu',
        gpusOffered: 24,
        models: [],
        gpusRequested: 0,
      },
    ]);
    // Without declared pools (metadata written before pools were recorded) they come from the models.
    expect(de.strict).toBe(true); // de-bsi-c5 is strict by the profile table
    expect(de.inventory.pools).toEqual([{ name: 'h100', models: ['llama'], gpusRequested: 2 }]);
  });

  test('data locations name backend, storage, sources, mirrors and registries with their jurisdiction', () => {
    const loc = de.dataLocations.map((d) => `${d.kind} ${d.name} ${d.jurisdiction}`);
    expect(loc).toEqual(
      expect.arrayContaining([
        'backend s3 inside',
        'storage llm/weights-llama inside',
        'weights-source model llama inside',
        'weights-source kubernetes_job_v1.weights_llama inside',
        'chart-repository helm_release.gpu_operator inside',
        'image-registry registry.de.example inside',
        'provider-registry kubernetes declared-public',
        'cluster-api provider.kubernetes inside',
      ]),
    );
    expect(de.dataLocations.find((d) => d.kind === 'storage')!.location).toBe('storage class ceph-rbd-de');
    // Every verdict can be checked against what the artifact declares.
    expect(de.boundary.providerHosts).toEqual(['registry.terraform.io', 'providers.de.example']);
    expect(de.boundary.registries.length).toBeGreaterThan(0);
  });

  test('control results show passed rows too, with totals and per-pack roll-up', () => {
    expect(de.results.some((x) => x.status === 'passed')).toBe(true);
    expect(de.results.some((x) => x.status === 'suppressed' && x.rule === 'K8S-023')).toBe(true);
    expect(de.frameworks.map((f) => f.pack)).toEqual([
      'k8s-baseline',
      'k8s-restricted',
      'sovereignty',
      'eu-gdpr',
      'de-bsi-c5',
    ]);
    expect(de.frameworks[1].totals.failed).toBe(0);
  });

  test('supply chain: images with digests, charts with versions, providers, models', () => {
    expect(de.supplyChain.images.every((i) => i.digest !== undefined)).toBe(true);
    expect(de.supplyChain.charts).toEqual([
      {
        address: 'helm_release.gpu_operator',
        release: 'gpu-operator',
        chart: 'gpu-operator',
        version: 'v25.3.0',
        repository: 'https://charts.de.example/nvidia',
      },
    ]);
    expect(de.supplyChain.providers.map((p) => `${p.source}@${p.version}`)).toEqual([
      'registry.terraform.io/hashicorp/helm@3.1.1',
      'registry.terraform.io/hashicorp/kubernetes@2.38.0',
    ]);
    expect(de.supplyChain.models[0]).toMatchObject({
      revision: '0e9e39f249a16976918f6564b8830bc894c89659',
      manifestSha256: 'c'.repeat(64),
      license: 'llama3.1',
    });
  });

  test('a broken jurisdiction fails the gate', () => {
    const b = exampleReport({ broken: true });
    expect(b.gate).toBe('fail');
    expect(b.stacks.map((s) => s.name)).toEqual(['de', 'fr']);
    expect(b.stacks[1].dataLocations).toContainEqual({
      kind: 'image-registry',
      name: 'docker.io',
      location: 'docker.io',
      jurisdiction: 'outside',
    });
  });
});
