/**
 * Which Cluster API release a jurisdiction's management cluster runs: the one its infrastructure
 * provider's release is documented for. Import-free, so the constructs that write the objects,
 * the audit report that reads them back and `sovereign validate` share one table.
 *
 * Each provider states the Cluster API minors its pinned release is documented for (the
 * compatibility table of its README at that tag) and the Cluster API release its go.mod builds
 * against; the release the management cluster runs is the newest Cluster API release below whose
 * minor is in that range. The Cluster API objects are validated in the tests against the CRDs of
 * exactly that release (test/fixtures/crds/cluster-api-<release>/).
 */

/** A Cluster API release whose CRDs the provisioning stack's objects are validated against. */
export interface ClusterApiRelease {
  /** `v1.13.5` */
  readonly release: string;
  /** `v1.13` */
  readonly minor: string;
  /** Commit of the tag in kubernetes-sigs/cluster-api. */
  readonly commit: string;
  /**
   * Kubernetes minors the release supports, both ends included: for the workload clusters it
   * creates and for the management cluster it runs on.
   */
  readonly kubernetes: {
    readonly workload: KubernetesRange;
    readonly management: KubernetesRange;
  };
}

/** Kubernetes minors, both ends included (`v1.31` to `v1.36`). */
export interface KubernetesRange {
  readonly from: string;
  readonly to: string;
}

/**
 * The latest patch of each Cluster API minor a provider below is documented for, newest first
 * (kubernetes-sigs/cluster-api tags as of 2026-12-07: v1.14.0 is the latest release, v1.13.5
 * the latest v1.13 patch). Both serve and store `cluster.x-k8s.io/v1beta2` and the kubeadm
 * bootstrap and control-plane `v1beta2`; the schemas of the four kinds written differ only in
 * `files[].contentFormat` of the kubeadm templates (added in v1.14), which the toolkit does not
 * write. The feature gates the objects need (ClusterTopology, MachineTaintPropagation) are in
 * `feature/feature.go` of both tags, alpha and off by default.
 *
 * The Kubernetes ranges are the core provider's support matrix in
 * docs/book/src/reference/versions.md at each tag ("Supported versions matrix by provider or
 * component"): at v1.14.0, v1.31 and v1.32 "only workload", v1.33 to v1.36 both; at v1.13.5,
 * v1.30 and v1.31 "only workload", v1.32 to v1.35 both, v1.36 "✓ >= v1.13.1".
 */
export const CLUSTER_API_RELEASES: readonly ClusterApiRelease[] = [
  {
    release: 'v1.14.0',
    minor: 'v1.14',
    commit: '560d4acf507bc7cac34b2da449fa5cd53eaeb149',
    kubernetes: { workload: { from: 'v1.31', to: 'v1.36' }, management: { from: 'v1.33', to: 'v1.36' } },
  },
  {
    release: 'v1.13.5',
    minor: 'v1.13',
    commit: '30be34da2ba56735e128c280370df3135d048015',
    kubernetes: { workload: { from: 'v1.30', to: 'v1.36' }, management: { from: 'v1.32', to: 'v1.36' } },
  },
];

/** Where the Kubernetes ranges of a Cluster API release are written. */
export function kubernetesSupportSource(r: ClusterApiRelease): string {
  return `kubernetes-sigs/cluster-api ${r.release} docs/book/src/reference/versions.md, core provider support matrix`;
}

/**
 * Whether a Kubernetes version (`v1.34.3`) or minor (`v1.34`) lies in a range; false when it is
 * neither.
 */
export function inKubernetesRange(version: string, range: KubernetesRange): boolean {
  const m = /^v(\d+)\.(\d+)(?:\.\d+)?$/.exec(version);
  return m !== null && inClusterApiRange(`v${m[1]}.${m[2]}`, range);
}

/** The Cluster API minors a provider release is documented for, both ends included. */
export interface ClusterApiRange {
  /** Oldest minor (`v1.12`). */
  readonly from: string;
  /** Newest minor; left out when the provider's table gives no upper bound (`>=v1.12`). */
  readonly to?: string;
  /** Where that is written: file at the provider's tag, and what it says. */
  readonly documented: string;
  /** Cluster API release the provider's go.mod builds against (`sigs.k8s.io/cluster-api`). */
  readonly builtAgainst: string;
}

/** An infrastructure provider release whose templates the toolkit writes. */
export interface InfrastructureProviderRelease {
  /** Provider name as clusterctl knows it. */
  readonly provider: 'openstack' | 'metal3';
  /** `Cluster API Provider Metal3 (CAPM3)` */
  readonly name: string;
  readonly repository: string;
  readonly release: string;
  readonly commit: string;
  /** API version of its templates (served and stored by the release). */
  readonly apiVersion: string;
  /** Template kinds it serves that the ClusterClass references. */
  readonly templateKinds: readonly string[];
  /** What else the management cluster runs with it. */
  readonly alongside?: string;
  readonly clusterApi: ClusterApiRange;
}

/**
 * Cluster API Provider OpenStack v0.14.7 (tag commit a4694b4, 2026-08-04; the latest stable as of
 * 2026-12-07: v0.15.0 is at beta.0). Its README.md at v0.14.7, "Compatibility with Cluster API":
 * v0.14 with CAPI `>=v1.12`, "based on the version of Cluster API that the provider was built
 * and tested against" (go.mod: sigs.k8s.io/cluster-api v1.12.10; test/e2e/data/e2e_conf.yaml
 * installs CAPI v1.12). It implements the v1beta1 contract (metadata.yaml), which Cluster API
 * v1.14.0 still accepts as deprecated (internal/contract/version.go GetCompatibleVersions).
 */
export const CAPO: InfrastructureProviderRelease = {
  provider: 'openstack',
  name: 'Cluster API Provider OpenStack (CAPO)',
  repository: 'kubernetes-sigs/cluster-api-provider-openstack',
  release: 'v0.14.7',
  commit: 'a4694b46b3fd2b31e3e6fb08f8ada6bc09be2643',
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
  templateKinds: ['OpenStackClusterTemplate', 'OpenStackMachineTemplate'],
  clusterApi: {
    from: 'v1.12',
    documented: 'README.md "Compatibility with Cluster API": v0.14 with Cluster API >=v1.12',
    builtAgainst: 'v1.12.10',
  },
};

/**
 * Cluster API Provider Metal3 v1.13.2 (tag commit e58645d, 2026-07-22; the latest stable as of
 * 2026-12-07: v1.14.0 is at rc.0). Its README.md at v1.13.2, "Compatibility with Cluster API":
 * CAPM3 v1.13.X with Cluster API v1.13.X, both `v1beta2`, and no other row for v1.13
 * (go.mod: sigs.k8s.io/cluster-api v1.13.4). On a Cluster API v1.14 management cluster it runs
 * outside its documented matrix.
 */
export const CAPM3: InfrastructureProviderRelease = {
  provider: 'metal3',
  name: 'Cluster API Provider Metal3 (CAPM3)',
  repository: 'metal3-io/cluster-api-provider-metal3',
  release: 'v1.13.2',
  commit: 'e58645d868b99f12b2e33524e887789180ce1e12',
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
  templateKinds: ['Metal3ClusterTemplate', 'Metal3MachineTemplate'],
  alongside: 'Ironic and the Bare Metal Operator',
  clusterApi: {
    from: 'v1.13',
    to: 'v1.13',
    documented: 'README.md "Compatibility with Cluster API": CAPM3 v1.13.X with Cluster API v1.13.X only',
    builtAgainst: 'v1.13.4',
  },
};

export const INFRASTRUCTURE_PROVIDERS: readonly InfrastructureProviderRelease[] = [CAPO, CAPM3];

/** The provider release serving a template kind, if the toolkit writes it. */
export function providerOfKind(kind: string): InfrastructureProviderRelease | undefined {
  return INFRASTRUCTURE_PROVIDERS.find((p) => p.templateKinds.includes(kind));
}

/** `v1.13` → [1, 13]; undefined when it is not a `v<major>.<minor>`. */
function minorOf(v: string): [number, number] | undefined {
  const m = /^v(\d+)\.(\d+)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function compareMinor(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** Whether a Cluster API minor (`v1.13`) lies in a provider's documented range. */
export function inClusterApiRange(minor: string, range: Pick<ClusterApiRange, 'from' | 'to'>): boolean {
  const m = minorOf(minor);
  const from = minorOf(range.from);
  const to = range.to === undefined ? undefined : minorOf(range.to);
  if (m === undefined || from === undefined || (range.to !== undefined && to === undefined)) return false;
  return compareMinor(m, from) >= 0 && (to === undefined || compareMinor(m, to) <= 0);
}

/**
 * The Cluster API release a provider's range pairs with: the newest of CLUSTER_API_RELEASES inside
 * it, or undefined when the toolkit writes for none of them.
 */
export function clusterApiReleaseFor(
  range: Pick<ClusterApiRange, 'from' | 'to'>,
): ClusterApiRelease | undefined {
  return CLUSTER_API_RELEASES.find((r) => inClusterApiRange(r.minor, range));
}

/**
 * The minors every range admits (one management cluster serving several providers), or
 * undefined when they share none.
 */
export function commonClusterApiRange(
  ranges: readonly Pick<ClusterApiRange, 'from' | 'to'>[],
): Pick<ClusterApiRange, 'from' | 'to'> | undefined {
  let from: [number, number] | undefined;
  let to: [number, number] | undefined;
  for (const r of ranges) {
    const f = minorOf(r.from);
    const t = r.to === undefined ? undefined : minorOf(r.to);
    if (f === undefined || (r.to !== undefined && t === undefined)) return undefined;
    if (from === undefined || compareMinor(f, from) > 0) from = f;
    if (t !== undefined && (to === undefined || compareMinor(t, to) < 0)) to = t;
  }
  if (from === undefined || (to !== undefined && compareMinor(from, to) > 0)) return undefined;
  const v = (m: [number, number]) => `v${m[0]}.${m[1]}`;
  return { from: v(from), ...(to !== undefined ? { to: v(to) } : {}) };
}

/** `v1.12 and later`, `v1.13 only`, `v1.12 to v1.13`: a range as the report and errors say it. */
export function describeClusterApiRange(range: Pick<ClusterApiRange, 'from' | 'to'>): string {
  if (range.to === undefined) return `${range.from} and later`;
  return range.to === range.from ? `${range.from} only` : `${range.from} to ${range.to}`;
}

/**
 * Why a workload cluster's Kubernetes version (`v1.29.4`) cannot be built with the Cluster API
 * release a provider pairs with, or undefined when it can (or when the version or the pairing
 * is refused elsewhere).
 */
export function kubernetesVersionProblem(
  version: string,
  provider: string,
  range: Pick<ClusterApiRange, 'from' | 'to'>,
): string | undefined {
  const release = clusterApiReleaseFor(range);
  if (release === undefined || !/^v\d+\.\d+\.\d+$/.test(version)) return undefined;
  const w = release.kubernetes.workload;
  if (inKubernetesRange(version, w)) return undefined;
  return `${version} is outside what Cluster API ${release.release} supports for workload clusters: ${w.from} to ${w.to} (${kubernetesSupportSource(release)}); the "${provider}" provider is documented for Cluster API ${describeClusterApiRange(range)}`;
}
