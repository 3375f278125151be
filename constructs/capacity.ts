/**
 * Capacity planner: pure functions that say whether a model fits a GPU pool and choose the
 * tensor-parallel size. No cdktf, no I/O: the same inputs always give the same plan, so a
 * synth can fail early with numbers a platform engineer can check by hand.
 *
 * The model (all sizes in bytes; GiB = 2^30 bytes, as GPU memory is sold):
 *
 *   weights      = parameters × bytes-per-parameter × format overhead      (whole model)
 *   KV per token = 2 (K and V) × layers × KV heads × head dim × KV bytes   (whole model)
 *   per GPU      = weights / TP + KV per token(TP) × maxModelLen × sequences + runtime reserve
 *   fits when      per GPU ≤ GPU memory × utilisation
 *
 * With tensor parallelism KV heads are split across GPUs; when TP exceeds the KV-head count
 * each GPU keeps a replica of one KV head (as vLLM does), so the per-GPU KV cost is
 * ceil(kvHeads / TP) heads, never less than one.
 */
import { capacityExceeded } from '../core/errors';

export const GIB = 1024 ** 3;

/** Storage format of the weights a server loads. */
export type WeightFormat = 'fp32' | 'bf16' | 'fp16' | 'fp8' | 'int8' | 'int4' | 'awq' | 'gptq';

/** Element type of the KV cache. `auto` follows the weights' activation dtype (16-bit). */
export type KvCacheFormat = 'auto' | 'fp32' | 'bf16' | 'fp16' | 'fp8' | 'q8_0' | 'q4_0';

/**
 * Bytes per parameter of each weight format, and the overhead we add on top for what a
 * quantized checkpoint keeps at higher precision.
 *
 * - 16/32-bit: exact.
 * - 8-bit (fp8, int8): 1 byte plus 5 % for per-channel/per-tensor scales and the embedding and
 *   output layers that fp8/int8 checkpoints usually keep in 16-bit.
 * - 4-bit (int4, AWQ, GPTQ): 0.5 byte plus 10 % for group-wise (group 128) scales and zero
 *   points (~0.25 bit per weight) and the 16-bit embedding and output layers.
 */
export const WEIGHT_FORMAT_BYTES: Readonly<
  Record<WeightFormat, { bytesPerParam: number; overhead: number }>
> = {
  fp32: { bytesPerParam: 4, overhead: 1 },
  bf16: { bytesPerParam: 2, overhead: 1 },
  fp16: { bytesPerParam: 2, overhead: 1 },
  fp8: { bytesPerParam: 1, overhead: 1.05 },
  int8: { bytesPerParam: 1, overhead: 1.05 },
  int4: { bytesPerParam: 0.5, overhead: 1.1 },
  awq: { bytesPerParam: 0.5, overhead: 1.1 },
  gptq: { bytesPerParam: 0.5, overhead: 1.1 },
};

/**
 * Bytes per KV-cache element. q8_0 / q4_0 are llama.cpp's quantized cache types (`-ctk`/`-ctv`):
 * 34 bytes per 32 values and 18 bytes per 32 values (ggml block_q8_0 / block_q4_0).
 */
export const KV_CACHE_BYTES: Readonly<Record<KvCacheFormat, number>> = {
  auto: 2,
  fp32: 4,
  bf16: 2,
  fp16: 2,
  fp8: 1,
  q8_0: 34 / 32,
  q4_0: 18 / 32,
};

/**
 * Effective bits per weight of llama.cpp GGUF quantization types, for the whole file (the
 * token-embedding and output tensors that k-quant mixes keep at higher precision included).
 *
 * Source: ggml-org/llama.cpp `tools/quantize/quantize.cpp`, `QUANT_OPTIONS` (present at b9174):
 * where a type is described by its file size for Llama-3-8B ("4.58G … @ Llama-3-8B"; G = GiB),
 * bpw = size × 2^30 × 8 / 8,030,261,248 parameters (Llama-3-8B), rounded to two decimals; where it
 * is described in bpw ("4.25 bpw"), that value. F16/BF16 are 16 bits exactly.
 */
export const GGUF_BITS_PER_WEIGHT: Readonly<Record<string, number>> = {
  Q2_K: 3.17, // 2.96G
  Q3_K_S: 3.65, // 3.41G
  Q3_K_M: 4.0, // 3.74G
  Q3_K_L: 4.31, // 4.03G
  IQ3_XXS: 3.06,
  IQ3_S: 3.44,
  IQ3_M: 3.66,
  IQ4_XS: 4.25,
  IQ4_NL: 4.5,
  Q4_0: 4.64, // 4.34G
  Q4_1: 5.11, // 4.78G
  Q4_K_S: 4.67, // 4.37G
  Q4_K_M: 4.9, // 4.58G
  Q5_0: 5.57, // 5.21G
  Q5_1: 6.04, // 5.65G
  Q5_K_S: 5.57, // 5.21G
  Q5_K_M: 5.7, // 5.33G
  Q6_K: 6.57, // 6.14G
  Q8_0: 8.51, // 7.96G
  F16: 16,
  BF16: 16,
};

/**
 * Memory every GPU keeps outside weights and KV cache: CUDA context, cuBLAS/NCCL workspaces,
 * CUDA graphs and the activation peak of one prefill batch. 2 GiB is a deliberately round,
 * stated reserve (vLLM profiles it at start-up; a 7–70B model at the default batch size lands
 * between 1 and 2 GiB per GPU).
 */
export const RUNTIME_RESERVE_GIB_PER_GPU = 2;

/** The numbers of a model architecture the planner needs. Catalogue entries cite config.json. */
export interface ModelArchitecture {
  /** Short id (`llama-3.1-70b`); used in messages. */
  readonly name: string;
  /** Total parameters (all experts for MoE). */
  readonly parameters: number;
  /** `num_hidden_layers`. */
  readonly layers: number;
  /** `num_attention_heads`. */
  readonly attentionHeads: number;
  /** `num_key_value_heads` (equal to attentionHeads without GQA). */
  readonly kvHeads: number;
  /** `head_dim`, or hidden_size / num_attention_heads. */
  readonly headDim: number;
  /** `max_position_embeddings`: the longest context the model was built for. */
  readonly maxContextTokens: number;
  /** Storage format of the published weights (`torch_dtype`, or the checkpoint's quantization). */
  readonly nativeFormat: WeightFormat;
  /** Where each number comes from (the config.json URL at a revision, a model card). */
  readonly source?: string;
}

/** Bytes of the weights in `format`. */
export function weightBytes(arch: Pick<ModelArchitecture, 'parameters'>, format: WeightFormat): number {
  const f = WEIGHT_FORMAT_BYTES[format];
  return arch.parameters * f.bytesPerParam * f.overhead;
}

/** Bytes of a GGUF file of `arch` quantized as `quant` (a key of GGUF_BITS_PER_WEIGHT). */
export function ggufWeightBytes(arch: Pick<ModelArchitecture, 'parameters'>, quant: string): number {
  const bpw = GGUF_BITS_PER_WEIGHT[quant.toUpperCase()];
  if (bpw === undefined) {
    throw new RangeError(
      `unknown GGUF quantization "${quant}"; known: ${Object.keys(GGUF_BITS_PER_WEIGHT).join(', ')}`,
    );
  }
  return (arch.parameters * bpw) / 8;
}

/** KV-cache bytes for one token across the whole model (all layers, all KV heads). */
export function kvBytesPerToken(
  arch: Pick<ModelArchitecture, 'layers' | 'kvHeads' | 'headDim'>,
  kv: KvCacheFormat = 'auto',
): number {
  return 2 * arch.layers * arch.kvHeads * arch.headDim * KV_CACHE_BYTES[kv];
}

/** KV-cache bytes for one token on one GPU at tensor-parallel size `tp`. */
export function kvBytesPerTokenPerGpu(
  arch: Pick<ModelArchitecture, 'layers' | 'kvHeads' | 'headDim'>,
  tp: number,
  kv: KvCacheFormat = 'auto',
): number {
  const headsPerGpu = Math.max(1, Math.ceil(arch.kvHeads / tp));
  return 2 * arch.layers * headsPerGpu * arch.headDim * KV_CACHE_BYTES[kv];
}

/**
 * Tensor-parallel sizes a model can use, ascending: TP divides the attention heads, and the
 * KV heads either divide evenly across GPUs or are replicated (TP a multiple of kvHeads).
 */
export function validTensorParallelSizes(
  arch: Pick<ModelArchitecture, 'attentionHeads' | 'kvHeads'>,
  maxTp: number,
): number[] {
  const out: number[] = [];
  for (let tp = 1; tp <= maxTp; tp++) {
    if (arch.attentionHeads % tp !== 0) continue;
    if (arch.kvHeads % tp !== 0 && tp % arch.kvHeads !== 0) continue;
    out.push(tp);
  }
  return out;
}

/** What a pool offers one server, per node. */
export interface PoolCapacity {
  readonly poolName: string;
  readonly gpusPerNode: number;
  readonly gpuMemoryGiB: number;
  /**
   * Bytes the engine may fill on each GPU, when it is not `gpuMemoryGiB × utilisation`: vLLM
   * rounds its fraction down to two decimals of the memory it sees (see planVllmServer).
   */
  readonly usableBytesPerGpu?: number;
}

export interface CapacityRequest {
  readonly arch: ModelArchitecture;
  /** Bytes of weights the server loads (from weightBytes or ggufWeightBytes). */
  readonly weightBytes: number;
  readonly kvCache?: KvCacheFormat;
  /** Longest sequence (prompt + output) in tokens. */
  readonly maxModelLenTokens: number;
  /** Sequences that must fit at full length at once. */
  readonly concurrentSequences: number;
  /** Fraction of each GPU's memory the engine may use (vLLM --gpu-memory-utilization). */
  readonly gpuMemoryUtilization: number;
  /** Fixed TP; when unset the smallest one that fits is chosen. */
  readonly tensorParallelSize?: number;
  /** @default RUNTIME_RESERVE_GIB_PER_GPU */
  readonly runtimeReserveGiBPerGpu?: number;
}

/** A plan: how a model is laid out on one node of a pool, with every figure behind it. */
export interface CapacityPlan {
  readonly tensorParallelSize: number;
  readonly weightBytes: number;
  /** KV cache for maxModelLen × sequences, whole model. */
  readonly kvCacheBytes: number;
  readonly kvBytesPerToken: number;
  readonly weightBytesPerGpu: number;
  readonly kvCacheBytesPerGpu: number;
  readonly runtimeReserveBytesPerGpu: number;
  readonly requiredBytesPerGpu: number;
  /** GPU memory × utilisation. */
  readonly usableBytesPerGpu: number;
  readonly fits: boolean;
}

/** The plan at one given TP (fits or not). */
export function planAt(req: CapacityRequest, pool: PoolCapacity, tp: number): CapacityPlan {
  const kvCache = req.kvCache ?? 'auto';
  const tokens = req.maxModelLenTokens * req.concurrentSequences;
  const reserve = (req.runtimeReserveGiBPerGpu ?? RUNTIME_RESERVE_GIB_PER_GPU) * GIB;
  const weightBytesPerGpu = req.weightBytes / tp;
  const kvCacheBytesPerGpu = kvBytesPerTokenPerGpu(req.arch, tp, kvCache) * tokens;
  const requiredBytesPerGpu = weightBytesPerGpu + kvCacheBytesPerGpu + reserve;
  const usableBytesPerGpu = pool.usableBytesPerGpu ?? pool.gpuMemoryGiB * GIB * req.gpuMemoryUtilization;
  return {
    tensorParallelSize: tp,
    weightBytes: req.weightBytes,
    kvCacheBytes: kvBytesPerToken(req.arch, kvCache) * tokens,
    kvBytesPerToken: kvBytesPerToken(req.arch, kvCache),
    weightBytesPerGpu,
    kvCacheBytesPerGpu,
    runtimeReserveBytesPerGpu: reserve,
    requiredBytesPerGpu,
    usableBytesPerGpu,
    fits: requiredBytesPerGpu <= usableBytesPerGpu,
  };
}

/** `12.3 GiB` */
export function formatGiB(bytes: number): string {
  return `${(bytes / GIB).toFixed(1)} GiB`;
}

/** `32k` for 32768, else the number. */
export function formatTokens(n: number): string {
  return n % 1024 === 0 ? `${n / 1024}k` : String(n);
}

/** The sentence a failed plan is reported with: what the model needs, what the pool offers. */
export function describeShortfall(req: CapacityRequest, pool: PoolCapacity, plan: CapacityPlan): string {
  const util = req.gpuMemoryUtilization.toFixed(2);
  const tp = plan.tensorParallelSize;
  const offered = pool.gpusPerNode * plan.usableBytesPerGpu;
  return (
    `${req.arch.name} needs ${formatGiB(plan.weightBytes)} of weights + ${formatGiB(plan.kvCacheBytes)} of KV cache ` +
    `for ${req.concurrentSequences} × ${formatTokens(req.maxModelLenTokens)} tokens ` +
    `(+ ${formatGiB(plan.runtimeReserveBytesPerGpu)} runtime reserve per GPU); ` +
    `pool ${pool.poolName} offers ${pool.gpusPerNode} GPU${pool.gpusPerNode === 1 ? '' : 's'} × ${Number.isInteger(pool.gpuMemoryGiB) ? pool.gpuMemoryGiB : pool.gpuMemoryGiB.toFixed(2)} GiB × ${util} = ${formatGiB(offered)} per node; ` +
    `at tensor-parallel size ${tp} each GPU would need ${formatGiB(plan.requiredBytesPerGpu)} of ${formatGiB(plan.usableBytesPerGpu)}. ` +
    `Use a pool with more or larger GPUs, a quantized format, a shorter context or fewer concurrent sequences`
  );
}

/**
 * Chooses the smallest tensor-parallel size (dividing the heads, ≤ GPUs per node) at which the
 * model fits, or checks a fixed one. Throws a CAPACITY SovereignError with the numbers when
 * nothing fits; `path` names the prop the error points at.
 */
export function planCapacity(req: CapacityRequest, pool: PoolCapacity, path = 'pool'): CapacityPlan {
  if (req.tensorParallelSize !== undefined) {
    const tp = req.tensorParallelSize;
    const valid = validTensorParallelSizes(req.arch, tp);
    if (tp > pool.gpusPerNode) {
      throw capacityExceeded(
        req.arch.name,
        'tensorParallelSize',
        `tensor-parallel size ${tp} needs ${tp} GPUs on one node; pool ${pool.poolName} has ${pool.gpusPerNode} GPU${pool.gpusPerNode === 1 ? '' : 's'} per node${fittingSize(req, pool)}`,
      );
    }
    if (!valid.includes(tp)) {
      throw capacityExceeded(
        req.arch.name,
        'tensorParallelSize',
        `tensor-parallel size ${tp} does not divide ${req.arch.name}'s ${req.arch.attentionHeads} attention heads / ${req.arch.kvHeads} KV heads; allowed up to ${pool.gpusPerNode} GPUs: ${validTensorParallelSizes(req.arch, pool.gpusPerNode).join(', ')}${fittingSize(req, pool)}`,
      );
    }
    const plan = planAt(req, pool, tp);
    if (!plan.fits)
      throw capacityExceeded(
        req.arch.name,
        'tensorParallelSize',
        `${describeShortfall(req, pool, plan)}${fittingSize(req, pool)}`,
      );
    return plan;
  }
  const sizes = validTensorParallelSizes(req.arch, pool.gpusPerNode);
  if (sizes.length === 0) {
    throw capacityExceeded(req.arch.name, path, `pool ${pool.poolName} has no GPUs per node`);
  }
  for (const tp of sizes) {
    const plan = planAt(req, pool, tp);
    if (plan.fits) return plan;
  }
  const best = planAt(req, pool, sizes[sizes.length - 1]);
  throw capacityExceeded(req.arch.name, path, describeShortfall(req, pool, best));
}

/** `; tensorParallelSize 4 fits: set it, or leave tensorParallelSize out` when some size fits. */
function fittingSize(req: CapacityRequest, pool: PoolCapacity): string {
  const fit = validTensorParallelSizes(req.arch, pool.gpusPerNode).find((tp) => planAt(req, pool, tp).fits);
  return fit === undefined
    ? '; no tensor-parallel size fits this pool'
    : `; tensorParallelSize ${fit} fits: set it, or leave tensorParallelSize out to have the smallest that fits chosen`;
}

/** What one model asks of a pool: `replicas` pods of `gpusPerReplica` GPUs, each on one node. */
export interface PoolDemand {
  readonly model: string;
  readonly gpusPerReplica: number;
  readonly replicas: number;
}

/**
 * Whether every replica of every model fits the pool's nodes at once: first-fit decreasing of
 * replicas (a replica's GPUs are on one node) into `nodeCount` nodes of `gpusPerNode`. Returns
 * the models whose replicas did not fit, and how many, or an empty list.
 */
export function packReplicas(
  nodeCount: number,
  gpusPerNode: number,
  demands: readonly PoolDemand[],
): { model: string; unplaced: number }[] {
  const free = Array.from({ length: nodeCount }, () => gpusPerNode);
  const replicas = demands
    .flatMap((d) => Array.from({ length: d.replicas }, () => d))
    .filter((d) => d.gpusPerReplica > 0)
    .sort(
      (a, b) => b.gpusPerReplica - a.gpusPerReplica || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0),
    );
  const unplaced = new Map<string, number>();
  for (const r of replicas) {
    const node = free.findIndex((f) => f >= r.gpusPerReplica);
    if (node >= 0) free[node] -= r.gpusPerReplica;
    else unplaced.set(r.model, (unplaced.get(r.model) ?? 0) + 1);
  }
  return [...unplaced.entries()].map(([model, n]) => ({ model, unplaced: n }));
}
