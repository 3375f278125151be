// Import-free, so the spec schema can list these without loading cdktf.

/**
 * Operand images whose `version` the operator accepts as a digest (`sha256:…` is joined with
 * `@`): ClusterPolicy `ImagePath` in NVIDIA/gpu-operator api/nvidia/v1/clusterpolicy_types.go.
 */
export const DIGEST_PINNABLE_IMAGES = [
  'dcgm',
  'dcgmExporter',
  'devicePlugin',
  'driver',
  'driver.manager',
  'gfd',
  'migManager',
  'operator.initContainer',
  'toolkit',
] as const;
export type DigestPinnableImage = (typeof DIGEST_PINNABLE_IMAGES)[number];
