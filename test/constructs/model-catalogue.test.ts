/**
 * The catalogue's current families: Gemma 3 27B and Mistral Small 3.1 24B (multimodal, dense,
 * bf16) and Kimi K2 (MoE + MLA, FP8). Each count is recomputed here from the configuration the
 * entry cites, and the planner's weights and KV-cache bytes are checked against figures worked
 * out by hand (the arithmetic is in the comments).
 */
import {
  GIB,
  activeParameters,
  kvBytesPerToken,
  kvBytesPerTokenPerGpu,
  planAt,
  planCapacity,
  quantizedParameters,
  routedExpertParameters,
  validTensorParallelSizes,
  weightBytes,
} from '../../constructs/capacity';
import { refusal } from '../support/refusal';
import { MODEL_CATALOGUE, catalogueModel } from '../../constructs/model-catalogue';
import { architectureProblems } from '../../constructs/server-plan';
import { licenceById } from '../../policy/licences/catalogue';

const gemma = MODEL_CATALOGUE['gemma-3-27b'];
const mistral = MODEL_CATALOGUE['mistral-small-3.1-24b'];
const kimi = MODEL_CATALOGUE['kimi-k2'];
const dsv3 = MODEL_CATALOGUE['deepseek-v3'];

const h100 = { poolName: 'h100', gpusPerNode: 8, gpuMemoryGiB: 80 };

describe('Gemma 3 27B (google/gemma_pytorch gemma/config.py get_config_for_27b_v3 @ 014acb7)', () => {
  test('parameters: text decoder + SigLIP tower + projector = 27,432,406,640', () => {
    // head_dim 128 is given explicitly: 32 heads × 128 = 4096 ≠ hidden 5376
    const [h, heads, kv, hd, ffn] = [5376, 32, 16, 128, 5376 * 4];
    const layer = h * heads * hd + 2 * h * kv * hd + heads * hd * h + 2 * hd + 3 * h * ffn + 4 * h;
    expect(layer).toBe(412_898_560);
    const text = 262_208 * h + 62 * layer + h; // embedding tied to the head: counted once
    expect(text).toBe(27_009_346_304);
    const siglipLayer =
      2 * 1152 + 4 * (1152 * 1152 + 1152) + 2 * 1152 + (1152 * 4304 + 4304) + (4304 * 1152 + 1152);
    const siglip = 3 * 14 * 14 * 1152 + 1152 + (896 / 14) ** 2 * 1152 + 27 * siglipLayer + 2 * 1152;
    expect(siglip).toBe(416_866_032);
    const projector = 1152 * h + 1152;
    expect(text + siglip + projector).toBe(gemma.parameters);
    // "27B": the text decoder alone is 27.0B
    expect(gemma.parameters / 1e9).toBeCloseTo(27.43, 2);
    expect(text / 1e9).toBeCloseTo(27.01, 2);
    // 262,208 = the reference tokenizer's 262,144 entries + 64 padding rows in the checkpoint
    expect(gemma.vocabSize! - 262_144).toBe(64);
  });

  test('weights: bf16 = 2 B × 27,432,406,640 = 54,864,813,280 B = 51.10 GiB', () => {
    expect(weightBytes(gemma, 'bf16')).toBe(54_864_813_280);
    expect(weightBytes(gemma, 'bf16') / GIB).toBeCloseTo(51.1, 2);
  });

  test('weights: fp8 keeps the one tied embedding in bf16', () => {
    // quantized = 27,432,406,640 − 262208 × 5376 (tied: once) = 26,022,776,432 at 1 + 4/16384 B
    //           = 26,029,129,648.902…; embedding 1,409,630,208 × 2 = 2,819,260,416
    expect(quantizedParameters(gemma, 'fp8')).toBe(26_022_776_432);
    expect(weightBytes(gemma, 'fp8')).toBeCloseTo(28_848_390_064.902, 2);
  });

  test('KV cache: all 62 layers counted at full length, 2 × 62 × 16 × 128 × 2 B = 507,904 B per token', () => {
    expect(kvBytesPerToken(gemma)).toBe(507_904);
    expect(kvBytesPerToken(gemma, 'fp8')).toBe(253_952);
    // TP 2 splits the 16 KV heads; TP 32 keeps one replicated head per GPU
    expect(kvBytesPerTokenPerGpu(gemma, 2)).toBe(253_952);
    expect(kvBytesPerTokenPerGpu(gemma, 32)).toBe(2 * 62 * 1 * 128 * 2);
    // Every layer at full length (the figure without a KV layout): only the 10 global layers
    // (every sixth of 62) keep every token; the 52 sliding layers keep 1024, which the engine
    // layouts count (test/constructs/sliding-window.test.ts). Past the window the cost per token
    // is 2 × 10 × 16 × 128 × 2.
    const globalOnly = 2 * Math.floor(62 / 6) * 16 * 128 * 2;
    expect(globalOnly).toBe(81_920);
    expect(kvBytesPerToken(gemma) / globalOnly).toBe(6.2);
  });

  test('tensor-parallel sizes divide 32 heads and 16 KV heads (or replicate them)', () => {
    expect(validTensorParallelSizes(gemma, 8)).toEqual([1, 2, 4, 8]);
    expect(architectureProblems(gemma)).toEqual([]);
  });

  const req = (seqs: number) => ({
    arch: gemma,
    weightBytes: weightBytes(gemma, 'bf16'),
    maxModelLenTokens: 8192,
    concurrentSequences: seqs,
    gpuMemoryUtilization: 0.9,
  });

  test('4 × 8k tokens fit one 80 GiB GPU', () => {
    // 51.10 + 4 × 8192 × 507,904 B (15.50 GiB) + 2 = 68.60 GiB ≤ 72 GiB
    const plan = planCapacity(req(4), h100);
    expect(plan.tensorParallelSize).toBe(1);
    expect(plan.kvCacheBytes).toBe(4 * 8192 * 507_904);
    expect(plan.requiredBytesPerGpu / GIB).toBeCloseTo(68.6, 2);
  });

  test('8 × 8k tokens need two GPUs', () => {
    // TP 1: 51.10 + 31.00 + 2 = 84.10 > 72; TP 2: 25.55 + 15.50 + 2 = 43.05
    expect(planAt(req(8), h100, 1).fits).toBe(false);
    const plan = planCapacity(req(8), h100);
    expect(plan.tensorParallelSize).toBe(2);
    expect(plan.requiredBytesPerGpu / GIB).toBeCloseTo(43.05, 2);
  });
});

describe('Mistral Small 3.1 24B (mistralai/Mistral-Small-3.1-24B-Instruct-2503 config.json)', () => {
  test('parameters: text decoder + Pixtral tower + projector = 24,011,361,280', () => {
    // head_dim 128 is given explicitly: 32 × 128 = 4096 ≠ hidden 5120
    const [h, heads, kv, hd, ffn] = [5120, 32, 8, 128, 32768];
    const text =
      2 * 131_072 * h + 40 * (h * heads * hd + 2 * h * kv * hd + heads * hd * h + 3 * h * ffn + 2 * h) + h;
    expect(text).toBe(23_572_403_200);
    const pixtral = 3 * 14 * 14 * 1024 + 1024 + 24 * (2 * 1024 + 4 * 1024 * 1024 + 3 * 1024 * 4096);
    expect(pixtral).toBe(403_305_472);
    const projector = 1024 + 4 * 1024 * 1024 + 1024 * h + h * h;
    expect(projector).toBe(35_652_608);
    expect(text + pixtral + projector).toBe(mistral.parameters);
    expect(mistral.parameters / 1e9).toBeCloseTo(24.01, 2); // "24B"
  });

  test('weights and KV: 48,022,722,560 B bf16; 2 × 40 × 8 × 128 × 2 = 163,840 B per token', () => {
    expect(weightBytes(mistral, 'bf16')).toBe(48_022_722_560);
    expect(weightBytes(mistral, 'bf16') / GIB).toBeCloseTo(44.72, 2);
    expect(kvBytesPerToken(mistral)).toBe(163_840);
    expect(kvBytesPerTokenPerGpu(mistral, 16)).toBe(2 * 40 * 1 * 128 * 2);
  });

  test('fails on one 48 GiB GPU, fits on two', () => {
    const req = {
      arch: mistral,
      weightBytes: weightBytes(mistral, 'bf16'),
      maxModelLenTokens: 16_384,
      concurrentSequences: 2,
      gpuMemoryUtilization: 0.9,
    };
    // TP 1: 44.72 + 2 × 16384 × 163,840 B (5.00 GiB) + 2 = 51.72 GiB > 48 × 0.9 = 43.2 GiB
    const msg = refusal(() => planCapacity(req, { poolName: 'l40s', gpusPerNode: 1, gpuMemoryGiB: 48 }));
    expect(msg).toContain('mistral-small-3.1-24b needs 44.7 GiB of weights + 5.0 GiB of KV cache');
    expect(msg).toContain('each GPU would need 51.7 GiB of 43.2 GiB');
    // TP 2: 22.36 + 2.50 + 2 = 26.86 GiB
    const plan = planCapacity(req, { poolName: 'l40s', gpusPerNode: 2, gpuMemoryGiB: 48 });
    expect(plan.tensorParallelSize).toBe(2);
    expect(plan.requiredBytesPerGpu / GIB).toBeCloseTo(26.86, 2);
  });
});

describe('Kimi K2 (MoonshotAI/Kimi-K2 README.md @ c6157be; Megatron-Bridge kimi_provider.py @ 2afd2d3)', () => {
  test('parameters: 384 experts resident, 8 + 1 shared active per token', () => {
    const h = 7168;
    const mla = h * 1536 + 1536 + 1536 * 64 * 192 + h * 576 + 512 + 512 * 64 * 256 + 64 * 128 * h;
    expect(mla).toBe(101_124_096);
    const dense = mla + 2 * h + 3 * h * 18432;
    const moe = mla + 2 * h + 384 * 3 * h * 2048 + 3 * h * 2048 + 384 * h + 384;
    expect(dense + 60 * moe + 2 * 163_840 * h + h).toBe(kimi.parameters); // "1T"
    // routed = 60 MoE layers (61 − first_k_dense_replace 1) × 384 × 3 × 7168 × 2048
    expect(routedExpertParameters(kimi)).toBe(1_014_686_023_680);
    // active = 1,026,408,232,448 − 1,014,686,023,680 × 376/384 = 32,861,500,928 ("32B activated")
    expect(activeParameters(kimi)).toBe(32_861_500_928);
    expect(architectureProblems(kimi)).toEqual([]);
  });

  test('weights: FP8 in 128 × 128 blocks, embedding and head in bf16 = 958.34 GiB', () => {
    // quantized = 1,026,408,232,448 − 2 × 163840 × 7168 = 1,024,059,422,208 at 1 + 4/16384 B
    //           = 1,024,309,436,715.375; + 2,348,810,240 × 2 = 1,029,007,057,195.375 B
    expect(weightBytes(kimi, 'fp8')).toBe(1_029_007_057_195.375);
    expect(weightBytes(kimi, 'fp8') / GIB).toBeCloseTo(958.34, 2);
  });

  test("KV cache: DeepSeek-V3's latent, 61 × (512 + 64) × 2 B = 70,272 B per token, on every GPU", () => {
    expect(kvBytesPerToken(kimi)).toBe(70_272);
    expect(kvBytesPerToken(kimi)).toBe(kvBytesPerToken(dsv3));
    for (const tp of [1, 8, 16, 64]) expect(kvBytesPerTokenPerGpu(kimi, tp)).toBe(70_272);
  });

  const req = {
    arch: kimi,
    weightBytes: weightBytes(kimi, 'fp8'),
    maxModelLenTokens: 32_768,
    concurrentSequences: 4,
    gpuMemoryUtilization: 0.9,
  };

  test('fails on one 8 × 141 GiB node, with the numbers (the publisher deploys it on 16 GPUs)', () => {
    // 958.34 / 8 = 119.79 + 4 × 32768 × 70,272 B (8.58 GiB) + 2 = 130.37 GiB > 141 × 0.9 = 126.9
    const msg = refusal(() => planCapacity(req, { poolName: 'h200', gpusPerNode: 8, gpuMemoryGiB: 141 }));
    expect(msg).toContain('kimi-k2 (MoE: 1026.4B parameters, all experts resident; 32.9B active)');
    expect(msg).toContain(
      'needs 958.3 GiB of weights + 8.6 GiB of MLA latent cache (held whole on every GPU)',
    );
    expect(msg).toContain('at tensor-parallel size 8 each GPU would need 130.4 GiB of 126.9 GiB');
  });

  test('fits 16 × 80 GiB: the weights per GPU halve, the latent cache does not', () => {
    // 958.34 / 16 = 59.90 + 8.58 + 2 = 70.47 GiB ≤ 72 GiB
    const at16 = planAt(req, { poolName: 'two-nodes', gpusPerNode: 16, gpuMemoryGiB: 80 }, 16);
    expect(at16.weightBytesPerGpu / GIB).toBeCloseTo(59.9, 2);
    expect(at16.kvCacheBytesPerGpu).toBe(4 * 32_768 * 70_272);
    expect(at16.requiredBytesPerGpu / GIB).toBeCloseTo(70.47, 2);
    expect(at16.fits).toBe(true);
    expect(at16.expertParallel).toBe(true);
  });
});

describe('catalogue entries of the current families', () => {
  test('each is found by id and names a licence the licence catalogue lists', () => {
    expect(catalogueModel('gemma-3-27b')?.licence).toBe('gemma');
    expect(catalogueModel('mistral-small-3.1-24b')?.licence).toBe('Apache-2.0');
    expect(catalogueModel('kimi-k2')?.licence).toBe('kimi-k2-modified-mit');
    for (const m of [gemma, mistral, kimi]) expect(licenceById(m.licence!)).toBeDefined();
    // the Gemma Terms of Use are not an OSI licence: no SPDX id, and clauses the gate judges
    expect(licenceById('gemma')?.spdx).toBeUndefined();
    expect(licenceById('gemma')?.clauses.map((c) => c.class)).toEqual(
      expect.arrayContaining(['unilateral-change', 'remote-restriction']),
    );
    expect(licenceById('gemma')?.covers).toContain('Gemma 3');
  });

  test('lookalike ids are not catalogue entries', () => {
    for (const id of [
      'Gemma-3-27b',
      'gemma-3-27b ',
      'kimi_k2',
      'mistral-small-3.1',
      'constructor',
      '__proto__',
    ])
      expect(catalogueModel(id)).toBeUndefined();
  });

  test('every source is an https URL, at a commit where it is a source repository', () => {
    expect(gemma.source).toBe('https://github.com/google/gemma_pytorch/blob/014acb7/gemma/config.py');
    expect(mistral.source).toBe(
      'https://huggingface.co/mistralai/Mistral-Small-3.1-24B-Instruct-2503/blob/main/config.json',
    );
    expect(kimi.source).toMatch(/^https:\/\/github\.com\/NVIDIA-NeMo\/Megatron-Bridge\/blob\/2afd2d3\//);
  });
});
