/**
 * The contracts between constructs, so that serving can be placed on a pool and mount
 * weights without knowing the classes behind them (a user may bring their own).
 */
import type { ITerraformDependable } from 'cdktf';

/** A toleration as the Kubernetes API spells it. */
export interface PodToleration {
  readonly key: string;
  readonly operator: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** What a workload needs to know about the GPU nodes it runs on. Implemented by GpuNodePool. */
export interface IGpuPool {
  /** Pool name (a DNS label). */
  readonly poolName: string;
  /** GPU product as GPU Feature Discovery labels it (`NVIDIA-H100-80GB-HBM3`). */
  readonly gpuProduct: string;
  /** Schedulable GPU resources per node under the pool's sharing mode. */
  readonly gpusPerNode: number;
  /** Memory of one schedulable GPU unit, in GiB (a MIG slice's memory under MIG, the GPU's share under time-slicing). */
  readonly gpuMemoryGiB: number;
  /**
   * Memory of the device a process actually sees, in GiB, when it differs from `gpuMemoryGiB`:
   * under time-slicing every sharer sees the whole GPU, so an engine's "fraction of GPU memory"
   * must be scaled to stay inside its share. @default gpuMemoryGiB
   */
  readonly visibleGpuMemoryGiB?: number;
  /**
   * Most GPUs one pod may request: 1 under time-slicing, where two "GPUs" may be slices of the
   * same device (the device plugin refuses larger requests), so tensor parallelism is not
   * possible. @default gpusPerNode
   */
  readonly maxGpusPerPod?: number;
  /** Number of nodes in the pool. */
  readonly nodeCount: number;
  /** Extended resource a container requests (`nvidia.com/gpu`, `nvidia.com/mig-3g.40gb`). */
  readonly resourceName: string;
  /** Node selector that lands a pod on this pool. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Tolerations for the pool's taint. */
  readonly tolerations: readonly PodToleration[];
  /** Resources to depend on before scheduling onto the pool (labels, taints). */
  readonly dependables: readonly ITerraformDependable[];
  /** The MIG profile of the pool's slices, on a MIG pool: a pod uses one slice. */
  readonly migProfile?: string;
  /**
   * Required node affinity that pins pods to the pool's GPU product, as GPU Feature Discovery
   * labels it (`nvidia.com/gpu.product`), so a node of another product never runs them.
   */
  readonly productAffinity?: NodeLabelRequirement;
}

/** A node label a pod requires: `key` with one of `values`. */
export interface NodeLabelRequirement {
  readonly key: string;
  readonly values: readonly string[];
}

/** Where pods of a CPU-only server go: implemented by CpuNodePool. */
export interface INodePlacement {
  readonly poolName: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly PodToleration[];
  readonly dependables: readonly ITerraformDependable[];
}

/** A verified model directory (or file) on a volume. Implemented by ModelWeights. */
export interface IModelWeights {
  /** Model name (a DNS label). */
  readonly modelName: string;
  /** Namespace the volume claim lives in; servers must run in the same namespace. */
  readonly namespace: string;
  /** PersistentVolumeClaim holding the weights. */
  readonly claimName: string;
  /** Directory of this model on the volume, relative to the volume root (`models/llama-3-70b/<rev>`). */
  readonly subPath: string;
  /** For a single-file model (GGUF): the file name inside `subPath`. */
  readonly fileName?: string;
  /** Pinned revision (commit or tag) that was verified. */
  readonly revision: string;
  /** SHA-256 of the manifest that was verified (hex). */
  readonly manifestSha256: string;
  /** The verification Job: servers depend on it so they never start before it succeeds. */
  readonly verification: ITerraformDependable;
}
