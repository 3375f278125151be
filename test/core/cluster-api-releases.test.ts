import * as fs from 'fs';
import * as path from 'path';
import {
  CAPM3,
  CAPO,
  CLUSTER_API_RELEASES,
  clusterApiReleaseFor,
  commonClusterApiRange,
  describeClusterApiRange,
  inClusterApiRange,
  inKubernetesRange,
  INFRASTRUCTURE_PROVIDERS,
  kubernetesVersionProblem,
  providerOfKind,
} from '../../core/cluster-api-releases';
import { CLUSTER_API_CRDS, CRD_FIXTURES, CRD_OF_KIND, crdProblems, readFixture } from '../support/crd-schema';

describe('the Cluster API release each infrastructure provider pairs with', () => {
  test('CAPM3 v1.13.2 (documented for Cluster API v1.13 only) runs with v1.13.5; CAPO v0.14.7 (v1.12 and later) with v1.14.0', () => {
    expect(clusterApiReleaseFor(CAPM3.clusterApi)?.release).toBe('v1.13.5');
    expect(clusterApiReleaseFor(CAPO.clusterApi)?.release).toBe('v1.14.0');
    expect(describeClusterApiRange(CAPM3.clusterApi)).toBe('v1.13 only');
    expect(describeClusterApiRange(CAPO.clusterApi)).toBe('v1.12 and later');
    expect(describeClusterApiRange({ from: 'v1.12', to: 'v1.13' })).toBe('v1.12 to v1.13');
  });

  test('the Kubernetes minors each release builds and runs on, as its support matrix says', () => {
    const [v114, v113] = CLUSTER_API_RELEASES;
    expect(v114.kubernetes).toEqual({
      workload: { from: 'v1.31', to: 'v1.36' },
      management: { from: 'v1.33', to: 'v1.36' },
    });
    expect(v113.kubernetes).toEqual({
      workload: { from: 'v1.30', to: 'v1.36' },
      management: { from: 'v1.32', to: 'v1.36' },
    });
    expect(inKubernetesRange('v1.31.0', v114.kubernetes.workload)).toBe(true);
    expect(inKubernetesRange('v1.36.9', v114.kubernetes.workload)).toBe(true);
    expect(inKubernetesRange('v1.36', v114.kubernetes.workload)).toBe(true);
    for (const v of ['v1.30.14', 'v1.37.0', 'v1.3.1', '1.34.3', 'v1.34.3-rc.1', 'v1.34.3 ', 'v2.31.0'])
      expect([v, inKubernetesRange(v, v114.kubernetes.workload)]).toEqual([v, false]);
  });

  test('a workload version outside the paired release is refused with the range and where it is written', () => {
    expect(kubernetesVersionProblem('v1.30.2', 'openstack', CAPO.clusterApi)).toBe(
      'v1.30.2 is outside what Cluster API v1.14.0 supports for workload clusters: v1.31 to v1.36 (kubernetes-sigs/cluster-api v1.14.0 docs/book/src/reference/versions.md, core provider support matrix); the "openstack" provider is documented for Cluster API v1.12 and later',
    );
    // The same version is inside v1.13.5's range, the release CAPM3 pairs with.
    expect(kubernetesVersionProblem('v1.30.2', 'metal3', CAPM3.clusterApi)).toBeUndefined();
    expect(kubernetesVersionProblem('v1.37.0', 'metal3', CAPM3.clusterApi)).toContain(
      'outside what Cluster API v1.13.5 supports for workload clusters: v1.30 to v1.36',
    );
    // A malformed version or an unpaired provider is refused by its own check, not twice.
    expect(kubernetesVersionProblem('1.29', 'openstack', CAPO.clusterApi)).toBeUndefined();
    expect(kubernetesVersionProblem('v1.20.0', 'x', { from: 'v1.15' })).toBeUndefined();
  });

  test('ranges compare minors as numbers, both ends included', () => {
    expect(inClusterApiRange('v1.13', { from: 'v1.13', to: 'v1.13' })).toBe(true);
    expect(inClusterApiRange('v1.14', { from: 'v1.13', to: 'v1.13' })).toBe(false);
    expect(inClusterApiRange('v1.12', { from: 'v1.13' })).toBe(false);
    // v1.9 < v1.12 < v1.100: not string order.
    expect(inClusterApiRange('v1.9', { from: 'v1.12' })).toBe(false);
    expect(inClusterApiRange('v1.100', { from: 'v1.12' })).toBe(true);
    expect(inClusterApiRange('v2.0', { from: 'v1.12', to: 'v1.99' })).toBe(false);
  });

  test('fails closed on a range or minor it cannot read', () => {
    for (const [minor, range] of [
      ['v1.13.5', { from: 'v1.13' }],
      ['1.13', { from: 'v1.13' }],
      ['v1.13', { from: '1.13' }],
      ['v1.13', { from: 'v1.13', to: 'latest' }],
      ['v1.13', { from: 'v1.13 ' }],
    ] as const)
      expect([minor, range, inClusterApiRange(minor, range)]).toEqual([minor, range, false]);
    expect(clusterApiReleaseFor({ from: 'v1.15' })).toBeUndefined();
    expect(clusterApiReleaseFor({ from: 'v1.10', to: 'v1.11' })).toBeUndefined();
  });

  test('one management cluster for several providers: the minors they share, or none', () => {
    expect(commonClusterApiRange([CAPO.clusterApi, CAPM3.clusterApi])).toEqual({
      from: 'v1.13',
      to: 'v1.13',
    });
    expect(clusterApiReleaseFor(commonClusterApiRange([CAPO.clusterApi, CAPM3.clusterApi])!)?.release).toBe(
      'v1.13.5',
    );
    expect(commonClusterApiRange([CAPO.clusterApi])).toEqual({ from: 'v1.12' });
    expect(commonClusterApiRange([CAPM3.clusterApi, { from: 'v1.14' }])).toBeUndefined();
    expect(
      commonClusterApiRange([
        { from: 'v1.12', to: 'v1.12' },
        { from: 'v1.13', to: 'v1.14' },
      ]),
    ).toBeUndefined();
    expect(commonClusterApiRange([{ from: 'v1.12' }, { from: 'x' }])).toBeUndefined();
    expect(commonClusterApiRange([])).toBeUndefined();
  });

  test('providers by template kind; a kind of another provider is none of them', () => {
    expect(providerOfKind('Metal3MachineTemplate')).toBe(CAPM3);
    expect(providerOfKind('OpenStackClusterTemplate')).toBe(CAPO);
    for (const k of ['VSphereMachineTemplate', 'Metal3Machine', 'metal3machinetemplate', 'OpenStackCluster'])
      expect(providerOfKind(k)).toBeUndefined();
  });
});

describe('every release named here is the one the tests validate against', () => {
  const readme = fs.readFileSync(path.join(CRD_FIXTURES, 'README.md'), 'utf8');

  test('each Cluster API release has its four CRD fixtures, recorded with the tag commit', () => {
    expect(Object.keys(CLUSTER_API_CRDS).sort()).toEqual(CLUSTER_API_RELEASES.map((r) => r.release).sort());
    for (const r of CLUSTER_API_RELEASES) {
      expect(r.release.startsWith(`${r.minor}.`)).toBe(true);
      for (const [kind, file] of Object.entries(CLUSTER_API_CRDS[r.release])) {
        expect(readFixture(file)).toMatchObject({ kind });
        expect(readme).toContain(
          `| \`${file}\` | kubernetes-sigs/cluster-api | ${r.release} | ${r.commit} |`,
        );
      }
    }
    // Newest first: a provider takes the newest release in its range.
    const minors = CLUSTER_API_RELEASES.map((r) => r.minor.slice(1).split('.').map(Number));
    for (let i = 1; i < minors.length; i++)
      expect(minors[i - 1][0] * 1000 + minors[i - 1][1]).toBeGreaterThan(minors[i][0] * 1000 + minors[i][1]);
  });

  test("the v1.13.5 fixtures are v1.13's own: a field added in v1.14 (files[].contentFormat) is refused there", () => {
    const template = (file: Record<string, string>) => ({
      apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2',
      kind: 'KubeadmConfigTemplate',
      metadata: { name: 'x', namespace: 'y' },
      spec: { template: { spec: { files: [{ path: '/etc/x', content: 'x', ...file }] } } },
    });
    const v13 = CLUSTER_API_CRDS['v1.13.5'].KubeadmConfigTemplate;
    const v14 = CLUSTER_API_CRDS['v1.14.0'].KubeadmConfigTemplate;
    expect(crdProblems(v13, template({}))).toEqual([]);
    expect(crdProblems(v14, template({ contentFormat: 'Raw' }))).toEqual([]);
    expect(crdProblems(v13, template({ contentFormat: 'Raw' }))).toEqual([
      '/spec/template/spec/files/0: must NOT have additional properties (contentFormat)',
    ]);
  });

  test("each provider's templates have fixtures of its release, with its commit and API version", () => {
    for (const p of INFRASTRUCTURE_PROVIDERS)
      for (const kind of p.templateKinds) {
        const file = CRD_OF_KIND[kind];
        expect(file.startsWith(`${p.repository.split('/')[1]}-${p.release}/`)).toBe(true);
        const crd = readFixture(file);
        expect(`${String(crd.group)}/${String(crd.version)}`).toBe(p.apiVersion);
        expect(readme).toContain(`| \`${file}\` | ${p.repository} | ${p.release} | ${p.commit} |`);
      }
  });
});
