/**
 * The capacity judgement of one server on its pool, as pure functions: VllmServer and
 * LlamaCppServer call them when they are built, and `sovereign validate` calls the same
 * functions on the spec without building anything, so both refuse the same specs with the
 * same numbers. No cdktf here.
 */
import {
  type CapacityPlan,
  type CapacityRequest,
  type KvCacheLayout,
  KV_CACHE_BYTES,
  kvBytesPerToken,
  kvLayerTokensPerSequence,
  slidingWindowApplies,
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
import { VLLM_DEFAULT_RELEASE } from '../core/engines/vllm';

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
  /** `nvidia.com/gpu.product` of the pool's GPUs, when known (vLLM's batch defaults read it). */
  readonly product?: string;
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
    product: pool.gpuProduct,
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
  /** The vLLM release the server runs (its KV-cache grouping rule); @default the newest. */
  readonly release?: string;
  /** Flags passed on (`--max-num-batched-tokens`, `--block-size`, `--disable-sliding-window`, …). */
  readonly extraArgs?: readonly string[];
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

/**
 * The value of the last `--name value` / `--name=value` in `args` (argparse keeps the last), `_`
 * read as `-` in a long name as vLLM's parser does; `true` for a flag given without a value.
 */
function flagValue(args: readonly string[], names: readonly string[]): string | true | undefined {
  let found: string | true | undefined;
  args.forEach((arg, i) => {
    const [written, inline] = arg.split(/=(.*)/s, 2);
    const name = written.startsWith('--') ? `--${written.slice(2).replace(/_/g, '-')}` : written;
    if (!names.includes(name)) return;
    const next = args[i + 1];
    found = inline ?? (next !== undefined && !/^-{1,2}[A-Za-z]/.test(next) ? next : true);
  });
  return found;
}

function intFlag(args: readonly string[], names: readonly string[]): number | undefined {
  const v = flagValue(args, names);
  const n = typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * How vLLM keeps the KV cache of a model with sliding-window layers on this pool: its hybrid KV
 * cache manager (capacity.ts vllmHybridLayerTokens), or every layer in full with
 * `--disable-sliding-window` (the model then runs full attention, its context capped at the
 * window: vllm/config/model.py `_get_and_verify_max_len`). The figures it needs:
 * - block size: `--block-size`, else CacheConfig.DEFAULT_BLOCK_SIZE 16 (vllm/config/cache.py at
 *   main 9aaf83ef; the CUDA platform's default 16 at v0.12.0, vllm/platforms/cuda.py 8580919a;
 *   the FlashAttention and FlashInfer backends keep it);
 * - max_num_batched_tokens: `--max-num-batched-tokens`, else EngineArgs.get_batch_defaults for
 *   `vllm serve` (usage context OPENAI_API_SERVER): 8192 on a GPU with at least 70 GiB whose name
 *   does not contain "a100", else 2048; with `--no-enable-chunked-prefill` at least the context;
 *   at most max_num_seqs × context (vllm/engine/arg_utils.py, the same at 8580919a and 9aaf83ef).
 *   The GPU is the memory the process sees (a MIG slice, or the whole GPU under time-slicing).
 * - grouping threshold: 1.25 in v0.12.0, 1.5 from vllm-project/vllm#36684 (2026-03-12, v0.18.0
 *   or later), so 1.5 for v0.33.0 (its own source is not stored; the newest read is main 9aaf83ef
 *   of 2026-05-19).
 */
export function vllmKvLayout(
  input: Pick<VllmPlanInput, 'release' | 'extraArgs' | 'maxModelLenTokens' | 'maxNumSeqs'>,
  pool: GpuPlacement,
): KvCacheLayout {
  const args = input.extraArgs ?? [];
  if (flagValue(args, ['--disable-sliding-window']) !== undefined) return { kind: 'full' };
  const blockSize = intFlag(args, ['--block-size']) ?? 16;
  const release = input.release ?? VLLM_DEFAULT_RELEASE;
  const given = intFlag(args, ['--max-num-batched-tokens']);
  let tokens: number;
  let basis: string;
  if (given !== undefined) {
    tokens = given;
    basis = `--max-num-batched-tokens ${given}`;
  } else {
    const gib = pool.visibleMemoryBytes / GIB;
    const large = gib >= 70 && !/a100/i.test(pool.product ?? pool.mig?.product ?? '');
    tokens = large ? 8192 : 2048;
    const kind = large ? 'a GPU of 70 GiB or more' : gib >= 70 ? 'an A100' : 'a GPU under 70 GiB';
    basis = `vLLM ${release}'s default for ${kind} (${gib.toFixed(1)} GiB)`;
    if (flagValue(args, ['--no-enable-chunked-prefill']) !== undefined) {
      tokens = Math.max(input.maxModelLenTokens, tokens);
      basis += ', raised to the context without chunked prefill';
    }
    if (tokens > input.maxNumSeqs * input.maxModelLenTokens) {
      tokens = input.maxNumSeqs * input.maxModelLenTokens;
      basis += ', capped at max-num-seqs × context';
    }
    basis = `max_num_batched_tokens ${tokens}: ${basis}`;
  }
  return {
    kind: 'vllm-hybrid',
    blockSize,
    maxNumBatchedTokens: tokens,
    groupingThreshold: release === 'v0.12.0' ? 1.25 : 1.5,
    basis,
  };
}

/**
 * How llama-server keeps the KV cache of a model with sliding-window layers (capacity.ts
 * llamaSwaCells): every layer in full with `--swa-full`; else its SWA cache, sized with the
 * micro-batch n_ubatch = min(`-ub`, `-b`), defaults 512 and 2048 (common/common.h
 * `common_params`; src/llama-context.cpp takes n_ubatch = min(n_batch, n_ubatch)).
 */
export function llamaCppKvLayout(extraArgs: readonly string[] = []): KvCacheLayout {
  if (flagValue(extraArgs, ['--swa-full']) !== undefined) return { kind: 'full' };
  const ubatch = intFlag(extraArgs, ['-ub', '--ubatch-size']) ?? 512;
  const batch = intFlag(extraArgs, ['-b', '--batch-size']) ?? 2048;
  return { kind: 'llama-swa', ubatch: Math.min(ubatch, batch) };
}

/** KV-cache bytes of a llama.cpp server: `slots` streams of `contextPerSlot` tokens. */
export function llamaCppKvCacheBytes(
  arch: ModelArchitecture,
  kv: KvCacheFormat,
  contextPerSlot: number,
  slots: number,
  layout: KvCacheLayout,
): number {
  if (!slidingWindowApplies(arch, layout)) return kvBytesPerToken(arch, kv) * contextPerSlot * slots;
  return (
    kvLayerTokensPerSequence(arch, contextPerSlot, layout) *
    slots *
    2 *
    arch.kvHeads *
    arch.headDim *
    KV_CACHE_BYTES[kv]
  );
}

/** What the capacity planner is asked for a vLLM server at a tensor-parallel size. */
export function vllmCapacityRequest(
  input: VllmPlanInput,
  tensorParallelSize: number | undefined,
  pool: GpuPlacement,
): CapacityRequest {
  return {
    arch: input.arch,
    weightBytes: input.weightBytes,
    kvCache: input.kvCache,
    maxModelLenTokens: input.maxModelLenTokens,
    concurrentSequences: input.maxNumSeqs,
    gpuMemoryUtilization: input.gpuMemoryUtilization,
    tensorParallelSize,
    ...(input.arch.slidingWindow ? { kvLayout: vllmKvLayout(input, pool) } : {}),
  };
}

/** The plan of a vLLM server on a GPU pool, or a CAPACITY error with the numbers. */
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
  const req = vllmCapacityRequest(input, input.tensorParallelSize, pool);
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
  /** How the sliding-window layers are kept (llamaCppKvLayout); @default every layer in full. */
  readonly kvLayout?: KvCacheLayout;
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
          ...(input.kvLayout ? { kvLayout: input.kvLayout } : {}),
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
  out.push(...moeMlaProblems(a), ...slidingWindowProblems(a));
  if (!(a.nativeFormat in WEIGHT_FORMAT_BYTES)) {
    out.push({
      path: 'architecture.dtype',
      message: `"${String(a.nativeFormat)}" is not a weight format: use ${Object.keys(WEIGHT_FORMAT_BYTES).join(', ')}`,
    });
  }
  return out;
}

/**
 * Problems with the sliding-window numbers: whole and positive, no more sliding layers than
 * layers, and not with MLA (vLLM: "MLA is not supported for slidingwindow", the assertion in the
 * attention layer's get_kv_cache_spec, at 8580919a and 9aaf83ef).
 */
function slidingWindowProblems(a: ModelArchitecture): Problem[] {
  const sw = a.slidingWindow;
  if (!sw) return [];
  const out: Problem[] = [];
  for (const k of ['layers', 'window'] as const) {
    const p = checkPositiveInt(`architecture.slidingWindow.${k}`, sw[k]);
    if (p) out.push(p);
  }
  if (out.length > 0) return out;
  if (sw.layers > a.layers) {
    out.push({
      path: 'architecture.slidingWindow.layers',
      message: `${sw.layers} sliding-window layers is more than the model's ${a.layers} layers (count the "sliding_attention" entries of layer_types)`,
    });
  }
  if (a.mla) {
    out.push({
      path: 'architecture.slidingWindow',
      message:
        'sliding-window layers with MLA: vLLM supports no sliding window on an MLA cache; give one or the other',
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
