/**
 * The GPU Operator chart's images, kept apart from the construct so that the policy (which
 * loads no cdktf) can check that a release mirrors every one of them.
 */

/**
 * Every image repository the v25.10.0 chart (and its node-feature-discovery subchart) pulls,
 * by values key, with the upstream default. The mirror keeps the path below the registry host:
 * `nvcr.io/nvidia/k8s` → `<imageRegistry>/nvidia/k8s`.
 */
export const IMAGE_REPOSITORIES: Readonly<Record<string, string>> = {
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
