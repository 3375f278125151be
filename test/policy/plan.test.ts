import { readFileSync } from 'fs';
import { join } from 'path';
import { isSovereignError } from '../../core/errors';
import { actionOf, readPlan } from '../../policy/plan';

// Fixture in Terraform's JSON output format, format_version "1.2" (Terraform >= 1.6,
// https://developer.hashicorp.com/terraform/internals/json-format): resource_changes with
// change.actions, before/after values in the provider's shape, action_reason.
const FIXTURE = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'policy', 'plan-1.2.json');
const plan = () => JSON.parse(readFileSync(FIXTURE, 'utf8'));

describe('plan reading', () => {
  test('maps change.actions to create / update / delete / replace', () => {
    expect(actionOf(['create'])).toBe('create');
    expect(actionOf(['delete', 'create'])).toBe('replace');
    expect(actionOf(['create', 'delete'])).toBe('replace');
    expect(actionOf(['no-op'])).toBe('no-op');
    expect(actionOf(['read'])).toBe('read');
  });

  test('summarises the fixture and labels the risky changes', () => {
    const s = readPlan(plan(), 'plan.json');
    expect(s.formatVersion).toBe('1.2');
    expect(s.terraformVersion).toBe('1.9.8');
    expect(s.counts).toEqual({ create: 1, update: 3, delete: 1, replace: 2, read: 0, 'no-op': 1, forget: 0 });
    expect(s.changes.map((c) => [c.address, c.action, c.risks.map((r) => r.id)])).toEqual([
      ['helm_release.gpu_operator', 'update', ['gpu-driver-upgrade']],
      ['kubernetes_config_map_v1.extra', 'create', []],
      ['kubernetes_deployment_v1.scale_only', 'update', []],
      ['kubernetes_deployment_v1.vllm_llama', 'update', ['model-swap']],
      ['kubernetes_job_v1.weights_llama', 'replace', ['model-swap']],
      ['kubernetes_namespace_v1.old', 'delete', ['data-loss']],
      ['kubernetes_persistent_volume_claim_v1.weights_llama', 'replace', ['data-loss']],
    ]);
    expect(s.changes[0].risks[0].label).toMatch(/drain GPU nodes/);
  });

  test('fails with a located error on an unsupported format or a malformed change', () => {
    const p = plan();
    p.format_version = '0.2';
    try {
      readPlan(p, 'plan.json');
      throw new Error('no error');
    } catch (e) {
      expect(isSovereignError(e) && e.exitCode).toBe(2);
      expect((e as Error).message).toMatch(
        /plan.json {2}format_version {2}format_version 0.2 is not supported/,
      );
    }
    const q = plan();
    delete q.resource_changes[2].change;
    expect(() => readPlan(q, 'plan.json')).toThrow(/resource_changes\[2\]/);
    expect(() => readPlan([], 'plan.json')).toThrow(/not a JSON object/);
  });
});

describe('plan review of Cluster API objects (provisioning stacks)', () => {
  const cluster = (pools: string[]) => ({
    manifest: {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: { name: 'de', namespace: 'capi-de' },
      spec: {
        topology: {
          classRef: { name: 'openstack-scs2-1-34-v2' },
          version: 'v1.34.3',
          controlPlane: { replicas: 3 },
          workers: {
            machineDeployments: pools.map((name) => ({ class: 'default-worker', name, replicas: 2 })),
          },
        },
      },
    },
  });
  const change = (address: string, actions: string[], before: unknown, after: unknown) => ({
    address,
    type: 'kubernetes_manifest',
    change: { actions, before, after },
  });
  const risks = (...rcs: unknown[]) =>
    readPlan({ format_version: '1.2', resource_changes: rcs }, 'plan.json').changes.map((c) => [
      c.address,
      c.risks.map((r) => `${r.id}: ${r.label}`),
    ]);

  test('a node pool dropped from the topology is a node-pool deletion, named', () => {
    expect(
      risks(change('kubernetes_manifest.cluster', ['update'], cluster(['h100', 'cpu']), cluster(['cpu']))),
    ).toEqual([
      [
        'kubernetes_manifest.cluster',
        [
          'node-pool-deletion: node pool deletion (h100): its machines are drained and deleted, the models on them stop',
        ],
      ],
    ]);
  });

  test('a pool added or resized is not labelled', () => {
    expect(
      risks(change('kubernetes_manifest.cluster', ['update'], cluster(['cpu']), cluster(['cpu', 'h100']))),
    ).toEqual([['kubernetes_manifest.cluster', []]]);
  });

  test('replacing or deleting the Cluster is labelled: every machine goes', () => {
    const r = risks(
      change('kubernetes_manifest.a', ['delete', 'create'], cluster(['cpu']), cluster(['cpu'])),
      change('kubernetes_manifest.b', ['delete'], cluster(['cpu']), null),
    );
    expect(r[0][1]).toEqual([
      expect.stringMatching(
        /^cluster-replacement: cluster replacement: Cluster API deletes every machine, control plane included/,
      ),
    ]);
    expect(r[1][1]).toEqual([expect.stringMatching(/^cluster-replacement: cluster deletion/)]);
  });

  const clusterClass = (pools: string[]) => ({
    manifest: {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'ClusterClass',
      metadata: { name: 'de', namespace: 'capi-de' },
      spec: {
        workers: {
          machineDeployments: pools.map((p) => ({
            class: p,
            bootstrap: { templateRef: { kind: 'KubeadmConfigTemplate', name: `de-${p}-kubeadm-0` } },
            infrastructure: { templateRef: { kind: 'OpenStackMachineTemplate', name: `de-${p}-0` } },
          })),
        },
      },
    },
  });

  test("a worker class dropped from the toolkit's ClusterClass is a node-pool deletion, named", () => {
    expect(
      risks(
        change('kubernetes_manifest.class', ['update'], clusterClass(['h100', 'cpu']), clusterClass(['cpu'])),
        change('kubernetes_manifest.moved', ['update'], clusterClass(['cpu']), clusterClass(['cpu', 'h100'])),
      ),
    ).toEqual([
      [
        'kubernetes_manifest.class',
        [
          'node-pool-deletion: node pool deletion (h100): its worker class is removed from the ClusterClass; its machines are drained and deleted, the models on them stop',
        ],
      ],
      ['kubernetes_manifest.moved', []],
    ]);
  });

  test('replacing or deleting the ClusterClass is labelled as a cluster replacement', () => {
    const r = risks(
      change('kubernetes_manifest.a', ['delete', 'create'], clusterClass(['cpu']), clusterClass(['cpu'])),
      change('kubernetes_manifest.b', ['delete'], clusterClass(['cpu']), null),
    );
    expect(r[0][1]).toEqual([expect.stringMatching(/^cluster-replacement: ClusterClass replacement: /)]);
    expect(r[1][1]).toEqual([expect.stringMatching(/^cluster-replacement: ClusterClass deletion: /)]);
  });

  test('deleting a MachineDeployment object is a node-pool deletion', () => {
    const md = {
      manifest: {
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'MachineDeployment',
        metadata: { name: 'h100' },
      },
    };
    expect(risks(change('kubernetes_manifest.md', ['delete'], md, null))[0][1]).toEqual([
      'node-pool-deletion: node pool deletion: its machines are drained and deleted, the models on them stop',
    ]);
  });

  test('a lookalike API group is not mistaken for Cluster API, nor is another kind', () => {
    const fake = cluster(['h100']);
    fake.manifest.apiVersion = 'cluster.x-k8s.io.example.com/v1';
    expect(risks(change('kubernetes_manifest.x', ['delete'], fake, null))[0][1]).toEqual([]);
  });
});
