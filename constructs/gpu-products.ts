/**
 * GPU facts as data: the memory of each GPU product as the driver reports it, its MIG
 * profiles and what each slice really holds, and the value GPU Feature Discovery (GFD) gives
 * the node label `nvidia.com/gpu.product` under each sharing mode. The capacity planner sizes
 * models from these figures, never from a product or profile name ("3g.40gb" holds 39.25 GiB
 * on an A100, not 40).
 *
 * Pure data and functions: `sovereign validate` loads this file without cdktf.
 *
 * Sources (facts taken, numbers in MiB = 2^20 bytes):
 * - Whole-GPU memory: `nvidia-smi` "Memory-Usage" total and GFD's `nvidia.com/gpu.memory` label,
 *   which reports the same NVML figure (k8s-device-plugin docs/gpu-feature-discovery/README.md,
 *   "Generated Labels"; e.g. NVIDIA-A100-80GB-PCIe → 81920, NVIDIA-H200 → 143771).
 * - MIG profiles, instances per GPU and the memory fraction of each: NVIDIA MIG User Guide,
 *   "Supported MIG Profiles" (https://docs.nvidia.com/datacenter/tesla/mig-user-guide/).
 * - MIG slice memory: `nvidia-smi mig -lgip` "Memory GiB" and GFD's `nvidia.com/mig-<profile>.memory`
 *   label (A100 80GB: 1g.10gb 9728, 2g.20gb 19968, 3g.40gb 40192; H100 80GB HBM3: 3g.40gb
 *   39.38 GiB = 40320). Drivers differ by up to 1/8 GiB for the same slice; the table keeps the
 *   lower figure. Products marked `measured: false` have no published slice figure we could
 *   check: their slices are the guide's memory fraction of the whole GPU less 2 % (the gap the
 *   measured A100 and H100 slices show), stated as an estimate in the planner's messages.
 * - `nvidia.com/gpu.product` under MIG: with the `single` strategy GFD appends
 *   `-MIG-<profile>` to the product (`NVIDIA-A100-SXM4-80GB-MIG-3g.40gb`); with `mixed` the
 *   label keeps the physical product and each profile gets `nvidia.com/mig-<profile>.product`.
 *   Under time-slicing (renameByDefault false) GFD appends `-SHARED`. (k8s-device-plugin
 *   docs/gpu-feature-discovery/README.md "MIG 'single' strategy" / "MIG 'mixed' strategy";
 *   README.md "Shared Access to GPUs with CUDA Time-Slicing".)
 */

export const MIB = 1024 ** 2;
export const GIB_BYTES = 1024 ** 3;

export interface MigProfileFacts {
  /** Instances of this profile when every slice of the GPU uses it. */
  readonly instances: number;
  /** Memory one slice gives a process, in MiB. */
  readonly memoryMiB: number;
  /** False when the figure is derived from the guide's memory fraction (see the header). */
  readonly measured: boolean;
}

export interface GpuProductFacts {
  /** The product as GFD labels it (`nvidia.com/gpu.product`). */
  readonly product: string;
  /** Memory of one GPU in MiB as the driver reports it. */
  readonly memoryMiB: number;
  /** MIG profiles (homogeneous partitions), when the product supports MIG. */
  readonly mig?: Readonly<Record<string, MigProfileFacts>>;
}

const m = (instances: number, memoryMiB: number): MigProfileFacts => ({
  instances,
  memoryMiB,
  measured: true,
});
/** A slice of `eighths`/8 of a GPU of `totalMiB`, less 2 %, rounded down to 64 MiB. */
const est = (instances: number, eighths: number, totalMiB: number): MigProfileFacts => ({
  instances,
  memoryMiB: Math.floor((((totalMiB * eighths) / 8) * 0.98) / 64) * 64,
  measured: false,
});

const A100_40_MIG = {
  '1g.5gb': m(7, 4864),
  '1g.10gb': m(4, 9856),
  '2g.10gb': m(3, 9856),
  '3g.20gb': m(2, 19968),
  '4g.20gb': m(1, 19968),
  '7g.40gb': m(1, 40192),
};
const A100_80_MIG = {
  '1g.10gb': m(7, 9728),
  '1g.20gb': m(4, 19968),
  '2g.20gb': m(3, 19968),
  '3g.40gb': m(2, 40192),
  '4g.40gb': m(1, 40192),
  '7g.80gb': m(1, 80896),
};
const H100_80_MIG = {
  '1g.10gb': m(7, 9984),
  '1g.20gb': m(4, 20096),
  '2g.20gb': m(3, 20096),
  '3g.40gb': m(2, 40320),
  '4g.40gb': m(1, 40320),
  '7g.80gb': m(1, 81024),
};
const H100_NVL_MIB = 95830;
const H100_94_MIG = {
  '1g.12gb': est(7, 1, H100_NVL_MIB),
  '1g.24gb': est(4, 2, H100_NVL_MIB),
  '2g.24gb': est(3, 2, H100_NVL_MIB),
  '3g.47gb': est(2, 4, H100_NVL_MIB),
  '4g.47gb': est(1, 4, H100_NVL_MIB),
  '7g.94gb': est(1, 8, H100_NVL_MIB),
};
const H200_MIB = 143771;
const H200_MIG = {
  '1g.18gb': est(7, 1, H200_MIB),
  '1g.35gb': est(4, 2, H200_MIB),
  '2g.35gb': est(3, 2, H200_MIB),
  '3g.71gb': est(2, 4, H200_MIB),
  '4g.71gb': est(1, 4, H200_MIB),
  '7g.141gb': est(1, 8, H200_MIB),
};
const B200_MIB = 183359;
const B200_MIG = {
  '1g.23gb': est(7, 1, B200_MIB),
  '1g.45gb': est(4, 2, B200_MIB),
  '2g.45gb': est(3, 2, B200_MIB),
  '3g.90gb': est(2, 4, B200_MIB),
  '4g.90gb': est(1, 4, B200_MIB),
  '7g.180gb': est(1, 8, B200_MIB),
};
const A30_MIB = 24576;
const A30_MIG = {
  '1g.6gb': est(4, 2, A30_MIB),
  '2g.12gb': est(2, 4, A30_MIB),
  '4g.24gb': est(1, 8, A30_MIB),
};

const row = (product: string, memoryMiB: number, mig?: Record<string, MigProfileFacts>): GpuProductFacts => ({
  product,
  memoryMiB,
  ...(mig ? { mig } : {}),
});

/** Known GPU products, keyed by the GFD product label. */
export const GPU_PRODUCTS: Readonly<Record<string, GpuProductFacts>> = Object.fromEntries(
  [
    row('NVIDIA-A100-SXM4-40GB', 40960, A100_40_MIG),
    row('NVIDIA-A100-PCIE-40GB', 40960, A100_40_MIG),
    row('NVIDIA-A100-SXM4-80GB', 81920, A100_80_MIG),
    row('NVIDIA-A100-80GB-PCIe', 81920, A100_80_MIG),
    row('NVIDIA-H100-80GB-HBM3', 81559, H100_80_MIG),
    row('NVIDIA-H100-PCIe', 81559, H100_80_MIG),
    row('NVIDIA-H100-NVL', H100_NVL_MIB, H100_94_MIG),
    row('NVIDIA-H200', H200_MIB, H200_MIG),
    row('NVIDIA-B200', B200_MIB, B200_MIG),
    row('NVIDIA-A30', A30_MIB, A30_MIG),
    row('NVIDIA-L40S', 46068),
    row('NVIDIA-L40', 46068),
    row('NVIDIA-A40', 46068),
    row('NVIDIA-L4', 23034),
    row('NVIDIA-A10', 23028),
    row('Tesla-T4', 15360),
  ].map((r) => [r.product, r]),
);

export function gpuProductFacts(product: string): GpuProductFacts | undefined {
  return Object.prototype.hasOwnProperty.call(GPU_PRODUCTS, product) ? GPU_PRODUCTS[product] : undefined;
}

/** `44.99` for 46068 MiB: GiB with two decimals. */
export function gibOf(mib: number): number {
  return Math.round((mib / 1024) * 100) / 100;
}

// ------------------------------------------------------------------ pools

export type PoolSharing =
  | { readonly mode: 'none' }
  | { readonly mode: 'time-slicing'; readonly replicasPerGpu: number }
  | { readonly mode: 'mig'; readonly strategy: 'single' | 'mixed'; readonly profile: string };

export interface PoolInput {
  readonly product: string;
  readonly gpusPerNode: number;
  /** Memory of one physical GPU in GiB; optional when the product is in the table. */
  readonly gpuMemoryGiB?: number;
  readonly sharing: PoolSharing;
}

/** What a pool offers a workload, from the table and the sharing mode. */
export interface PoolFacts {
  /** Memory of one physical GPU in bytes. */
  readonly physicalMemoryBytes: number;
  /** Schedulable units per node (GPUs, time-slice shares or MIG slices). */
  readonly unitsPerNode: number;
  /** Memory of one unit in bytes (a slice, a share, a GPU). */
  readonly unitMemoryBytes: number;
  /** Memory the process sees on its device in bytes (the whole GPU under time-slicing). */
  readonly visibleMemoryBytes: number;
  /** Most units one pod may use: 1 under time-slicing and MIG (a process sees one slice). */
  readonly maxUnitsPerPod: number;
  /** MIG instances per physical GPU (MIG only). */
  readonly migInstancesPerGpu?: number;
  /** The extended resource a container requests. */
  readonly resourceName: string;
  /** Value of `nvidia.com/gpu.product` on the pool's nodes, as GFD writes it. */
  readonly productLabel: string;
  /** True when the unit's memory is an estimate (see the header). */
  readonly estimated: boolean;
}

export interface PoolProblem {
  /** Field of the pool (`gpuMemoryGiB`, `sharing.profile`). */
  readonly path: string;
  readonly message: string;
}

/** GFD's label key for the product. */
export const LABEL_GPU_PRODUCT = 'nvidia.com/gpu.product';

const MIG_PROFILE = /^[0-9]+g\.[0-9]+gb$/;

/** Everything wrong with a pool's product, memory and sharing; empty when it can be planned. */
export function poolProblems(p: PoolInput): PoolProblem[] {
  const out: PoolProblem[] = [];
  const facts = gpuProductFacts(p.product);
  if (facts && p.gpuMemoryGiB !== undefined) {
    const table = facts.memoryMiB / 1024;
    if (p.gpuMemoryGiB > table + 0.005 || table - p.gpuMemoryGiB >= 1) {
      out.push({
        path: 'gpuMemoryGiB',
        message: `${p.gpuMemoryGiB} GiB disagrees with ${p.product}: the driver reports ${facts.memoryMiB} MiB = ${gibOf(facts.memoryMiB)} GiB; leave gpuMemoryGiB out (the known figure is used) or give ${gibOf(facts.memoryMiB)}`,
      });
    }
  }
  if (!facts && p.gpuMemoryGiB === undefined) {
    out.push({
      path: 'gpuMemoryGiB',
      message: `${p.product} is not in the GPU table (${Object.keys(GPU_PRODUCTS).join(', ')}): give gpuMemoryGiB, the memory nvidia-smi reports divided by 1024`,
    });
  }
  const s = p.sharing;
  if (s.mode === 'mig') {
    if (!MIG_PROFILE.test(s.profile)) {
      out.push({
        path: 'sharing.profile',
        message: `"${s.profile}" is not a MIG profile; it looks like 3g.40gb`,
      });
    } else if (!facts?.mig) {
      const capable = Object.values(GPU_PRODUCTS)
        .filter((f) => f.mig)
        .map((f) => f.product);
      out.push({
        path: 'sharing.mode',
        message: `${p.product} has no MIG profiles in the GPU table: MIG is planned for ${capable.join(', ')}; use time-slicing or none`,
      });
    } else if (facts.mig[s.profile] === undefined) {
      out.push({
        path: 'sharing.profile',
        message: `"${s.profile}" is not a MIG profile of ${p.product}: use one of ${Object.keys(facts.mig).join(', ')}`,
      });
    }
  }
  return out;
}

/** The pool's facts; call only when `poolProblems` is empty. */
export function poolFacts(p: PoolInput): PoolFacts {
  const facts = gpuProductFacts(p.product);
  const physical = facts ? facts.memoryMiB * MIB : (p.gpuMemoryGiB as number) * GIB_BYTES;
  const s = p.sharing;
  if (s.mode === 'mig') {
    const prof = (facts?.mig as Record<string, MigProfileFacts>)[s.profile];
    return {
      physicalMemoryBytes: physical,
      unitsPerNode: p.gpusPerNode * prof.instances,
      unitMemoryBytes: prof.memoryMiB * MIB,
      visibleMemoryBytes: prof.memoryMiB * MIB,
      maxUnitsPerPod: 1,
      migInstancesPerGpu: prof.instances,
      resourceName: s.strategy === 'mixed' ? `nvidia.com/mig-${s.profile}` : 'nvidia.com/gpu',
      productLabel: s.strategy === 'single' ? `${p.product}-MIG-${s.profile}` : p.product,
      estimated: !prof.measured,
    };
  }
  if (s.mode === 'time-slicing') {
    return {
      physicalMemoryBytes: physical,
      unitsPerNode: p.gpusPerNode * s.replicasPerGpu,
      unitMemoryBytes: physical / s.replicasPerGpu,
      visibleMemoryBytes: physical,
      maxUnitsPerPod: 1,
      resourceName: 'nvidia.com/gpu',
      productLabel: `${p.product}-SHARED`,
      estimated: false,
    };
  }
  return {
    physicalMemoryBytes: physical,
    unitsPerNode: p.gpusPerNode,
    unitMemoryBytes: physical,
    visibleMemoryBytes: physical,
    maxUnitsPerPod: p.gpusPerNode,
    resourceName: 'nvidia.com/gpu',
    productLabel: p.product,
    estimated: false,
  };
}

/** MIG profiles of the product whose one slice holds `bytes` of memory, smallest first. */
export function migProfilesHolding(product: string, bytes: number): string[] {
  const mig = gpuProductFacts(product)?.mig ?? {};
  return Object.entries(mig)
    .filter(([, f]) => f.memoryMiB * MIB >= bytes)
    .sort(([, a], [, b]) => a.memoryMiB - b.memoryMiB || b.instances - a.instances)
    .map(([name]) => name);
}
