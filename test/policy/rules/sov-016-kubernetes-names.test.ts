/**
 * SOV-016's generic scan of custom resources: Kubernetes names that are DNS-shaped by design
 * (API groups, qualified keys, selector and taint syntax) are not endpoints; everything else
 * host-shaped still is, and a look-alike kind from another group is still unknown.
 */
import { evaluateStack } from '../../../policy/engine';
import { exampleStack } from '../fixtures';

const TODAY = '2026-06-01';

function withManifest(manifest: Record<string, unknown>) {
  const j = exampleStack();
  (j.resource as Record<string, unknown>).kubernetes_manifest = { cluster: { manifest } };
  return j;
}

function findings(manifest: Record<string, unknown>, rule: string): string[] {
  const r = evaluateStack('de', withManifest(manifest), { today: TODAY });
  return r.findings.filter((f) => f.rule === rule).map((f) => `${f.status} ${f.path} ${f.message}`);
}
const sov016 = (manifest: Record<string, unknown>) => findings(manifest, 'SOV-016');

const cluster = (extra: Record<string, unknown> = {}) => ({
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  metadata: { name: 'de', namespace: 'capi' },
  spec: {
    topology: {
      workers: {
        machineDeployments: [
          {
            name: 'h100',
            metadata: {
              annotations: {
                'capacity.cluster-autoscaler.kubernetes.io/gpu-type': 'nvidia.com/gpu',
                'capacity.cluster-autoscaler.kubernetes.io/labels':
                  'sovereign-stack.io/pool=h100,sovereign-stack.io/j=de',
                'capacity.cluster-autoscaler.kubernetes.io/taints': 'nvidia.com/gpu=present:NoSchedule',
              },
            },
            taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
          },
        ],
      },
      ...extra,
    },
  },
});

describe('SOV-016 on custom resources', () => {
  test('API groups, qualified keys, selector and taint syntax are not endpoints', () => {
    expect(sov016(cluster())).toEqual([]);
  });

  test('fails when a host hides in a Cluster variable, even beside Kubernetes names', () => {
    const found = sov016(
      cluster({ variables: [{ name: 'imageRepository', value: 'huggingface.co/meta-llama' }] }),
    );
    expect(found).toEqual([
      expect.stringMatching(
        /^failed manifest\.spec\.topology\.variables\[0\]\.value .*names huggingface\.co/,
      ),
    ]);
  });

  test('fails when a key path holds a URL: the endpoint rule judges it', () => {
    const m = cluster();
    (m.spec.topology.workers.machineDeployments[0].taints as unknown[]).push({
      key: 'https://huggingface.co/x',
      effect: 'NoSchedule',
    });
    expect(findings(m, 'SOV-012').join('\n')).toMatch(/^failed .*taints\[1\]\.key .*huggingface\.co/m);
  });

  test('a Cluster of another API group is a kind the rules do not model', () => {
    const found = sov016({ ...cluster(), apiVersion: 'cluster.x-k8s.io.evil.example/v1' });
    expect(found.join('\n')).toMatch(/kind Cluster is not one the rules model/);
  });
});
