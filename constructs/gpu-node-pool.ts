/**
 * A named set of existing GPU nodes offering one GPU product: labels and a taint applied to
 * the nodes, and how their GPUs are shared (whole, time-sliced or MIG-partitioned).
 */
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { Labels } from '@cdktf/provider-kubernetes/lib/labels';
import { NodeTaint } from '@cdktf/provider-kubernetes/lib/node-taint';
import { stringify } from 'yaml';
import { LABEL_GPU_POOL } from '../core/annotations';
import { GIB_BYTES, LABEL_GPU_PRODUCT, poolFacts, poolProblems } from './gpu-products';
import { throwIfProblems, type Problem } from '../core/errors';
import type { IGpuPool, PodToleration } from './interfaces';
import { JURISDICTION_LABEL } from '../core/labels';
import {
  checkDnsLabel,
  checkDnsSubdomain,
  checkIntRange,
  checkLabelValue,
  problems,
} from './private/validate';

/** Every GPU scheduled whole: the pool exposes `nvidia.com/gpu`, one per physical GPU. */
export interface NoSharing {
  readonly mode: 'none';
}

/**
 * CUDA time-slicing: the device plugin advertises each GPU `replicasPerGpu` times as
 * `nvidia.com/gpu`. Workloads share compute and memory without isolation.
 * @see https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/gpu-sharing.html
 */
export interface TimeSlicingSharing {
  readonly mode: 'time-slicing';
  /** Schedulable replicas of each physical GPU (2-64). */
  readonly replicasPerGpu: number;
}

/**
 * Multi-Instance GPU: every GPU of the pool partitioned into identical instances of `profile`.
 * Under `single` the instances are exposed as `nvidia.com/gpu`; under `mixed` as
 * `nvidia.com/mig-<profile>`. The strategy is cluster-wide in the GPU Operator.
 * @see https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/gpu-operator-mig.html
 * @see https://docs.nvidia.com/datacenter/tesla/mig-user-guide/#supported-mig-profiles
 */
export interface MigSharing {
  readonly mode: 'mig';
  readonly strategy: 'single' | 'mixed';
  /** MIG profile (`3g.40gb`); must exist for the pool's product and memory. */
  readonly profile: string;
}

export type GpuSharing = NoSharing | TimeSlicingSharing | MigSharing;

export interface GpuNodePoolProps {
  /** Jurisdiction the nodes are labelled with (a DNS label). */
  readonly jurisdiction: string;
  /** Pool name: a DNS label of at most 58 characters (`h100`, `a100-mig`). */
  readonly poolName: string;
  /** Names of the existing Kubernetes nodes in the pool (`gpu-node-01`). */
  readonly nodes: readonly string[];
  /**
   * GPU product as GPU Feature Discovery labels it in `nvidia.com/gpu.product`
   * (`NVIDIA-H100-80GB-HBM3`, `NVIDIA-A100-SXM4-80GB`, `NVIDIA-L40S`).
   * @see https://github.com/NVIDIA/k8s-device-plugin/blob/main/docs/gpu-feature-discovery/README.md
   */
  readonly gpuProduct: string;
  /** Physical GPUs in each node (1-16). */
  readonly gpusPerNode: number;
  /**
   * Memory of one physical GPU in GiB. Optional for a product in the GPU table (gpu-products.ts),
   * whose figure is used; a stated value that disagrees with the table is refused.
   */
  readonly gpuMemoryGiB?: number;
  /** @default { mode: 'none' } */
  readonly sharing?: GpuSharing;
  /**
   * For nodes Cluster API creates (a MachineDeployment that carries `nodeLabels` and the taint
   * itself, see ClusterApiCluster): how many machines, with `nodes` empty. No per-node resource
   * is written. @default the pool is the named existing `nodes`
   */
  readonly machineCount?: number;
}

/** Device plugin configuration of one pool: an entry of the ConfigMap the GPU Operator creates. */
export interface DevicePluginPoolConfig {
  /** Key in the ConfigMap and value of the node label `nvidia.com/device-plugin.config`. */
  readonly name: string;
  /** The k8s-device-plugin config file (version v1), as YAML. */
  readonly yaml: string;
}

/** One mig-parted configuration (`mig-configs.<name>`), applied by the MIG manager. */
export interface MigPoolConfig {
  /** Key under `mig-configs` and value of the node label `nvidia.com/mig.config`. */
  readonly name: string;
  /** @see https://github.com/NVIDIA/mig-parted#configuration-file-format */
  readonly devices: readonly {
    readonly devices: 'all';
    readonly 'mig-enabled': boolean;
    readonly 'mig-devices': Readonly<Record<string, number>>;
  }[];
}

/** The taint every GPU node carries; the GPU Operator's operands tolerate it by default. */
export const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' } as const;
/** Field manager of the labels and taints this construct applies (server-side apply). */
export const FIELD_MANAGER = 'sovereign-stack';

/** Node label the device plugin reads to choose its config. @see https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/gpu-sharing.html */
export const LABEL_DEVICE_PLUGIN_CONFIG = 'nvidia.com/device-plugin.config';
/** Node label the MIG manager reads to choose a mig-parted config. @see https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/gpu-operator-mig.html */
export const LABEL_MIG_CONFIG = 'nvidia.com/mig.config';

/**
 * A named pool of existing GPU nodes. Applies to every node, with server-side apply
 * (`kubernetes_labels` kind Node and `kubernetes_node_taint`, field manager `sovereign-stack`):
 * the pool label (`sovereign-stack.io/gpu-pool`), the jurisdiction label, the sharing labels the
 * GPU Operator reads (`nvidia.com/device-plugin.config`, `nvidia.com/mig.config`) and the taint
 * `nvidia.com/gpu=present:NoSchedule`. Register the pool with the cluster's `GpuOperator`
 * (`operator.addPool(pool)`) so the operator gets its sharing configuration.
 */
export class GpuNodePool extends Construct implements IGpuPool {
  public readonly jurisdiction: string;
  public readonly poolName: string;
  /** The product as given (the physical GPU). */
  public readonly gpuProduct: string;
  /** Schedulable GPU resources per node: physical GPUs × replicas (time-slicing) or × instances (MIG). */
  public readonly gpusPerNode: number;
  /** Memory of one schedulable unit in GiB: the MIG slice's memory, or the GPU's memory ÷ replicas under time-slicing. */
  public readonly gpuMemoryGiB: number;
  /** The MIG profile of the slices (MIG only). */
  public readonly migProfile?: string;
  /** Pods are pinned to the product GPU Feature Discovery labels the pool's nodes with. */
  public readonly productAffinity: { readonly key: string; readonly values: readonly string[] };
  /** True when the unit's memory is an estimate (gpu-products.ts, `measured: false`). */
  public readonly memoryEstimated: boolean;
  public readonly physicalGpusPerNode: number;
  public readonly physicalGpuMemoryGiB: number;
  /** Under time-slicing each sharer sees the whole GPU (see IGpuPool.visibleGpuMemoryGiB). */
  public readonly visibleGpuMemoryGiB?: number;
  /** 1 under time-slicing (see IGpuPool.maxGpusPerPod). */
  public readonly maxGpusPerPod?: number;
  public readonly nodeCount: number;
  public readonly nodes: readonly string[];
  public readonly sharing: GpuSharing;
  public readonly resourceName: string;
  public readonly nodeSelector: Readonly<Record<string, string>>;
  public readonly tolerations: readonly PodToleration[];
  /** Labels applied to every node of the pool, keys sorted. */
  public readonly nodeLabels: Readonly<Record<string, string>>;
  /** This pool's entry in the device plugin ConfigMap; undefined without sharing. */
  public readonly devicePluginConfig?: DevicePluginPoolConfig;
  /** This pool's mig-parted config; defined under MIG only. */
  public readonly migConfig?: MigPoolConfig;
  private readonly _dependables: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: GpuNodePoolProps) {
    super(scope, id);
    const sharing: GpuSharing = props.sharing ?? { mode: 'none' };
    throwIfProblems(`GpuNodePool ${id}`, validate(props, sharing));

    const facts = poolFacts({
      product: props.gpuProduct,
      gpusPerNode: props.gpusPerNode,
      gpuMemoryGiB: props.gpuMemoryGiB,
      sharing,
    });
    this.jurisdiction = props.jurisdiction;
    this.poolName = props.poolName;
    this.gpuProduct = props.gpuProduct;
    this.physicalGpusPerNode = props.gpusPerNode;
    this.physicalGpuMemoryGiB = facts.physicalMemoryBytes / GIB_BYTES;
    this.nodes = [...props.nodes];
    this.nodeCount = props.machineCount ?? props.nodes.length;
    this.sharing = sharing;
    this.gpusPerNode = facts.unitsPerNode;
    this.gpuMemoryGiB = facts.unitMemoryBytes / GIB_BYTES;
    this.resourceName = facts.resourceName;
    this.memoryEstimated = facts.estimated;
    this.productAffinity = { key: LABEL_GPU_PRODUCT, values: [facts.productLabel] };
    const configName = `pool-${props.poolName}`;
    const labels: Record<string, string> = {
      [LABEL_GPU_POOL]: props.poolName,
      [JURISDICTION_LABEL]: props.jurisdiction,
    };

    if (sharing.mode === 'time-slicing') {
      this.visibleGpuMemoryGiB = facts.visibleMemoryBytes / GIB_BYTES;
      this.maxGpusPerPod = 1;
      // k8s-device-plugin config file, `sharing.timeSlicing`: same resource name, shared count;
      // a request for more than one replica fails instead of silently landing on one GPU.
      // https://github.com/NVIDIA/k8s-device-plugin#shared-access-to-gpus-with-cuda-time-slicing
      this.devicePluginConfig = {
        name: configName,
        yaml: stringify(
          {
            version: 'v1',
            flags: { migStrategy: 'none' },
            sharing: {
              timeSlicing: {
                failRequestsGreaterThanOne: true,
                renameByDefault: false,
                resources: [{ name: 'nvidia.com/gpu', replicas: sharing.replicasPerGpu }],
              },
            },
          },
          { sortMapEntries: true },
        ),
      };
      labels[LABEL_DEVICE_PLUGIN_CONFIG] = configName;
    } else if (sharing.mode === 'mig') {
      const perGpu = facts.migInstancesPerGpu as number;
      // A CUDA process sees one MIG slice: a pod uses one (NVIDIA MIG user guide, "CUDA
      // Device Enumeration"), so tensor parallelism across slices is impossible.
      this.maxGpusPerPod = 1;
      this.migProfile = sharing.profile;
      this.devicePluginConfig = {
        name: configName,
        yaml: stringify(
          { version: 'v1', flags: { migStrategy: sharing.strategy } },
          { sortMapEntries: true },
        ),
      };
      this.migConfig = {
        name: configName,
        devices: [{ devices: 'all', 'mig-enabled': true, 'mig-devices': { [sharing.profile]: perGpu } }],
      };
      labels[LABEL_DEVICE_PLUGIN_CONFIG] = configName;
      labels[LABEL_MIG_CONFIG] = configName;
    }

    this.nodeLabels = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    this.nodeSelector = { [LABEL_GPU_POOL]: props.poolName };
    this.tolerations = [{ key: GPU_TAINT.key, operator: 'Exists', effect: GPU_TAINT.effect }];

    for (const node of this.nodes) {
      this._dependables.push(
        new Labels(this, `labels-${node}`, {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: node },
          labels: { ...this.nodeLabels },
          fieldManager: FIELD_MANAGER,
          // The GPU Operator writes a default nvidia.com/mig.config on MIG-capable nodes; take it over.
          force: true,
        }),
        new NodeTaint(this, `taint-${node}`, {
          metadata: { name: node },
          taint: [{ ...GPU_TAINT }],
          fieldManager: FIELD_MANAGER,
          force: true,
        }),
      );
    }
  }

  /** Node labels and taints, plus anything registered with `addDependable` (the GPU Operator release). */
  public get dependables(): readonly ITerraformDependable[] {
    return [...this._dependables];
  }

  /** Makes workloads placed on this pool wait for `d` too (GpuOperator.addPool registers its release). */
  public addDependable(d: ITerraformDependable): void {
    if (!this._dependables.includes(d)) this._dependables.push(d);
  }
}

function validate(p: GpuNodePoolProps, sharing: GpuSharing): Problem[] {
  const out: Problem[] = problems(
    checkDnsLabel('jurisdiction', p.jurisdiction),
    checkDnsLabel('poolName', p.poolName, 58),
    p.gpuProduct === ''
      ? {
          path: 'gpuProduct',
          message: 'empty: give the product as GPU Feature Discovery labels it (NVIDIA-H100-80GB-HBM3)',
        }
      : checkLabelValue('gpuProduct', p.gpuProduct),
    checkIntRange('gpusPerNode', p.gpusPerNode, 1, 16),
    p.gpuMemoryGiB === undefined || (p.gpuMemoryGiB > 0 && p.gpuMemoryGiB <= 1024)
      ? undefined
      : {
          path: 'gpuMemoryGiB',
          message: `${p.gpuMemoryGiB} is not allowed: use a size above 0 and at most 1024`,
        },
  );
  if (p.machineCount !== undefined) {
    const bad = checkIntRange('machineCount', p.machineCount, 1, 1000);
    if (bad) out.push(bad);
    if (p.nodes.length > 0)
      out.push({ path: 'nodes', message: 'give either existing nodes or a machineCount, not both' });
  } else if (p.nodes.length === 0) {
    out.push({ path: 'nodes', message: 'no nodes: a pool needs at least one existing node' });
  }
  const seen = new Set<string>();
  p.nodes.forEach((n, i) => {
    const bad = checkDnsSubdomain(`nodes[${i}]`, n);
    if (bad) out.push(bad);
    if (seen.has(n))
      out.push({
        path: `nodes[${i}]`,
        message: `"${n}" is listed twice: each node belongs to the pool once`,
      });
    seen.add(n);
  });
  if (sharing.mode === 'time-slicing') {
    const bad = checkIntRange('sharing.replicasPerGpu', sharing.replicasPerGpu, 2, 64);
    if (bad) out.push(bad);
  } else if (sharing.mode === 'mig') {
    if (sharing.strategy !== 'single' && sharing.strategy !== 'mixed') {
      out.push({
        path: 'sharing.strategy',
        message: `"${String(sharing.strategy)}" is not a MIG strategy: use single or mixed`,
      });
    }
  } else if (sharing.mode !== 'none') {
    out.push({
      path: 'sharing.mode',
      message: `"${String((sharing as { mode: unknown }).mode)}" is not a sharing mode: use none, time-slicing or mig`,
    });
  }
  // Product, memory and MIG profile against the GPU table: the same check `sovereign validate` makes.
  if (out.length === 0) {
    out.push(
      ...poolProblems({
        product: p.gpuProduct,
        gpusPerNode: p.gpusPerNode,
        gpuMemoryGiB: p.gpuMemoryGiB,
        sharing,
      }),
    );
  }
  return out;
}
