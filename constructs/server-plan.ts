/**
 * The capacity judgement of one server on its pool, as pure functions: VllmServer and
 * LlamaCppServer call them when they are built, and `sovereign validate` calls the same
 * functions on the spec without building anything, so both refuse the same specs with the
 * same numbers. No cdktf here.
 */
import {
  type CapacityPlan,
  type CapacityRequest,
  routedExpertParameters,
  type KvCacheFormat,
  type ModelArchitecture,
  GGUF_BITS_PER_WEIGHT,
  GIB,
  WEIGHT_FORMAT_BYTES,
  formatGiB,
  formatTokens,
  planCapacity,
} from './capacity';
import { type Problem, capacityExceeded, isSovereignError } from '../core/errors';
import { checkPositiveInt } from './private/validate';
import { migProfilesHolding } from './gpu-products';

/** What a server needs to know of the GPU pool it is placed on. */
export interface GpuPlacement {
  readonly poolName: string;
  /** Schedulable units per node (GPUs, time-slice shares, MIG slices). */
  readonly unitsPerNode: number;
  /** Memory of one unit in bytes. */
  readonly unitMemoryBytes: number;
  /** Memory the process sees on its device, in bytes (the whole GPU under time-slicing). */
  readonly visibleMemoryBytes: number;
  /** Most units one pod may use (1 under time-slicing and MIG). */
  readonly maxUnitsPerPod: number;
  readonly nodeCount: number;
  readonly resourceName: string;
  /** Set on a MIG pool: the physical product and the profile of its slices. */
  readonly mig?: { readonly product: string; readonly profile: string };
}

/** The placement facts of any IGpuPool (GpuNodePool or one a user brings). */
export function gpuPlacementOf(pool: {
  readonly poolName: string;
  readonly gpusPerNode: number;
  readonly gpuMemoryGiB: number;
  readonly visibleGpuMemoryGiB?: number;
  readonly maxGpusPerPod?: number;
  readonly nodeCount: number;
  readonly resourceName: string;
  readonly gpuProduct: string;
  readonly migProfile?: string;
}): GpuPlacement {
  return {
    poolName: pool.poolName,
    unitsPerNode: pool.gpusPerNode,
    unitMemoryBytes: pool.gpuMemoryGiB * GIB,
    visibleMemoryBytes: (pool.visibleGpuMemoryGiB ?? pool.gpuMemoryGiB) * GIB,
    maxUnitsPerPod: Math.min(pool.gpusPerNode, pool.maxGpusPerPod ?? pool.gpusPerNode),
    nodeCount: pool.nodeCount,
    resourceName: pool.resourceName,
    ...(pool.migProfile ? { mig: { product: pool.gpuProduct, profile: pool.migProfile } } : {}),
  };
}

export interface VllmPlanInput {
  readonly arch: ModelArchitecture;
  /** Bytes of the weights vLLM loads. */
  readonly weightBytes: number;
  readonly kvCache: KvCacheFormat;
  readonly maxModelLenTokens: number;
  readonly maxNumSeqs: number;
  readonly gpuMemoryUtilization: number;
  readonly tensorParallelSize?: number;
  /** Most replicas at once (replicas, or the autoscaler's maximum). */
  readonly peakReplicas: number;
  /** The prop the replica count came from, for the message. */
  readonly replicasPath: string;
}

export interface VllmServerPlan {
  readonly capacity: CapacityPlan;
  readonly tensorParallelSize: number;
  /** `--gpu-memory-utilization` as emitted: a fraction of the memory the process sees. */
  readonly utilizationFlag: string;
}

/**
 * vLLM's `--gpu-memory-utilization` is a fraction of the memory its device shows. Under
 * time-slicing that is the whole GPU, so the share's budget is scaled down to it; the fraction
 * is written with two decimals, rounded down, and the planner budgets exactly what that gives.
 */
export function vllmUtilizationFlag(util: number, placement: GpuPlacement): number {
  return Math.floor((util * placement.unitMemoryBytes * 100) / placement.visibleMemoryBytes + 1e-9) / 100;
}

/** The plan of a vLLM server on a GPU pool, or a CAPACITY error with the numbers. */
/** What the capacity planner is asked for a vLLM server at a tensor-parallel size. */
export function vllmCapacityRequest(
  input: VllmPlanInput,
  tensorParallelSize: number | undefined,
): CapacityRequest {
  return {
    arch: input.arch,
    weightBytes: input.weightBytes,
    kvCache: input.kvCache,
    maxModelLenTokens: input.maxModelLenTokens,
    concurrentSequences: input.maxNumSeqs,
    gpuMemoryUtilization: input.gpuMemoryUtilization,
    tensorParallelSize,
  };
}

export function planVllmServer(input: VllmPlanInput, pool: GpuPlacement): VllmServerPlan {
  const name = input.arch.name;
  if (pool.mig && input.tensorParallelSize !== undefined && input.tensorParallelSize !== 1) {
    throw capacityExceeded(
      name,
      'tensorParallelSize',
      `pool ${pool.poolName} is partitioned into MIG ${pool.mig.profile} slices and a CUDA process sees one MIG slice only, so a pod uses one slice: tensor-parallel size ${input.tensorParallelSize} cannot work; leave tensorParallelSize out or set 1`,
    );
  }
  const flag = vllmUtilizationFlag(input.gpuMemoryUtilization, pool);
  if (flag <= 0) {
    throw capacityExceeded(
      name,
      'gpuMemoryUtilization',
      `gpuMemoryUtilization ${input.gpuMemoryUtilization} of a ${formatGiB(pool.unitMemoryBytes)} share is less than 0.01 of the ${formatGiB(pool.visibleMemoryBytes)} vLLM sees`,
    );
  }
  const req = vllmCapacityRequest(input, input.tensorParallelSize);
  const capacity = withMigAdvice(name, pool, input.gpuMemoryUtilization, () =>
    planCapacity(req, {
      poolName: pool.poolName,
      // Tensor parallelism spans the units of one pod.
      gpusPerNode: pool.maxUnitsPerPod,
      gpuMemoryGiB: pool.unitMemoryBytes / GIB,
      usableBytesPerGpu: flag * pool.visibleMemoryBytes,
    }),
  );
  const tp = capacity.tensorParallelSize;
  checkReplicas(name, input.peakReplicas, input.replicasPath, tp, pool);
  return { capacity, tensorParallelSize: tp, utilizationFlag: flag.toFixed(2) };
}

export interface LlamaCppPlanInput {
  readonly arch: ModelArchitecture;
  readonly ggufType: string;
  readonly weightBytes: number;
  readonly kvCacheBytes: number;
  readonly kvCache: KvCacheFormat;
  readonly contextTokensPerSlot: number;
  readonly parallelSlots: number;
  readonly gpuMemoryUtilization: number;
  readonly peakReplicas: number;
  readonly replicasPath: string;
  /** Memory request as a Kubernetes quantity (`16Gi`), when given. */
  readonly memory?: string;
}

export interface LlamaCppServerPlan {
  /** GPU plan; undefined CPU-only. */
  readonly capacity?: CapacityPlan;
  /** The memory request: the given one, or what the model needs. */
  readonly memory: string;
}

/** The plan of a llama.cpp server: one GPU unit holds every layer, or CPU-only RAM holds all. */
export function planLlamaCppServer(input: LlamaCppPlanInput, pool?: GpuPlacement): LlamaCppServerPlan {
  const name = input.arch.name;
  let capacity: CapacityPlan | undefined;
  if (pool) {
    capacity = withMigAdvice(name, pool, input.gpuMemoryUtilization, () =>
      planCapacity(
        {
          arch: input.arch,
          weightBytes: input.weightBytes,
          kvCache: input.kvCache,
          maxModelLenTokens: input.contextTokensPerSlot,
          concurrentSequences: input.parallelSlots,
          gpuMemoryUtilization: input.gpuMemoryUtilization,
          tensorParallelSize: 1,
        },
        { poolName: pool.poolName, gpusPerNode: pool.unitsPerNode, gpuMemoryGiB: pool.unitMemoryBytes / GIB },
      ),
    );
    checkReplicas(name, input.peakReplicas, input.replicasPath, 1, pool);
  }
  // Host memory: the model is memory-mapped from the volume and, CPU-only, the KV cache and
  // compute buffers live in RAM too; 1 GiB covers the server and compute buffers.
  const needBytes = pool ? 4 * GIB : input.weightBytes + input.kvCacheBytes + GIB;
  const memory = input.memory ?? `${Math.ceil(needBytes / GIB)}Gi`;
  if (!pool && input.memory !== undefined) {
    const m = /^([0-9]+)(Ki|Mi|Gi|Ti)$/.exec(input.memory);
    const unit = { Ki: 1024, Mi: 1024 ** 2, Gi: GIB, Ti: 1024 ** 4 } as const;
    const have = m ? Number(m[1]) * unit[m[2] as keyof typeof unit] : 0;
    if (have < needBytes) {
      throw capacityExceeded(
        name,
        'memory',
        `${name} (${input.ggufType}) needs ${formatGiB(input.weightBytes)} of weights + ${formatGiB(input.kvCacheBytes)} of KV cache for ${input.parallelSlots} × ${formatTokens(input.contextTokensPerSlot)} tokens + 1.0 GiB of buffers = ${formatGiB(needBytes)} of RAM; memory ${input.memory} is ${formatGiB(have)}`,
      );
    }
  }
  return { capacity, memory };
}

/** Every replica's units on one node, all replicas across the pool's nodes. */
function checkReplicas(name: string, peak: number, path: string, units: number, pool: GpuPlacement): void {
  const podsPerNode = Math.floor(pool.unitsPerNode / units);
  if (peak > podsPerNode * pool.nodeCount) {
    throw capacityExceeded(
      name,
      path,
      `${peak} replica${peak === 1 ? '' : 's'} × ${units} GPU${units === 1 ? '' : 's'} need ${peak} × ${units} ${pool.resourceName} on nodes with ${units} free; pool ${pool.poolName} has ${pool.nodeCount} node${pool.nodeCount === 1 ? '' : 's'} × ${pool.unitsPerNode} GPUs, room for ${podsPerNode * pool.nodeCount}`,
    );
  }
}

/** On a MIG pool a model that does not fit one slice is refused naming the profiles that hold it. */
function withMigAdvice(
  name: string,
  pool: GpuPlacement,
  util: number,
  plan: () => CapacityPlan,
): CapacityPlan {
  if (!pool.mig) return plan();
  try {
    return plan();
  } catch (e) {
    if (!isSovereignError(e) || e.code !== 'CAPACITY' || e.problems[0]?.path === 'tensorParallelSize')
      throw e;
    const p = e.problems[0];
    // What one slice must hold: the same figure the shortfall states, before the utilisation.
    const need = /each GPU would need ([0-9.]+) GiB/.exec(p.message);
    const bytes = need ? (Number(need[1]) * GIB) / util : Infinity;
    const fits = migProfilesHolding(pool.mig.product, bytes);
    throw capacityExceeded(
      name,
      p.path,
      `${p.message.replace(/\. Use a pool with more or larger GPUs.*$/, '')}. A MIG pool serves a model from one slice per pod (a CUDA process sees one slice); ${
        fits.length > 0
          ? `MIG profile${fits.length === 1 ? '' : 's'} of ${pool.mig.product} that hold${fits.length === 1 ? 's' : ''} it: ${fits.join(', ')}`
          : `no MIG profile of ${pool.mig.product} holds it: use whole GPUs (sharing none) with tensor parallelism`
      }; or a quantized format, a shorter context or fewer concurrent sequences`,
    );
  }
}

/** The GGUF type named in a file name (`…-Q4_K_M.gguf` → `Q4_K_M`), if any. */
export function ggufTypeFromFileName(fileName: string): string | undefined {
  const upper = fileName.toUpperCase();
  const known = Object.keys(GGUF_BITS_PER_WEIGHT).sort((a, b) => b.length - a.length);
  return known.find((k) => new RegExp(`(^|[^A-Z0-9])${k}([^A-Z0-9_]|$)`).test(upper));
}

/** Problems with architecture numbers (whole, positive; KV heads divide attention heads). */
export function architectureProblems(a: ModelArchitecture): Problem[] {
  const out: Problem[] = [];
  for (const k of [
    'parameters',
    'layers',
    'attentionHeads',
    'kvHeads',
    'headDim',
    'maxContextTokens',
  ] as const) {
    const p = checkPositiveInt(`architecture.${k}`, a[k]);
    if (p) out.push(p);
  }
  if (a.kvHeads > a.attentionHeads || a.attentionHeads % a.kvHeads !== 0) {
    out.push({
      path: 'architecture.kvHeads',
      message: `${a.kvHeads} must divide attentionHeads (${a.attentionHeads})`,
    });
  }
  out.push(...moeMlaProblems(a));
  if (!(a.nativeFormat in WEIGHT_FORMAT_BYTES)) {
    out.push({
      path: 'architecture.dtype',
      message: `"${String(a.nativeFormat)}" is not a weight format: use ${Object.keys(WEIGHT_FORMAT_BYTES).join(', ')}`,
    });
  }
  return out;
}

/**
 * Problems with the MoE, MLA and size numbers: whole and positive, experts per token ≤ experts,
 * MoE layers ≤ layers, routed-expert parameters ≤ parameters, and what an MXFP4 checkpoint
 * needs to be sized (its experts and the hidden and vocabulary sizes).
 */
function moeMlaProblems(a: ModelArchitecture): Problem[] {
  const out: Problem[] = [];
  for (const k of ['hiddenSize', 'vocabSize'] as const) {
    if (a[k] === undefined) continue;
    const p = checkPositiveInt(`architecture.${k}`, a[k]);
    if (p) out.push(p);
  }
  if (a.mla) {
    for (const k of ['kvLoraRank', 'qkRopeHeadDim'] as const) {
      const p = checkPositiveInt(`architecture.mla.${k}`, a.mla[k]);
      if (p) out.push(p);
    }
  }
  const m = a.moe;
  if (m) {
    const before = out.length;
    for (const k of ['experts', 'expertsPerToken', 'moeLayers', 'expertIntermediateSize'] as const) {
      const p = checkPositiveInt(`architecture.moe.${k}`, m[k]);
      if (p) out.push(p);
    }
    if (!Number.isInteger(m.sharedExperts) || m.sharedExperts < 0) {
      out.push({
        path: 'architecture.moe.sharedExperts',
        message: `${m.sharedExperts} must be a whole number ≥ 0`,
      });
    }
    if (out.length > before) return out;
    if (a.hiddenSize === undefined) {
      out.push({
        path: 'architecture.hiddenSize',
        message: 'a MoE model needs hiddenSize (hidden_size from config.json) to count its expert parameters',
      });
    }
    if (m.expertsPerToken > m.experts) {
      out.push({
        path: 'architecture.moe.expertsPerToken',
        message: `${m.expertsPerToken} experts per token is more than the ${m.experts} experts (num_experts_per_tok ≤ n_routed_experts)`,
      });
    }
    if (m.moeLayers > a.layers) {
      out.push({
        path: 'architecture.moe.moeLayers',
        message: `${m.moeLayers} MoE layers is more than the model's ${a.layers} layers`,
      });
    }
    const routed = routedExpertParameters(a);
    if (routed > a.parameters) {
      out.push({
        path: 'architecture.moe',
        message: `the routed experts alone hold ${m.moeLayers} layers × ${m.experts} experts × 3 × ${a.hiddenSize} × ${m.expertIntermediateSize} = ${(routed / 1e9).toFixed(2)}B parameters, more than the ${(a.parameters / 1e9).toFixed(2)}B total: the active parameters would be negative; check the numbers against config.json`,
      });
    }
  }
  if (a.nativeFormat === 'mxfp4' && (!m || a.hiddenSize === undefined || a.vocabSize === undefined)) {
    out.push({
      path: 'architecture.dtype',
      message:
        'an MXFP4 checkpoint quantizes only the MoE expert weights: give moe, hiddenSize and vocabSize so the planner can size it',
    });
  }
  return out;
}
