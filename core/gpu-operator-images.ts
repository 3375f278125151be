/**
 * The GPU Operator chart's images, per supported chart version, kept apart from the construct so
 * that the policy (which loads no cdktf) can check that a release mirrors every one of them.
 *
 * Checked against NVIDIA/gpu-operator deployments/gpu-operator/values.yaml (and
 * templates/clusterpolicy.yaml, templates/gpucluster.yaml for keys without a default) at
 *   v25.10.0: tag v25.10.0, commit 6f3d599dfe65b7d4247a90ca2ab27b32a6d6ed98
 *   v26.7.0:  tag v26.7.0,  commit 10ee5b3638b89e11e949412aafa5ba99279c3721
 * (both kept as test/fixtures/gpu-operator/values-<version>.yaml). What v26 changed for images:
 * `operator.initContainer` is gone; `vfioManager` moved from nvcr.io/nvidia/cuda to
 * nvcr.io/nvidia/cloud-native/k8s-driver-manager; `kataSandboxDevicePlugin` (Kata sandbox device
 * plugin) and `draDriver` (NVIDIA DRA driver, rendered with gpuCluster.deployCR) are new;
 * `kataManager` has no default image any more (its template still reads repository/image/version).
 *
 * v26.7.1 (re-checked 2026-12-07): downstream sources record a chart v26.7.1 archive on NVIDIA's
 * Helm repository (pinned 2026-10-06, default driver 595.91.07 as in v26.7.0), but no stored
 * source holds its values.yaml: the NVIDIA/gpu-operator snapshot ends on 2026-08-23 with v26.7.0
 * as its newest tag (`git show v26.7.1:deployments/gpu-operator/values.yaml` finds no such tag).
 * Its values and images cannot be checked here, so the newest supported chart stays v26.7.0.
 */

/** Supported chart versions, oldest first. */
export const GPU_OPERATOR_CHART_VERSIONS = ['v25.10.0', 'v26.7.0'] as const;
export type GpuOperatorChartVersion = (typeof GPU_OPERATOR_CHART_VERSIONS)[number];
/** The chart version a jurisdiction gets when it pins none: the newest supported. */
export const GPU_OPERATOR_DEFAULT_CHART_VERSION: GpuOperatorChartVersion = 'v26.7.0';

const V25_10_0: Readonly<Record<string, string>> = {
  ccManager: 'nvcr.io/nvidia/cloud-native',
  dcgm: 'nvcr.io/nvidia/cloud-native',
  dcgmExporter: 'nvcr.io/nvidia/k8s',
  devicePlugin: 'nvcr.io/nvidia',
  driver: 'nvcr.io/nvidia',
  'driver.manager': 'nvcr.io/nvidia/cloud-native',
  gdrcopy: 'nvcr.io/nvidia/cloud-native',
  gds: 'nvcr.io/nvidia/cloud-native',
  gfd: 'nvcr.io/nvidia',
  kataManager: 'nvcr.io/nvidia/cloud-native',
  migManager: 'nvcr.io/nvidia/cloud-native',
  'node-feature-discovery.image': 'registry.k8s.io/nfd/node-feature-discovery',
  nodeStatusExporter: 'nvcr.io/nvidia',
  operator: 'nvcr.io/nvidia',
  'operator.initContainer': 'nvcr.io/nvidia',
  sandboxDevicePlugin: 'nvcr.io/nvidia',
  toolkit: 'nvcr.io/nvidia/k8s',
  validator: 'nvcr.io/nvidia',
  vfioManager: 'nvcr.io/nvidia',
  'vfioManager.driverManager': 'nvcr.io/nvidia/cloud-native',
  vgpuDeviceManager: 'nvcr.io/nvidia/cloud-native',
  // No public default (vGPU manager images are built by the licensee); pointed at the mirror anyway.
  vgpuManager: 'nvcr.io/nvidia',
  'vgpuManager.driverManager': 'nvcr.io/nvidia/cloud-native',
};

const V26_7_0: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries({
    ...V25_10_0,
    // vfio-manager runs k8s-driver-manager from v26
    vfioManager: 'nvcr.io/nvidia/cloud-native',
    kataSandboxDevicePlugin: 'nvcr.io/nvidia/cloud-native',
    draDriver: 'nvcr.io/nvidia',
  }).filter(([k]) => k !== 'operator.initContainer'),
);

/**
 * Every image repository each chart version (and its node-feature-discovery subchart) pulls, by
 * values key, with the upstream default. The mirror keeps the path below the registry host:
 * `nvcr.io/nvidia/k8s` → `<imageRegistry>/nvidia/k8s`.
 */
export const IMAGE_REPOSITORIES_BY_CHART: Readonly<
  Record<GpuOperatorChartVersion, Readonly<Record<string, string>>>
> = {
  'v25.10.0': V25_10_0,
  'v26.7.0': V26_7_0,
};

/** The image repositories of the default chart version. */
export const IMAGE_REPOSITORIES: Readonly<Record<string, string>> =
  IMAGE_REPOSITORIES_BY_CHART[GPU_OPERATOR_DEFAULT_CHART_VERSION];

/**
 * The image keys a release of `version` must rewrite; for a version this toolkit does not know,
 * the union over every supported version (the strictest reading).
 */
export function imageRepositoriesFor(version: string | undefined): Readonly<Record<string, string>> {
  const v = version === undefined ? undefined : version.startsWith('v') ? version : `v${version}`;
  const known = (GPU_OPERATOR_CHART_VERSIONS as readonly string[]).includes(v ?? '')
    ? IMAGE_REPOSITORIES_BY_CHART[v as GpuOperatorChartVersion]
    : undefined;
  return known ?? Object.assign({}, ...Object.values(IMAGE_REPOSITORIES_BY_CHART));
}
