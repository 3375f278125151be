import { evaluateStacks } from '../../../policy/engine';
import { clusterRequirements } from '../../../policy/report/cluster-requirements';
import { REPO_ROOT } from '../../support/paths';
import { synthExample, type Json } from '../../support/synth';

beforeAll(() => process.chdir(REPO_ROOT));

/** The requirements the report lists for a provisioning stack's JSON. */
function requirementsOf(json: Json): { requirement: string; why: string; by: readonly string[] }[] {
  const ev = evaluateStacks([{ name: 'de-ber-provision', json }], { today: '2026-12-07' });
  return clusterRequirements(ev.stacks[0]);
}
const names = (json: Json) => requirementsOf(json).map((r) => r.requirement);
const manifests = (json: Json): [string, Json][] => Object.entries(json.resource.kubernetes_manifest);
const ofKind = (json: Json, kind: string): Json =>
  manifests(json).find(([, r]) => r.manifest.kind === kind)![1];

describe('the Cluster API release the report names is read from the objects, whatever the stack says', () => {
  const openstack = () =>
    structuredClone(synthExample('examples/provisioned.yaml').stacks['de-ber-provision']);
  const metal3 = () =>
    structuredClone(synthExample('examples/provisioned-metal3.yaml').stacks['de-ber-provision']);

  test('OpenStack: v1.14; Metal3: v1.13, with the feature gates of that minor', () => {
    expect(names(openstack())).toContain('Cluster API v1.14 (v1.14.0 or a later v1.14 patch)');
    const m = names(metal3());
    expect(m).toContain('Cluster API v1.13 (v1.13.5 or a later v1.13 patch)');
    expect(m).toContain('Cluster API v1.13 feature gate ClusterTopology=true');
    expect(m.filter((n) => n.includes('v1.14'))).toEqual([]);
  });

  test("the management cluster's Kubernetes minors; a topology version edited outside the workload range is named", () => {
    const reqs = requirementsOf(openstack());
    const mgmt = reqs.find((r) => r.requirement === 'management cluster on Kubernetes v1.33 to v1.36')!;
    expect(mgmt.why).toContain(
      'Cluster API v1.14.0 runs on those minors and builds workload clusters on v1.31 to v1.36',
    );
    expect(names(metal3())).toContain('management cluster on Kubernetes v1.32 to v1.36');
    expect(reqs.map((r) => r.requirement).filter((n) => n.startsWith('workload Kubernetes'))).toEqual([]);
    for (const version of ['v1.29.4', 'v1.37.0']) {
      const j = openstack();
      ofKind(j, 'Cluster').manifest.spec.topology.version = version;
      expect(names(j)).toContain(
        `workload Kubernetes ${version} is outside Cluster API v1.14.0's support (v1.31 to v1.36)`,
      );
    }
  });

  test('a ClusterClass edited to name a CAPO template still gets v1.13 while Metal3 templates are written', () => {
    const j = metal3();
    ofKind(j, 'ClusterClass').manifest.spec.infrastructure.templateRef.kind = 'OpenStackClusterTemplate';
    const m = names(j);
    expect(m).toContain('Cluster API v1.13 (v1.13.5 or a later v1.13 patch)');
    expect(m.filter((n) => n.includes('v1.14'))).toEqual([]);
  });

  test('a Metal3 template slipped into an OpenStack stack pulls the release to the minor both serve', () => {
    const j = openstack();
    const [key, m3] = manifests(metal3()).find(([, r]) => r.manifest.kind === 'Metal3MachineTemplate')!;
    j.resource.kubernetes_manifest[`${key}_x`] = m3;
    const reqs = requirementsOf(j);
    const release = reqs.find((r) => r.requirement.startsWith('Cluster API v1.13 ('))!;
    expect(release.why).toContain(
      'Cluster API Provider Metal3 (CAPM3) v1.13.2 is documented for Cluster API v1.13 only',
    );
    expect(release.why).toContain(
      'Cluster API Provider OpenStack (CAPO) v0.14.7 is documented for Cluster API v1.12 and later',
    );
    expect(reqs.map((r) => r.requirement).filter((n) => /^infrastructure provider/.test(n))).toHaveLength(2);
  });

  test('a class that is not in the stack, or of a provider the report does not know: no release named', () => {
    for (const edit of [
      (j: Json) =>
        delete j.resource.kubernetes_manifest[
          manifests(j).find(([, r]) => r.manifest.kind === 'ClusterClass')![0]
        ],
      (j: Json) => (ofKind(j, 'Cluster').manifest.spec.topology.classRef.name = 'elsewhere'),
      (j: Json) => (ofKind(j, 'Cluster').manifest.spec.topology.classRef.namespace = 'other'),
      (j: Json) =>
        (ofKind(j, 'ClusterClass').manifest.spec.infrastructure.templateRef.kind = 'VSphereClusterTemplate'),
    ]) {
      const j = metal3();
      edit(j);
      const m = names(j);
      expect(
        m.find((n) => /^Cluster API: the release the infrastructure provider of ClusterClass /.test(n)),
      ).toBeDefined();
      expect(m).toContain('Cluster API feature gate ClusterTopology=true');
      expect(m.filter((n) => /^Cluster API v1\.1[34]/.test(n))).toEqual([]);
    }
  });

  test('a stack without a Cluster topology requires no Cluster API release', () => {
    const j = metal3();
    delete ofKind(j, 'Cluster').manifest.spec.topology;
    expect(names(j).filter((n) => n.startsWith('Cluster API'))).toEqual([]);
  });
});
