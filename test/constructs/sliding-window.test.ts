/**
 * Sliding-window layers in the planner: Gemma 3 27B and gpt-oss-120b sized as vLLM's hybrid KV
 * cache and llama.cpp's SWA cache keep them, against figures worked out by hand.
 *
 * The numbers used, and where they come from:
 * - Gemma 3 27B: 62 layers, 16 KV heads of 128 (google/gemma_pytorch gemma/config.py
 *   `get_config_for_27b_v3` @ 014acb7); layer i takes attn_types[i % 6], five LOCAL_SLIDING then
 *   one GLOBAL (gemma/model.py @ 014acb7), so 10 global and 52 sliding layers;
 *   sliding_window_size 1024 (config.py).
 * - gpt-oss-120b: 36 layers, 8 KV heads of 64, sliding_window 128 on the layers with
 *   layer_idx % 2 == 0, so 18 of 36 (openai/gpt-oss gpt_oss/torch/model.py @ 7b58334,
 *   `ModelConfig` and `AttentionBlock`).
 * - vLLM: block 16, max_num_batched_tokens 8192 (≥ 70 GiB GPU) or 2048, grouping and per-request
 *   blocks as in vllm-project/vllm vllm/v1/core/kv_cache_utils.py and vllm/v1/kv_cache_interface.py
 *   (capacity.ts vllmHybridLayerTokens cites the commits).
 * - llama.cpp: SWA cells per slot GGML_PAD(min(ctx, n_swa + n_ubatch), 256), n_ubatch 512
 *   (src/llama-kv-cache-iswa.cpp; capacity.ts llamaSwaCells).
 */
import {
  GIB,
  type KvCacheLayout,
  describeKvLayout,
  kvLayerTokensPerSequence,
  planAt,
  planCapacity,
  vllmHybridGroups,
  weightBytes,
} from '../../constructs/capacity';
import { MODEL_CATALOGUE } from '../../constructs/model-catalogue';
import {
  type GpuPlacement,
  architectureProblems,
  llamaCppKvCacheBytes,
  llamaCppKvLayout,
  planLlamaCppServer,
  planVllmServer,
  vllmKvLayout,
} from '../../constructs/server-plan';
import { ggufWeightBytes } from '../../constructs/capacity';
import { refusal } from '../support/refusal';
import { planStage } from '../../constructs/multi-node-plan';

const gemma = MODEL_CATALOGUE['gemma-3-27b'];
const gptoss = MODEL_CATALOGUE['gpt-oss-120b'];
/** gpt-oss-120b (MXFP4), 8 sequences of 16 384 tokens at 0.9 of the GPU, with a KV layout. */
const gptossAt16k = (kvLayout: KvCacheLayout) => ({
  arch: gptoss,
  weightBytes: weightBytes(gptoss, 'mxfp4'),
  maxModelLenTokens: 16384,
  concurrentSequences: 8,
  gpuMemoryUtilization: 0.9,
  kvLayout,
});

const placement = (product: string, gib: number, units = 1): GpuPlacement => ({
  poolName: 'gpu',
  unitsPerNode: units,
  unitMemoryBytes: gib * GIB,
  visibleMemoryBytes: gib * GIB,
  maxUnitsPerPod: units,
  nodeCount: 1,
  resourceName: 'nvidia.com/gpu',
  product,
});
const h100 = placement('NVIDIA-H100-80GB-HBM3', 79.65, 8);
const l4 = placement('NVIDIA-L4', 22.49);
const a100 = placement('NVIDIA-A100-SXM4-80GB', 80);

const vllm = (extraArgs: string[] = [], pool = h100, len = 32768, seqs = 1, release = 'v0.33.0') =>
  vllmKvLayout({ release, extraArgs, maxModelLenTokens: len, maxNumSeqs: seqs }, pool);

describe('the catalogue states the sliding-window layers', () => {
  test('Gemma 3 27B: 52 of 62 layers over 1024 tokens; gpt-oss: every other layer over 128', () => {
    expect(gemma.slidingWindow).toEqual({ layers: 52, window: 1024 });
    // attn_types[i % 6] is GLOBAL for i % 6 == 5: layers 5, 11, …, 59
    expect(Array.from({ length: 62 }, (_, i) => i).filter((i) => i % 6 === 5)).toHaveLength(10);
    expect(gptoss.slidingWindow).toEqual({ layers: 18, window: 128 });
    expect(MODEL_CATALOGUE['gpt-oss-20b'].slidingWindow).toEqual({ layers: 12, window: 128 });
    expect(MODEL_CATALOGUE['gemma-2-9b'].slidingWindow).toEqual({ layers: 21, window: 4096 });
    expect(MODEL_CATALOGUE['gemma-2-27b'].slidingWindow).toEqual({ layers: 23, window: 4096 });
    for (const m of Object.values(MODEL_CATALOGUE))
      expect([m.name, architectureProblems(m)]).toEqual([m.name, []]);
  });
});

describe('Gemma 3 27B KV cache per sequence (2 × 16 × 128 × 2 B = 8,192 B per layer and token)', () => {
  test('window: 10 × 8192 + 52 × 1024 = 135,168 layer-tokens (full length: 62 × 8192 = 507,904)', () => {
    expect(kvLayerTokensPerSequence(gemma, 8192, { kind: 'window' })).toBe(135_168);
    expect(kvLayerTokensPerSequence(gemma, 8192, { kind: 'full' })).toBe(507_904);
    // shorter than the window: every layer keeps the whole context
    expect(kvLayerTokensPerSequence(gemma, 512, { kind: 'window' })).toBe(62 * 512);
  });

  test('vLLM on an H100: groups of 10, 1 full × 2048 blocks + 6 sliding × 577 blocks of 16', () => {
    const layout = vllm();
    expect(layout).toMatchObject({ kind: 'vllm-hybrid', blockSize: 16, maxNumBatchedTokens: 8192 });
    // min(10, 52) = 10; 52 ≥ 10 × 1.5, so the group size stays 10: ceil(52 / 10) = 6 sliding groups
    expect(vllmHybridGroups(gemma, layout as Extract<KvCacheLayout, { kind: 'vllm-hybrid' }>)).toEqual({
      groupSize: 10,
      fullGroups: 1,
      slidingGroups: 6,
    });
    // full: cdiv(32768, 16) = 2048 blocks; sliding: cdiv(min(1023 + 8192, 32768), 16) + 1 = 576 + 1
    // = 577 blocks; 10 × 16 × (2048 + 6 × 577) = 881,600 layer-tokens
    expect(kvLayerTokensPerSequence(gemma, 32768, layout)).toBe(881_600);
    // all 62 layers at 32k: 2,031,616; the hybrid cache holds 43 % of it
    expect(881_600 / (62 * 32768)).toBeCloseTo(0.434, 3);
  });

  test('vLLM on an L4 (2048-token chunks), 2 × 8k: 267,200 layer-tokens a sequence, 4.08 GiB', () => {
    const layout = vllm([], l4, 8192, 2);
    expect(layout).toMatchObject({ maxNumBatchedTokens: 2048 });
    // sliding: cdiv(1023 + 2048, 16) + 1 = 193 blocks; 10 × 16 × (512 + 6 × 193) = 267,200
    expect(kvLayerTokensPerSequence(gemma, 8192, layout)).toBe(267_200);
    const plan = planAt(
      {
        arch: gemma,
        weightBytes: weightBytes(gemma, 'bf16'),
        maxModelLenTokens: 8192,
        concurrentSequences: 2,
        gpuMemoryUtilization: 0.9,
        kvLayout: layout,
      },
      { poolName: 'l4', gpusPerNode: 1, gpuMemoryGiB: 22.49 },
      1,
    );
    // 267,200 × 2 × 8192 B = 4,377,804,800 B
    expect(plan.kvCacheBytes).toBe(4_377_804_800);
    expect(plan.kvCacheBytesPerGpu).toBe(4_377_804_800);
    expect(plan.kvCacheNote).toContain('52 sliding-window layers (6 groups of 10) × 3088');
    // the per-token figure stays the full-attention one (every layer, 507,904 B)
    expect(plan.kvBytesPerToken).toBe(507_904);
  });

  test('vLLM: an A100 keeps 2048-token chunks; flags override the defaults', () => {
    expect(vllm([], a100)).toMatchObject({ maxNumBatchedTokens: 2048 });
    expect(vllm(['--max-num-batched-tokens', '4096'])).toMatchObject({ maxNumBatchedTokens: 4096 });
    expect(vllm(['--max_num_batched_tokens=1024'])).toMatchObject({ maxNumBatchedTokens: 1024 });
    expect(vllm(['--block-size', '32'])).toMatchObject({ blockSize: 32 });
    // without chunked prefill a prefill is the whole prompt: the sliding groups hold the context
    expect(vllm(['--no-enable-chunked-prefill'])).toMatchObject({ maxNumBatchedTokens: 32768 });
    // at most max_num_seqs × context
    expect(vllm([], h100, 2048, 2)).toMatchObject({ maxNumBatchedTokens: 4096 });
    // --disable-sliding-window: every layer in full
    expect(vllm(['--disable-sliding-window'])).toEqual({ kind: 'full' });
    expect(kvLayerTokensPerSequence(gemma, 32768, vllm(['--disable-sliding-window']))).toBe(62 * 32768);
    expect(vllm([], h100, 32768, 1, 'v0.12.0')).toMatchObject({ groupingThreshold: 1.25 });
    expect(vllm()).toMatchObject({ groupingThreshold: 1.5 });
  });

  test('llama.cpp: 10 × 8192 + 52 × 1536 cells per slot (1024 + 512, padded to 256)', () => {
    const layout = llamaCppKvLayout([]);
    expect(layout).toEqual({ kind: 'llama-swa', ubatch: 512 });
    expect(kvLayerTokensPerSequence(gemma, 8192, layout)).toBe(10 * 8192 + 52 * 1536);
    // 4 slots × 161,792 × 2 × 16 × 128 × 2 B (f16) = 5,301,600,256 B
    expect(llamaCppKvCacheBytes(gemma, 'fp16', 8192, 4, layout)).toBe(5_301_600_256);
    // -ub 1024: 1024 + 1024 = 2048 cells; -b caps the micro-batch; --swa-full keeps them in full
    expect(kvLayerTokensPerSequence(gemma, 8192, llamaCppKvLayout(['-ub', '1024']))).toBe(
      10 * 8192 + 52 * 2048,
    );
    expect(llamaCppKvLayout(['-ub', '1024', '-b', '256'])).toEqual({ kind: 'llama-swa', ubatch: 256 });
    expect(llamaCppKvLayout(['--swa-full'])).toEqual({ kind: 'full' });
    expect(llamaCppKvCacheBytes(gemma, 'fp16', 8192, 4, { kind: 'full' })).toBe(507_904 * 8192 * 4);
    // a slot shorter than window + micro-batch: min(1000, 1536) = 1000, padded to 1024
    expect(kvLayerTokensPerSequence(gemma, 1000, layout)).toBe(10 * 1000 + 52 * 1024);
  });

  test('llama.cpp CPU-only: the RAM check counts the SWA cache, and fails below it', () => {
    // Q4_K_M: 27,432,406,640 × 4.9 / 8 = 16,802,349,067 B (15.65 GiB); KV 5,301,600,256 B
    // (4.94 GiB); + 1 GiB of buffers = 21.58 GiB: 21Gi is short, 22Gi holds it
    const input = (memory: string) => ({
      arch: gemma,
      ggufType: 'Q4_K_M',
      weightBytes: ggufWeightBytes(gemma, 'Q4_K_M'),
      kvCacheBytes: llamaCppKvCacheBytes(gemma, 'fp16', 8192, 4, llamaCppKvLayout()),
      kvCache: 'fp16' as const,
      contextTokensPerSlot: 8192,
      parallelSlots: 4,
      gpuMemoryUtilization: 0.9,
      peakReplicas: 1,
      replicasPath: 'replicas',
      memory,
      kvLayout: llamaCppKvLayout(),
    });
    expect(planLlamaCppServer(input('22Gi')).memory).toBe('22Gi');
    expect(refusal(() => planLlamaCppServer(input('21Gi')))).toBe(
      'memory  gemma-3-27b (Q4_K_M) needs 15.6 GiB of weights + 4.9 GiB of KV cache for 4 × 8k tokens + 1.0 GiB of buffers = 21.6 GiB of RAM; memory 21Gi is 21.0 GiB',
    );
  });
});

describe('gpt-oss-120b KV cache per sequence (2 × 8 × 64 × 2 B = 2,048 B per layer and token)', () => {
  test('vLLM on an H100, 8 × 16k: groups of 18, 1024 + 521 blocks; 6.79 GiB instead of 9.00', () => {
    const layout = vllm([], h100, 16384, 8);
    // 18 full and 18 sliding layers: one group of each, 18 layers a group
    expect(vllmHybridGroups(gptoss, layout as Extract<KvCacheLayout, { kind: 'vllm-hybrid' }>)).toEqual({
      groupSize: 18,
      fullGroups: 1,
      slidingGroups: 1,
    });
    // sliding: cdiv(min(127 + 8192, 16384), 16) + 1 = 520 + 1 = 521; full: 1024
    // 18 × 16 × (1024 + 521) = 444,960 layer-tokens; × 2048 B = 911,278,080 B a sequence
    expect(kvLayerTokensPerSequence(gptoss, 16384, layout)).toBe(444_960);
    const req = gptossAt16k(layout);
    const plan = planCapacity(req, { poolName: 'h100', gpusPerNode: 8, gpuMemoryGiB: 80 });
    expect(plan.tensorParallelSize).toBe(1);
    expect(plan.kvCacheBytes).toBe(8 * 911_278_080);
    expect(plan.kvCacheBytes / GIB).toBeCloseTo(6.79, 2);
    // 60.77 + 6.79 + 2 = 69.56 GiB (all 36 layers at full length: 71.77)
    expect(plan.requiredBytesPerGpu / GIB).toBeCloseTo(69.56, 2);
    // TP 2 splits the 8 KV heads: half the cache on each GPU
    expect(planAt(req, { poolName: 'h100', gpusPerNode: 8, gpuMemoryGiB: 80 }, 2).kvCacheBytesPerGpu).toBe(
      4 * 911_278_080,
    );
  });

  test('window and llama.cpp: 18 × 16384 + 18 × 128, and 18 × 768 SWA cells (128 + 512 → 768)', () => {
    expect(kvLayerTokensPerSequence(gptoss, 16384, { kind: 'window' })).toBe(297_216);
    expect(kvLayerTokensPerSequence(gptoss, 16384, llamaCppKvLayout())).toBe(18 * 16384 + 18 * 768);
  });

  test('a pipeline stage holds its share of the layers of the sliding-window cache', () => {
    const layout = vllm([], h100, 16384, 8);
    const req = gptossAt16k(layout);
    const stage = planStage(req, 72 * GIB, 1, 2);
    // ceil(36 / 2) = 18 of 36 layers: half of 8 × 911,278,080 B
    expect(stage.kvCacheBytesPerGpu).toBe(4 * 911_278_080);
    expect(stage.kvCacheBytes).toBe(8 * 911_278_080);
  });

  test('the vLLM server plan uses the hybrid cache and says so in a refusal', () => {
    const input = {
      arch: gptoss,
      weightBytes: weightBytes(gptoss, 'mxfp4'),
      kvCache: 'auto' as const,
      maxModelLenTokens: 131072,
      maxNumSeqs: 4,
      gpuMemoryUtilization: 0.9,
      peakReplicas: 1,
      replicasPath: 'replicas',
      tensorParallelSize: 1,
    };
    // sliding: cdiv(127 + 8192, 16) + 1 = 521 blocks; full: 8192 blocks;
    // 18 × 16 × 8713 × 2048 B × 4 = 20,556,546,048 B = 19.14 GiB; 60.77 + 19.14 + 2 = 81.91 > 71.68
    let msg = '';
    try {
      planVllmServer(input, h100);
    } catch (e) {
      msg = (e as { problems: { message: string }[] }).problems[0].message;
    }
    expect(msg).toContain('needs 60.8 GiB of weights + 19.1 GiB of KV cache (vLLM hybrid KV cache');
    expect(msg).toContain('18 sliding-window layers (1 group of 18) × 8336');
    expect(msg).toContain("max_num_batched_tokens 8192: vLLM v0.33.0's default for a GPU of 70 GiB or more");
  });
});

describe('sliding-window numbers are checked', () => {
  const base = MODEL_CATALOGUE['llama-3.1-8b'];
  test('fails when more layers slide than the model has, or a number is not whole and positive', () => {
    expect(architectureProblems({ ...base, slidingWindow: { layers: 33, window: 4096 } })).toEqual([
      {
        path: 'architecture.slidingWindow.layers',
        message:
          '33 sliding-window layers is more than the model\'s 32 layers (count the "sliding_attention" entries of layer_types)',
      },
    ]);
    expect(architectureProblems({ ...base, slidingWindow: { layers: 16, window: 0 } })).toEqual([
      {
        path: 'architecture.slidingWindow.window',
        message: '0 is not allowed: use a whole number from 1 to 9007199254740991',
      },
    ]);
    expect(architectureProblems({ ...base, slidingWindow: { layers: 1.5, window: 128 } })[0].path).toBe(
      'architecture.slidingWindow.layers',
    );
  });

  test('fails with MLA, which vLLM gives no sliding window', () => {
    const dsv3 = MODEL_CATALOGUE['deepseek-v3'];
    expect(architectureProblems({ ...dsv3, slidingWindow: { layers: 30, window: 4096 } })).toEqual([
      {
        path: 'architecture.slidingWindow',
        message:
          'sliding-window layers with MLA: vLLM supports no sliding window on an MLA cache; give one or the other',
      },
    ]);
  });

  test('every layer sliding (Mistral 7B v0.1 style) is one group: layers × window-sized blocks', () => {
    const all = { ...base, slidingWindow: { layers: 32, window: 4096 } };
    const layout = vllm([], h100, 32768, 1);
    // cdiv(min(4095 + 8192, 32768), 16) + 1 = 769 blocks × 16 × 32 layers
    expect(kvLayerTokensPerSequence(all, 32768, layout)).toBe(32 * 16 * 769);
    expect(describeKvLayout(base, 32768, layout)).toBeUndefined();
  });
});
