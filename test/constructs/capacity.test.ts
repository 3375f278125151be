import {
  GIB,
  ggufWeightBytes,
  kvBytesPerToken,
  kvBytesPerTokenPerGpu,
  planAt,
  planCapacity,
  validTensorParallelSizes,
  weightBytes,
} from '../../constructs/capacity';
import { MODEL_CATALOGUE, catalogueModel } from '../../constructs/model-catalogue';
import { isSovereignError } from '../../core/errors';
import { errorOf } from './serving-fixtures';

const llama8b = MODEL_CATALOGUE['llama-3.1-8b'];
const llama70b = MODEL_CATALOGUE['llama-3.1-70b'];
const qwen7b = MODEL_CATALOGUE['qwen2.5-7b'];
const qwen72b = MODEL_CATALOGUE['qwen2.5-72b'];
const mixtral = MODEL_CATALOGUE['mixtral-8x7b'];
const gemma9b = MODEL_CATALOGUE['gemma-2-9b'];

describe('weights', () => {
  test('llama-3.1-70b in bf16: 70,553,706,496 params × 2 B = 141,107,412,992 B (131.4 GiB)', () => {
    expect(weightBytes(llama70b, 'bf16')).toBe(141_107_412_992);
  });

  test('mixtral-8x7b in bf16 keeps all experts: 46,702,792,704 × 2 = 93,405,585,408 B', () => {
    expect(weightBytes(mixtral, 'bf16')).toBe(93_405_585_408);
  });

  test('qwen2.5-72b as AWQ: 72,706,203,648 × 0.5 B × 1.10 overhead = 39,988,412,006.4 B', () => {
    expect(weightBytes(qwen72b, 'awq')).toBeCloseTo(39_988_412_006.4, 0);
  });

  test('llama-3.1-8b as GGUF Q4_K_M: 8,030,261,248 × 4.90 bpw / 8 = 4,918,535,014 B ≈ 4.58 GiB (quantize.cpp says 4.58G)', () => {
    expect(ggufWeightBytes(llama8b, 'Q4_K_M')).toBeCloseTo(4_918_535_014.4, 0);
    expect(ggufWeightBytes(llama8b, 'q4_k_m') / GIB).toBeCloseTo(4.58, 2);
    // Q8_0: × 8.51 / 8 = 8,542,190,402.6 B = 7.96 GiB (quantize.cpp: 7.96G)
    expect(ggufWeightBytes(llama8b, 'Q8_0') / GIB).toBeCloseTo(7.96, 2);
  });

  test('fails when the GGUF type is unknown', () => {
    expect(errorOf(() => ggufWeightBytes(llama8b, 'Q9_X'))).toMatch(/unknown GGUF quantization "Q9_X"/);
  });
});

describe('KV cache per token', () => {
  test('llama-3.1-70b: 2 × 80 layers × 8 KV heads × 128 dim × 2 B = 327,680 B', () => {
    expect(kvBytesPerToken(llama70b)).toBe(327_680);
  });
  test('llama-3.1-8b: 2 × 32 × 8 × 128 × 2 = 131,072 B; fp8 cache halves it', () => {
    expect(kvBytesPerToken(llama8b)).toBe(131_072);
    expect(kvBytesPerToken(llama8b, 'fp8')).toBe(65_536);
  });
  test('qwen2.5-7b: 2 × 28 × 4 × 128 × 2 = 57,344 B', () => {
    expect(kvBytesPerToken(qwen7b)).toBe(57_344);
  });
  test('gemma-2-9b: 2 × 42 × 8 × 256 × 2 = 344,064 B', () => {
    expect(kvBytesPerToken(gemma9b)).toBe(344_064);
  });
  test('TP beyond the KV heads replicates one head per GPU: llama-3.1-8b at TP 16 = 2 × 32 × 1 × 128 × 2', () => {
    expect(kvBytesPerTokenPerGpu(llama8b, 16)).toBe(16_384);
    expect(kvBytesPerTokenPerGpu(llama8b, 2)).toBe(65_536);
  });
});

describe('tensor-parallel sizes', () => {
  test('qwen2.5-7b (28 heads, 4 KV heads) allows 1, 2, 4 — not 7, which splits no KV head evenly', () => {
    expect(validTensorParallelSizes(qwen7b, 8)).toEqual([1, 2, 4]);
  });
  test('llama-3.1-70b (64 heads, 8 KV heads) allows powers of two up to the node', () => {
    expect(validTensorParallelSizes(llama70b, 8)).toEqual([1, 2, 4, 8]);
  });
});

const h100 = { poolName: 'h100', gpusPerNode: 8, gpuMemoryGiB: 80 };
const l40s = { poolName: 'l40s', gpusPerNode: 2, gpuMemoryGiB: 48 };

describe('planCapacity', () => {
  test('llama-3.1-70b bf16, 8 × 8k tokens on H100-80GB: TP 2 would need 77.7 GiB > 72 GiB, so TP 4', () => {
    // weights 131.42 GiB; KV 327,680 B × 65,536 tokens = 20 GiB; reserve 2 GiB per GPU
    // TP 2: 65.71 + 10 + 2 = 77.71 GiB > 80 × 0.9 = 72 GiB;  TP 4: 32.85 + 5 + 2 = 39.85 GiB
    const req = {
      arch: llama70b,
      weightBytes: weightBytes(llama70b, 'bf16'),
      maxModelLenTokens: 8192,
      concurrentSequences: 8,
      gpuMemoryUtilization: 0.9,
    };
    expect(planAt(req, h100, 2).requiredBytesPerGpu / GIB).toBeCloseTo(77.71, 2);
    const plan = planCapacity(req, h100);
    expect(plan.tensorParallelSize).toBe(4);
    expect(plan.kvCacheBytes).toBe(20 * GIB);
    expect(plan.requiredBytesPerGpu / GIB).toBeCloseTo(39.85, 2);
    expect(plan.usableBytesPerGpu).toBe(72 * GIB);
    expect(plan.fits).toBe(true);
  });

  test('llama-3.1-8b bf16 on one 24 GiB GPU: 4 × 8k fits (20.96 ≤ 21.6 GiB), 8 × 8k needs TP 2', () => {
    // weights 16,060,522,496 B = 14.96 GiB; KV 131,072 B × 32,768 = 4 GiB; + 2 GiB = 20.96 GiB
    const l4 = { poolName: 'l4', gpusPerNode: 2, gpuMemoryGiB: 24 };
    const base = {
      arch: llama8b,
      weightBytes: weightBytes(llama8b, 'bf16'),
      maxModelLenTokens: 8192,
      gpuMemoryUtilization: 0.9,
    };
    expect(planCapacity({ ...base, concurrentSequences: 4 }, l4).tensorParallelSize).toBe(1);
    // 8 × 8k: 14.96 + 8 + 2 = 24.96 GiB > 21.6 at TP 1; TP 2: 7.48 + 4 + 2 = 13.48 GiB
    const plan = planCapacity({ ...base, concurrentSequences: 8 }, l4);
    expect(plan.tensorParallelSize).toBe(2);
    expect(plan.requiredBytesPerGpu / GIB).toBeCloseTo(13.48, 2);
  });

  test('qwen2.5-72b as AWQ fits one H100 at 4 × 8k: 37.24 + 4 × 8192 × 327,680 B (10 GiB) + 2 = 49.24 GiB', () => {
    const plan = planCapacity(
      {
        arch: qwen72b,
        weightBytes: weightBytes(qwen72b, 'awq'),
        maxModelLenTokens: 8192,
        concurrentSequences: 4,
        gpuMemoryUtilization: 0.9,
      },
      h100,
    );
    expect(plan.tensorParallelSize).toBe(1);
    expect(plan.requiredBytesPerGpu / GIB).toBeCloseTo(49.24, 2);
  });

  test('fails when llama-3.1-70b does not fit an L40S node, with the numbers', () => {
    // 141.1 GB = 131.4 GiB of weights; KV 327,680 B × 4 × 32,768 = 40 GiB; 2 × 48 × 0.9 = 86.4 GiB
    const msg = errorOf(() =>
      planCapacity(
        {
          arch: llama70b,
          weightBytes: weightBytes(llama70b, 'bf16'),
          maxModelLenTokens: 32768,
          concurrentSequences: 4,
          gpuMemoryUtilization: 0.9,
        },
        l40s,
      ),
    );
    expect(msg).toContain(
      'llama-3.1-70b needs 131.4 GiB of weights + 40.0 GiB of KV cache for 4 × 32k tokens (+ 2.0 GiB runtime reserve per GPU); ' +
        'pool l40s offers 2 GPUs × 48 GiB × 0.90 = 86.4 GiB per node; at tensor-parallel size 2 each GPU would need 87.7 GiB of 43.2 GiB',
    );
  });

  test('fails with code CAPACITY when a fixed TP exceeds the GPUs per node', () => {
    let err: unknown;
    try {
      planCapacity(
        {
          arch: llama8b,
          weightBytes: 1,
          maxModelLenTokens: 1024,
          concurrentSequences: 1,
          gpuMemoryUtilization: 0.9,
          tensorParallelSize: 4,
        },
        l40s,
      );
    } catch (e) {
      err = e;
    }
    expect(isSovereignError(err) && err.code).toBe('CAPACITY');
    expect((err as Error).message).toContain(
      'tensor-parallel size 4 needs 4 GPUs on one node; pool l40s has 2 GPUs per node',
    );
  });

  test('fails when a fixed TP does not divide the heads', () => {
    const msg = errorOf(() =>
      planCapacity(
        {
          arch: qwen7b,
          weightBytes: 1,
          maxModelLenTokens: 1024,
          concurrentSequences: 1,
          gpuMemoryUtilization: 0.9,
          tensorParallelSize: 7,
        },
        h100,
      ),
    );
    expect(msg).toContain(
      "tensor-parallel size 7 does not divide qwen2.5-7b's 28 attention heads / 4 KV heads; allowed up to 8 GPUs: 1, 2, 4",
    );
  });
});

describe('catalogue', () => {
  test('has at least six architectures, each with its config.json source and consistent heads', () => {
    const all = Object.values(MODEL_CATALOGUE);
    expect(all.length).toBeGreaterThanOrEqual(6);
    for (const m of all) {
      expect(m.source).toMatch(
        /^https:\/\/(huggingface\.co\/.+\/config\.json|github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{7,40}\/.+)$/,
      );
      expect(m.attentionHeads % m.kvHeads).toBe(0);
      expect(MODEL_CATALOGUE[m.name]).toBe(m);
    }
    expect(catalogueModel('nope')).toBeUndefined();
    expect(catalogueModel('toString')).toBeUndefined();
  });
});
