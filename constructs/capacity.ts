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
 *
 * Mixture of experts: `parameters` counts every expert (all are resident in GPU memory, only
 * `expertsPerToken` of them compute for a token); the active parameter count is derived. With
 * more than one GPU, vLLM can place whole experts on GPUs (expert parallel) instead of slicing
 * every expert; the weights per GPU are the same either way.
 *
 * Multi-head latent attention (DeepSeek-V2/V3, Kimi K2): the cache holds one compressed latent
 * of kv_lora_rank + qk_rope_head_dim elements per layer and token, with no separate K and V:
 *   MLA KV per token = layers × (kv_lora_rank + qk_rope_head_dim) × KV bytes
 * vLLM treats the MLA cache as a single KV head (vllm/config/model.py `get_num_kv_heads`:
 * "When using MLA during decode it becomes MQA", returns 1 whatever the tensor-parallel size;
 * vllm-project/vllm @ 18ec6629), so every tensor-parallel rank holds the whole latent cache:
 * it is replicated, not split, and the per-GPU KV figure does not shrink with TP.
 *
 * Sliding-window layers (Gemma 2/3, gpt-oss): a layer that attends to the last `window` tokens
 * only needs no cache beyond them, if the engine drops it. How much each engine keeps is a
 * KvCacheLayout (kvCacheTokensPerSequence below):
 *   full         every layer × context (no per-layer window: the upper bound)
 *   window       full layers × context + sliding layers × min(window, context) (the ideal)
 *   vllm-hybrid  what vLLM's hybrid KV cache manager reserves per request (see vllmHybridLayerTokens)
 *   llama-swa    what llama.cpp's SWA cache allocates per slot (see llamaSwaLayerTokens)
 */
import { capacityExceeded } from '../core/errors';

export const GIB = 1024 ** 3;

/** Storage format of the weights a server loads. */
export type WeightFormat = 'fp32' | 'bf16' | 'fp16' | 'fp8' | 'int8' | 'int4' | 'awq' | 'gptq' | 'mxfp4';

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
  mxfp4: { bytesPerParam: 17 / 32, overhead: 1.1 },
};

/**
 * Exact bytes per quantized parameter, scales and zero points included, and which tensors a
 * checkpoint of the format quantizes. Used when the architecture gives `hiddenSize` and
 * `vocabSize` (so the tensors kept in 16-bit can be counted); otherwise the rounder
 * WEIGHT_FORMAT_BYTES × overhead applies.
 *
 * - fp8 (block-wise, as DeepSeek-V3 ships it): one e4m3 byte per weight and one float32
 *   `weight_scale_inv` per 128 × 128 block: 1 + 4 / 16384. Source: deepseek-ai/DeepSeek-V3
 *   README_WEIGHTS.md ("FP8 Weight Documentation", `weight_block_size` [128, 128]) @ 9b4e978.
 *   Per-tensor fp8 (vLLM `--quantization fp8` on a 16-bit checkpoint) is smaller still.
 * - int8 (w8a8, compressed-tensors): one byte; the per-channel scale (4 bytes per output row)
 *   is below 0.1 % for any hidden size ≥ 4096 and is not counted.
 * - int4 / AWQ / GPTQ: two 4-bit values per byte, and per group of 128 input values one fp16
 *   scale (2 bytes) and one 4-bit zero point packed eight to an int32 (0.5 byte):
 *   0.5 + 2.5 / 128. (AutoAWQ `qweight`/`qzeros`/`scales`, GPTQ likewise; GPTQ's `g_idx`, one
 *   int32 per input row, is below 0.1 % and not counted.)
 * - mxfp4 (OCP Microscaling v1.0, as gpt-oss ships it): 32 E2M1 values in 16 bytes plus one
 *   E8M0 scale byte per block: 17 / 32 bytes (4.25 bits). Only the MoE expert weights are
 *   MXFP4; "All other tensors will be in BF16" (openai/gpt-oss README.md "Precision format"
 *   @ 7b58334; config.json `quantization_config.modules_to_not_convert` lists attention,
 *   router, embedding and head).
 *
 * `scope`: `linear` = every linear layer except the token embedding and the output head (which
 * stay 16-bit), `experts` = the routed-expert weights only.
 */
export const QUANTIZED_WEIGHT_BYTES: Readonly<
  Partial<Record<WeightFormat, { bytesPerParam: number; scope: 'linear' | 'experts' }>>
> = {
  fp8: { bytesPerParam: 1 + 4 / (128 * 128), scope: 'linear' },
  int8: { bytesPerParam: 1, scope: 'linear' },
  int4: { bytesPerParam: 0.5 + 2.5 / 128, scope: 'linear' },
  awq: { bytesPerParam: 0.5 + 2.5 / 128, scope: 'linear' },
  gptq: { bytesPerParam: 0.5 + 2.5 / 128, scope: 'linear' },
  mxfp4: { bytesPerParam: 17 / 32, scope: 'experts' },
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
  IQ3_XXS: 3.0625, // "3.06 bpw": block_iq3_xxs, 98 B per 256 values, exactly
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
 * Bits per weight of the ggml block each GGUF type stores most tensors in (bytes per block ×
 * 8 / values per block), from the block structs of ggml-org/llama.cpp
 * `ggml/src/ggml-common.h`: block_q4_0 = fp16 d + 16 bytes per 32 values (18 B), q4_1 20 B,
 * q5_0 22 B, q5_1 24 B, q8_0 34 B per 32; k-quants per 256 values (QK_K): q2_K 84 B, q3_K 110 B,
 * q4_K 144 B, q5_K 176 B, q6_K 210 B; iq3_xxs 98 B, iq3_s 110 B, iq4_xs 136 B per 256, iq4_nl
 * 18 B per 32. A file's bits per weight (GGUF_BITS_PER_WEIGHT) are at least its base block's:
 * the _S/_M/_L mixes keep some tensors (output, attn_v, ffn_down in part of the layers) in a
 * larger type (llama.cpp `src/llama-quant.cpp`, `llama_tensor_get_type`).
 */
export const GGUF_BLOCK_BITS: Readonly<Record<string, number>> = {
  Q2_K: (84 * 8) / 256,
  Q3_K_S: (110 * 8) / 256,
  Q3_K_M: (110 * 8) / 256,
  Q3_K_L: (110 * 8) / 256,
  IQ3_XXS: (98 * 8) / 256,
  IQ3_S: (110 * 8) / 256,
  IQ3_M: (110 * 8) / 256,
  IQ4_XS: (136 * 8) / 256,
  IQ4_NL: (18 * 8) / 32,
  Q4_0: (18 * 8) / 32,
  Q4_1: (20 * 8) / 32,
  Q4_K_S: (144 * 8) / 256,
  Q4_K_M: (144 * 8) / 256,
  Q5_0: (22 * 8) / 32,
  Q5_1: (24 * 8) / 32,
  Q5_K_S: (176 * 8) / 256,
  Q5_K_M: (176 * 8) / 256,
  Q6_K: (210 * 8) / 256,
  Q8_0: (34 * 8) / 32,
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
  /** `hidden_size`: with vocabSize, lets the planner count the 16-bit embedding and head. */
  readonly hiddenSize?: number;
  /** `vocab_size`. */
  readonly vocabSize?: number;
  /** `tie_word_embeddings`: the output head shares the embedding matrix. */
  readonly tiedEmbeddings?: boolean;
  /** Mixture of experts (absent for a dense model). */
  readonly moe?: MoeArchitecture;
  /** Multi-head latent attention (absent for MHA/GQA). */
  readonly mla?: MlaArchitecture;
  /** Sliding-window attention layers (absent when every layer attends to the whole context). */
  readonly slidingWindow?: SlidingWindowArchitecture;
  /** Licence identifier of the published weights (policy/licences/catalogue.ts), catalogue only. */
  readonly licence?: string;
}

/** The expert numbers of a MoE model, as config.json names them. */
export interface MoeArchitecture {
  /** Routed experts per MoE layer: `n_routed_experts`, `num_experts` or `num_local_experts`. */
  readonly experts: number;
  /** `num_experts_per_tok`: routed experts each token goes through. */
  readonly expertsPerToken: number;
  /** `n_shared_experts` (0 when the model has none); always active, counted in `parameters`. */
  readonly sharedExperts: number;
  /** Layers with routed experts: num_hidden_layers − `first_k_dense_replace` (dense first layers). */
  readonly moeLayers: number;
  /** `moe_intermediate_size` (`intermediate_size` where experts use it, as in gpt-oss, Mixtral). */
  readonly expertIntermediateSize: number;
}

/** The latent-cache numbers of an MLA model. */
export interface MlaArchitecture {
  /** `kv_lora_rank`: width of the compressed KV latent. */
  readonly kvLoraRank: number;
  /** `qk_rope_head_dim`: the decoupled rotary key kept beside the latent. */
  readonly qkRopeHeadDim: number;
}

/**
 * Sliding-window attention: how many of the layers attend to a window of the last tokens only
 * (config.json `layer_types` entries "sliding_attention", or the layers `sliding_window_pattern`
 * makes local), and the window (`sliding_window`). The other layers attend to the whole context.
 */
export interface SlidingWindowArchitecture {
  /** Layers with a sliding window (≤ layers; all of them for a model such as Mistral 7B v0.1). */
  readonly layers: number;
  /** `sliding_window`: tokens each such layer attends to. */
  readonly window: number;
}

/**
 * How an engine keeps the KV cache of a model with sliding-window layers (ignored for a model
 * without them: every layer keeps the whole context).
 */
export type KvCacheLayout =
  /** Every layer keeps the whole context: an engine without per-layer windows, vLLM with
   * `--disable-sliding-window`, llama.cpp with `--swa-full`. The upper bound. */
  | { readonly kind: 'full' }
  /** Full layers × context + sliding layers × min(window, context): what a cache that keeps
   * exactly the window would hold. */
  | { readonly kind: 'window' }
  /** vLLM's hybrid KV cache manager (vllmHybridLayerTokens). */
  | {
      readonly kind: 'vllm-hybrid';
      /** `--block-size`: tokens per KV block (CacheConfig.DEFAULT_BLOCK_SIZE 16). */
      readonly blockSize: number;
      /** SchedulerConfig.max_num_batched_tokens: tokens of one prefill chunk. */
      readonly maxNumBatchedTokens: number;
      /** Ratio under which layer types share one group size (1.25 up to v0.17, 1.5 after). */
      readonly groupingThreshold: number;
      /** Why these figures (the release, the flags, the GPU default), for messages. */
      readonly basis: string;
    }
  /** llama.cpp's interleaved-SWA cache, one stream per slot (llamaSwaLayerTokens). */
  | { readonly kind: 'llama-swa'; readonly ubatch: number };

/**
 * Parameters in the routed experts: MoE layers × experts × 3 × hidden × expert intermediate
 * (gate, up and down projections of a gated FFN; gpt-oss fuses gate and up into one 2 × I
 * matrix, the same count). Biases are not included. 0 for a dense model or without hiddenSize.
 */
export function routedExpertParameters(arch: Pick<ModelArchitecture, 'moe' | 'hiddenSize'>): number {
  if (!arch.moe || arch.hiddenSize === undefined) return 0;
  const m = arch.moe;
  return m.moeLayers * m.experts * 3 * arch.hiddenSize * m.expertIntermediateSize;
}

/**
 * Parameters a token goes through: every parameter except the routed experts it is not sent
 * to, parameters − routed × (experts − expertsPerToken) / experts. Equal to `parameters` for a
 * dense model.
 */
export function activeParameters(arch: Pick<ModelArchitecture, 'parameters' | 'moe' | 'hiddenSize'>): number {
  if (!arch.moe) return arch.parameters;
  const routed = routedExpertParameters(arch);
  return arch.parameters - (routed * (arch.moe.experts - arch.moe.expertsPerToken)) / arch.moe.experts;
}

/**
 * Whether vLLM's expert parallel (`--enable-expert-parallel`) applies: a MoE model on more than
 * one GPU. The flag is a ParallelConfig field, `enable_expert_parallel` ("Use expert
 * parallelism instead of tensor parallelism for MoE layers"), in vllm/config/parallel.py
 * (vllm-project/vllm @ 840e7972) and in the v0.12.0 flag table (vllm/engine/arg_utils.py
 * @ 99d7eb5d). It changes where experts live, not how many bytes each GPU holds.
 */
export function expertParallelApplies(arch: Pick<ModelArchitecture, 'moe'>, gpus: number): boolean {
  return arch.moe !== undefined && gpus > 1;
}

/** Parameters of the token embedding and the output head (once when tied); 0 when unknown. */
function embeddingParameters(
  arch: Pick<ModelArchitecture, 'hiddenSize' | 'vocabSize' | 'tiedEmbeddings'>,
): number {
  if (arch.hiddenSize === undefined || arch.vocabSize === undefined) return 0;
  return arch.vocabSize * arch.hiddenSize * (arch.tiedEmbeddings ? 1 : 2);
}

/**
 * Parameters a checkpoint in `format` stores quantized, or undefined when the architecture does
 * not say enough to count them (then weightBytes falls back to WEIGHT_FORMAT_BYTES × overhead).
 */
export function quantizedParameters(
  arch: Pick<ModelArchitecture, 'parameters' | 'hiddenSize' | 'vocabSize' | 'tiedEmbeddings' | 'moe'>,
  format: WeightFormat,
): number | undefined {
  const q = QUANTIZED_WEIGHT_BYTES[format];
  if (!q || arch.hiddenSize === undefined || arch.vocabSize === undefined) return undefined;
  if (q.scope === 'experts') return arch.moe ? routedExpertParameters(arch) : undefined;
  return arch.parameters - embeddingParameters(arch);
}

/**
 * Bytes of the weights in `format`. With hiddenSize and vocabSize known: the quantized tensors
 * at QUANTIZED_WEIGHT_BYTES (scales included) and every other parameter at 2 bytes (bf16);
 * otherwise parameters × WEIGHT_FORMAT_BYTES × overhead.
 */
export function weightBytes(
  arch: Pick<ModelArchitecture, 'parameters'> &
    Partial<Pick<ModelArchitecture, 'hiddenSize' | 'vocabSize' | 'tiedEmbeddings' | 'moe'>>,
  format: WeightFormat,
): number {
  const quantized = quantizedParameters(arch, format);
  const q = QUANTIZED_WEIGHT_BYTES[format];
  if (quantized !== undefined && q) return quantized * q.bytesPerParam + (arch.parameters - quantized) * 2;
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

type KvArch = Pick<ModelArchitecture, 'layers' | 'kvHeads' | 'headDim'> &
  Partial<Pick<ModelArchitecture, 'mla'>>;

/**
 * KV-cache bytes for one token across the whole model (all layers, all KV heads); for MLA one
 * copy of the latent cache, layers × (kv_lora_rank + qk_rope_head_dim) × KV bytes.
 */
export function kvBytesPerToken(arch: KvArch, kv: KvCacheFormat = 'auto'): number {
  if (arch.mla) return arch.layers * (arch.mla.kvLoraRank + arch.mla.qkRopeHeadDim) * KV_CACHE_BYTES[kv];
  return 2 * arch.layers * arch.kvHeads * arch.headDim * KV_CACHE_BYTES[kv];
}

/**
 * KV-cache bytes for one token on one GPU at tensor-parallel size `tp`. MLA: the whole latent
 * cache on every rank (vLLM replicates it; see the header).
 */
export function kvBytesPerTokenPerGpu(arch: KvArch, tp: number, kv: KvCacheFormat = 'auto'): number {
  if (arch.mla) return kvBytesPerToken(arch, kv);
  const headsPerGpu = Math.max(1, Math.ceil(arch.kvHeads / tp));
  return 2 * arch.layers * headsPerGpu * arch.headDim * KV_CACHE_BYTES[kv];
}

const cdiv = (a: number, b: number): number => Math.ceil(a / b);

/**
 * Layer-tokens one sequence of `context` tokens keeps in vLLM's hybrid KV cache manager (the
 * default for a model with full and sliding-window layers in both pinned releases: SchedulerConfig
 * `disable_hybrid_kv_cache_manager` is False by default at v0.12.0 and None → False at main;
 * it is turned off only on a platform without it, with a KV connector or KV events, or for
 * chunked local attention, none of which a server here sets). Read in vllm-project/vllm at
 * 8580919a (2025-12-10; the same code at 48ddb02b of 2025-11-25, both sides of v0.12.0) and at
 * main 9aaf83ef (2026-05-19), vllm/v1/core/kv_cache_utils.py and vllm/v1/kv_cache_interface.py:
 * - `_get_kv_cache_groups_uniform_page_size`: the group size is the fewer of the full and the
 *   sliding layers, or the more when it is under `groupingThreshold` × the fewer (1.25 at v0.12.0;
 *   1.5 since vllm-project/vllm#36684, 2026-03-12); each kind's layers split into
 *   ceil(count / group size) groups, the last one padded;
 * - `get_kv_cache_config_from_groups`: group-size tensors of num_blocks pages, so one block of the
 *   shared pool costs group size × block × per-layer token bytes, whichever group it serves;
 * - per request, a full-attention group needs cdiv(context, block) blocks
 *   (FullAttentionSpec.max_memory_usage_bytes) and a sliding group
 *   cdiv(min(window − 1 + max_num_batched_tokens, context), block) + 1 (SlidingWindowSpec: during
 *   chunked prefill it keeps the last window − 1 tokens plus the scheduled chunk; + 1 because the
 *   window need not start on a block boundary);
 * - `get_max_concurrency_for_kv_cache_config` divides the pool's blocks by the sum over groups:
 *   the "Maximum concurrency" vLLM logs, which is what this plans for.
 */
export function vllmHybridLayerTokens(
  arch: Pick<ModelArchitecture, 'layers' | 'slidingWindow'>,
  context: number,
  layout: Extract<KvCacheLayout, { kind: 'vllm-hybrid' }>,
): number {
  const g = vllmHybridGroups(arch, layout);
  const bs = layout.blockSize;
  return (
    g.groupSize *
    bs *
    (g.fullGroups * cdiv(context, bs) + g.slidingGroups * vllmSlidingBlocks(arch, context, layout))
  );
}

/** The KV cache groups vLLM forms for a model with sliding-window layers (see vllmHybridLayerTokens). */
export function vllmHybridGroups(
  arch: Pick<ModelArchitecture, 'layers' | 'slidingWindow'>,
  layout: Extract<KvCacheLayout, { kind: 'vllm-hybrid' }>,
): { groupSize: number; fullGroups: number; slidingGroups: number } {
  const sliding = arch.slidingWindow?.layers ?? 0;
  const full = arch.layers - sliding;
  const counts = [full, sliding].filter((n) => n > 0);
  const fewest = Math.min(...counts);
  const most = Math.max(...counts);
  const groupSize = most < fewest * layout.groupingThreshold ? most : fewest;
  return { groupSize, fullGroups: cdiv(full, groupSize), slidingGroups: cdiv(sliding, groupSize) };
}

/** Blocks one request holds in a sliding-window group of vLLM's hybrid cache. */
export function vllmSlidingBlocks(
  arch: Pick<ModelArchitecture, 'slidingWindow'>,
  context: number,
  layout: Extract<KvCacheLayout, { kind: 'vllm-hybrid' }>,
): number {
  const window = arch.slidingWindow?.window ?? context;
  return cdiv(Math.min(window - 1 + layout.maxNumBatchedTokens, context), layout.blockSize) + 1;
}

/**
 * Cells one llama.cpp SWA layer keeps per slot: ggml-org/llama.cpp src/llama-kv-cache-iswa.cpp
 * (`llama_kv_cache_iswa`, stored at 02c28f53): the non-SWA layers get kv_size cells and the SWA
 * layers GGML_PAD(min(kv_size, n_swa × (unified ? n_seq_max : 1) + n_ubatch), 256) ("always
 * padded to 256 for performance", ggml-org/llama.cpp#17037), or kv_size with `--swa-full`.
 * llama-server given `--parallel` keeps one stream per slot (kv_unified is set only when the slot
 * count is automatic; common/common.h `kv_unified = false`) of kv_size = n_ctx / slots cells
 * (src/llama-model.cpp create_memory passes cparams.n_ctx_seq), so per slot: n_swa + n_ubatch.
 */
export function llamaSwaCells(
  arch: Pick<ModelArchitecture, 'slidingWindow'>,
  contextPerSlot: number,
  ubatch: number,
): number {
  const window = arch.slidingWindow?.window ?? contextPerSlot;
  return cdiv(Math.min(contextPerSlot, window + ubatch), 256) * 256;
}

/**
 * Layer-tokens (tokens held, summed over the layers) one sequence of `context` tokens keeps under
 * `layout`; layers × context for a model without sliding-window layers, for MLA, and under `full`.
 */
export function kvLayerTokensPerSequence(
  arch: Pick<ModelArchitecture, 'layers' | 'slidingWindow' | 'mla'>,
  context: number,
  layout: KvCacheLayout = { kind: 'full' },
): number {
  const sw = arch.slidingWindow;
  if (!sw || arch.mla) return arch.layers * context;
  const full = arch.layers - sw.layers;
  switch (layout.kind) {
    case 'full':
      return arch.layers * context;
    case 'window':
      return full * context + sw.layers * Math.min(sw.window, context);
    case 'vllm-hybrid':
      return vllmHybridLayerTokens(arch, context, layout);
    case 'llama-swa':
      return full * context + sw.layers * llamaSwaCells(arch, context, layout.ubatch);
  }
}

/** Whether `layout` changes anything for `arch` (it has sliding-window layers and no MLA). */
export function slidingWindowApplies(
  arch: Pick<ModelArchitecture, 'slidingWindow' | 'mla'>,
  layout: KvCacheLayout | undefined,
): layout is Exclude<KvCacheLayout, { kind: 'full' }> {
  return (
    arch.slidingWindow !== undefined &&
    arch.mla === undefined &&
    layout !== undefined &&
    layout.kind !== 'full'
  );
}

/** What a plan's KV figure counts for a model with sliding-window layers; undefined otherwise. */
export function describeKvLayout(
  arch: Pick<ModelArchitecture, 'layers' | 'slidingWindow' | 'mla'>,
  context: number,
  layout: KvCacheLayout | undefined,
): string | undefined {
  const sw = arch.slidingWindow;
  if (!sw || arch.mla || layout === undefined) return undefined;
  const full = arch.layers - sw.layers;
  const groups = (n: number, size: number) => `${n} group${n === 1 ? '' : 's'} of ${size}`;
  switch (layout.kind) {
    case 'full':
      return `all ${arch.layers} layers at the whole context, the ${sw.layers} sliding-window layers included: the engine keeps them in full`;
    case 'window':
      return `per sequence ${full} full-attention layers × ${context} tokens + ${sw.layers} sliding-window layers × ${Math.min(sw.window, context)}`;
    case 'vllm-hybrid': {
      const g = vllmHybridGroups(arch, layout);
      const bs = layout.blockSize;
      const sliding = vllmSlidingBlocks(arch, context, layout) * bs;
      return `vLLM hybrid KV cache, per sequence ${full} full-attention layers (${groups(g.fullGroups, g.groupSize)}) × ${cdiv(context, bs) * bs} tokens + ${sw.layers} sliding-window layers (${groups(g.slidingGroups, g.groupSize)}) × ${sliding}: window ${sw.window} − 1 + a ${layout.maxNumBatchedTokens}-token prefill chunk in ${bs}-token blocks, + 1 block; ${layout.basis}`;
    }
    case 'llama-swa':
      return `llama.cpp SWA cache, per slot ${full} full-attention layers × ${context} tokens + ${sw.layers} sliding-window layers × ${llamaSwaCells(arch, context, layout.ubatch)}: window ${sw.window} + ${layout.ubatch}-token micro-batch, padded to 256`;
  }
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
  /** How the engine keeps sliding-window layers; without it every layer is counted in full. */
  readonly kvLayout?: KvCacheLayout;
  /**
   * Share of the model's layers on this GPU (a pipeline stage's), for the KV cache of a model with
   * sliding-window layers; others pass a stage's layer count in `arch.layers`. @default 1
   */
  readonly kvLayerShare?: number;
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
  /** Parameters a token goes through (all of them for a dense model). */
  readonly activeParameters: number;
  /** A MoE model on more than one GPU: vLLM's `--enable-expert-parallel` applies. */
  readonly expertParallel: boolean;
  /** What the KV figures count for a model with sliding-window layers (describeKvLayout). */
  readonly kvCacheNote?: string;
}

/** The plan at one given TP (fits or not). */
export function planAt(req: CapacityRequest, pool: PoolCapacity, tp: number): CapacityPlan {
  const kvCache = req.kvCache ?? 'auto';
  const tokens = req.maxModelLenTokens * req.concurrentSequences;
  const reserve = (req.runtimeReserveGiBPerGpu ?? RUNTIME_RESERVE_GIB_PER_GPU) * GIB;
  const weightBytesPerGpu = req.weightBytes / tp;
  let kvCacheBytesPerGpu = kvBytesPerTokenPerGpu(req.arch, tp, kvCache) * tokens;
  let kvCacheBytes = kvBytesPerToken(req.arch, kvCache) * tokens;
  if (slidingWindowApplies(req.arch, req.kvLayout)) {
    // Per layer and token: 2 (K, V) × KV heads × head dim × bytes, as kvBytesPerToken.
    const layerTokens =
      kvLayerTokensPerSequence(req.arch, req.maxModelLenTokens, req.kvLayout) * req.concurrentSequences;
    const headsPerGpu = Math.max(1, Math.ceil(req.arch.kvHeads / tp));
    kvCacheBytes = layerTokens * 2 * req.arch.kvHeads * req.arch.headDim * KV_CACHE_BYTES[kvCache];
    kvCacheBytesPerGpu =
      layerTokens * 2 * headsPerGpu * req.arch.headDim * KV_CACHE_BYTES[kvCache] * (req.kvLayerShare ?? 1);
  }
  const note = describeKvLayout(req.arch, req.maxModelLenTokens, req.kvLayout);
  const requiredBytesPerGpu = weightBytesPerGpu + kvCacheBytesPerGpu + reserve;
  const usableBytesPerGpu = pool.usableBytesPerGpu ?? pool.gpuMemoryGiB * GIB * req.gpuMemoryUtilization;
  return {
    tensorParallelSize: tp,
    weightBytes: req.weightBytes,
    kvCacheBytes,
    kvBytesPerToken: kvBytesPerToken(req.arch, kvCache),
    weightBytesPerGpu,
    kvCacheBytesPerGpu,
    runtimeReserveBytesPerGpu: reserve,
    requiredBytesPerGpu,
    usableBytesPerGpu,
    fits: requiredBytesPerGpu <= usableBytesPerGpu,
    activeParameters: activeParameters(req.arch),
    expertParallel: expertParallelApplies(req.arch, tp),
    ...(note !== undefined ? { kvCacheNote: note } : {}),
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
    `${req.arch.name}${req.arch.moe ? ` (MoE: ${(req.arch.parameters / 1e9).toFixed(1)}B parameters, all experts resident; ${(plan.activeParameters / 1e9).toFixed(1)}B active)` : ''} needs ${formatGiB(plan.weightBytes)} of weights + ${formatGiB(plan.kvCacheBytes)} of ${req.arch.mla ? 'MLA latent cache (held whole on every GPU)' : 'KV cache'}${plan.kvCacheNote ? ` (${plan.kvCacheNote})` : ''} ` +
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
