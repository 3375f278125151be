/**
 * The planner on the models people run now: MoE + MLA (DeepSeek-V3, FP8), MXFP4 (gpt-oss-120b)
 * and a GGUF k-quant (Llama-3.1-8B Q4_K_M), each against figures computed by hand from the
 * model's own configuration (the arithmetic is in each comment).
 */
import {
  GGUF_BITS_PER_WEIGHT,
  GGUF_BLOCK_BITS,
  GIB,
  type ModelArchitecture,
  activeParameters,
  expertParallelApplies,
  ggufWeightBytes,
  kvBytesPerToken,
  kvBytesPerTokenPerGpu,
  planAt,
  planCapacity,
  routedExpertParameters,
  weightBytes,
} from '../../constructs/capacity';
import { refusal } from '../support/refusal';
import { MODEL_CATALOGUE } from '../../constructs/model-catalogue';
import { architectureProblems } from '../../constructs/server-plan';
import { LICENCES } from '../../policy/licences/catalogue';

const dsv3 = MODEL_CATALOGUE['deepseek-v3'];
const gptoss = MODEL_CATALOGUE['gpt-oss-120b'];
const llama8b = MODEL_CATALOGUE['llama-3.1-8b'];

describe('DeepSeek-V3 FP8: MoE + MLA (deepseek-ai/DeepSeek-V3 inference/configs/config_671B.json @ 9b4e978)', () => {
  test('parameters: all 256 experts resident, 8 + 1 shared active per token', () => {
    // routed experts = 58 MoE layers (61 − n_dense_layers 3) × 256 × 3 × 7168 × 2048
    //                = 653,908,770,816
    expect(routedExpertParameters(dsv3)).toBe(653_908_770_816);
    // active = 671,026,419,200 − 653,908,770,816 × (256 − 8) / 256 = 37,552,297,472 (README: 37B)
    expect(activeParameters(dsv3)).toBe(37_552_297_472);
    expect(dsv3.parameters).toBe(671_026_419_200);
  });

  test('weights: FP8 with one float32 scale per 128 × 128 block, embedding and head in bf16', () => {
    // embedding + head = 2 × 129280 × 7168 = 1,853,358,080 parameters at 2 bytes = 3,706,716,160
    // quantized = 671,026,419,200 − 1,853,358,080 = 669,173,061,120 at 1 + 4/16384 bytes
    //           = 669,173,061,120 + 163,372,329.375
    // total = 673,043,149,609.375 B = 626.82 GiB
    expect(weightBytes(dsv3, 'fp8')).toBe(673_043_149_609.375);
    expect(weightBytes(dsv3, 'fp8') / GIB).toBeCloseTo(626.82, 2);
  });

  test('KV cache: the MLA latent, 61 × (512 + 64) × 2 B = 70,272 B per token, whole on every TP rank', () => {
    expect(kvBytesPerToken(dsv3)).toBe(70_272);
    // heads × head dim would say 2 × 61 × 128 × 192 × 2 = 5,996,544 B: 85 × too much
    expect(2 * 61 * 128 * 192 * 2).toBe(5_996_544);
    // vLLM keeps one latent "head" per rank (vllm/config/model.py get_num_kv_heads): not split
    for (const tp of [1, 2, 8, 16]) expect(kvBytesPerTokenPerGpu(dsv3, tp)).toBe(70_272);
    expect(kvBytesPerToken(dsv3, 'fp8')).toBe(35_136);
  });

  const req = {
    arch: dsv3,
    weightBytes: weightBytes(dsv3, 'fp8'),
    maxModelLenTokens: 32_768,
    concurrentSequences: 4,
    gpuMemoryUtilization: 0.9,
  };

  test('fits 8 × 141 GiB at TP 8 with expert parallel', () => {
    // per GPU = 626.82 / 8 = 78.35 GiB weights + 4 × 32768 × 70,272 B = 8.58 GiB latent cache
    //         + 2 GiB reserve = 88.93 GiB ≤ 141 × 0.9 = 126.9 GiB; TP 4 would need 167.3 GiB
    const plan = planCapacity(req, { poolName: 'h200', gpusPerNode: 8, gpuMemoryGiB: 141 });
    expect(plan.tensorParallelSize).toBe(8);
    expect(plan.kvCacheBytesPerGpu).toBe(4 * 32_768 * 70_272);
    expect(plan.requiredBytesPerGpu / GIB).toBeCloseTo(88.93, 2);
    expect(plan.expertParallel).toBe(true);
    expect(plan.activeParameters).toBe(37_552_297_472);
  });

  test('fails on one 8 × 80 GiB node, with the numbers', () => {
    // 78.35 + 8.58 + 2 = 88.93 GiB per GPU > 80 × 0.9 = 72 GiB
    const msg = refusal(() => planCapacity(req, { poolName: 'h100', gpusPerNode: 8, gpuMemoryGiB: 80 }));
    expect(msg).toContain('deepseek-v3 (MoE: 671.0B parameters, all experts resident; 37.6B active)');
    expect(msg).toContain(
      'needs 626.8 GiB of weights + 8.6 GiB of MLA latent cache (held whole on every GPU)',
    );
    expect(msg).toContain('at tensor-parallel size 8 each GPU would need 88.9 GiB of 72.0 GiB');
  });

  test('across 16 GPUs the weights per GPU halve but the latent cache does not', () => {
    const at16 = planAt(req, { poolName: 'two-nodes', gpusPerNode: 16, gpuMemoryGiB: 80 }, 16);
    // 626.82 / 16 = 39.18 GiB + 8.58 + 2 = 49.75 GiB ≤ 72 GiB
    expect(at16.weightBytesPerGpu / GIB).toBeCloseTo(39.18, 2);
    expect(at16.kvCacheBytesPerGpu).toBe(4 * 32_768 * 70_272);
    expect(at16.requiredBytesPerGpu / GIB).toBeCloseTo(49.75, 2);
    expect(at16.fits).toBe(true);
  });
});

describe('gpt-oss-120b MXFP4 (openai/gpt-oss gpt_oss/torch/model.py ModelConfig @ 7b58334)', () => {
  test('weights: MXFP4 experts at 17/32 byte, everything else bf16', () => {
    // experts = 36 × 128 × 3 × 2880 × 2880 = 114,661,785,600 at 17/32 B = 60,914,073,600
    // rest    = 116,829,156,672 − 114,661,785,600 = 2,167,371,072 at 2 B = 4,334,742,144
    // total   = 65,248,815,744 B = 60.77 GiB
    expect(routedExpertParameters(gptoss)).toBe(114_661_785_600);
    expect(weightBytes(gptoss, 'mxfp4')).toBe(65_248_815_744);
    expect(weightBytes(gptoss, 'mxfp4') / GIB).toBeCloseTo(60.77, 2);
    // active = 116,829,156,672 − 114,661,785,600 × 124/128 = 5,750,551,872
    expect(activeParameters(gptoss)).toBe(5_750_551_872);
  });

  test('gpt-oss-20b: the same rule gives its checkpoint to the byte', () => {
    // 24 × 32 × 3 × 2880 × 2880 = 19,110,297,600 expert weights × 17/32 = 10,152,345,600
    // + (20,914,757,184 − 19,110,297,600) × 2 = 3,608,919,168 → 13,761,264,768 B, the
    // total_size in openai/gpt-oss-20b's model.safetensors.index.json
    expect(weightBytes(MODEL_CATALOGUE['gpt-oss-20b'], 'mxfp4')).toBe(13_761_264_768);
    // active 4,193,246,784; the README's "3.6B active" leaves out the 201088 × 2880 embedding
    // table (a lookup): 4,193,246,784 − 579,133,440 = 3,614,113,344. Likewise 120b: 5.17B ("5.1B")
    expect(activeParameters(MODEL_CATALOGUE['gpt-oss-20b'])).toBe(4_193_246_784);
    expect(activeParameters(MODEL_CATALOGUE['gpt-oss-20b']) - 201_088 * 2880).toBe(3_614_113_344);
    expect((activeParameters(gptoss) - 201_088 * 2880) / 1e9).toBeCloseTo(5.17, 2);
  });

  test('KV: 2 × 36 × 8 × 64 × 2 B = 73,728 B per token', () => {
    expect(kvBytesPerToken(gptoss)).toBe(73_728);
  });

  const req = (seqs: number) => ({
    arch: gptoss,
    weightBytes: weightBytes(gptoss, 'mxfp4'),
    maxModelLenTokens: 16_384,
    concurrentSequences: seqs,
    gpuMemoryUtilization: 0.9,
  });
  const h100 = { poolName: 'h100', gpusPerNode: 8, gpuMemoryGiB: 80 };

  test('one 80 GiB GPU holds it with 8 × 16k tokens', () => {
    // 60.77 + 8 × 16384 × 73,728 B (9.00 GiB) + 2 = 71.77 GiB ≤ 72 GiB
    const plan = planCapacity(req(8), h100);
    expect(plan.tensorParallelSize).toBe(1);
    expect(plan.requiredBytesPerGpu / GIB).toBeCloseTo(71.77, 2);
    expect(plan.expertParallel).toBe(false);
  });

  test('16 × 16k needs two GPUs, expert parallel', () => {
    // TP 1: 60.77 + 18.00 + 2 = 80.77 > 72; TP 2: 30.38 + 9.00 (4 of 8 KV heads) + 2 = 41.38
    const plan = planCapacity(req(16), h100);
    expect(plan.tensorParallelSize).toBe(2);
    expect(plan.requiredBytesPerGpu / GIB).toBeCloseTo(41.38, 2);
    expect(plan.expertParallel).toBe(true);
    expect(expertParallelApplies(gptoss, 2)).toBe(true);
    expect(expertParallelApplies(llama8b, 2)).toBe(false);
  });

  test('fails on a 48 GiB GPU with tensor parallelism ruled out, with the numbers', () => {
    const msg = refusal(() =>
      planCapacity(
        { ...req(8), tensorParallelSize: 1 },
        { poolName: 'l40s', gpusPerNode: 1, gpuMemoryGiB: 48 },
      ),
    );
    // 71.77 GiB per GPU against 48 × 0.9 = 43.2 GiB
    expect(msg).toContain(
      'gpt-oss-120b (MoE: 116.8B parameters, all experts resident; 5.8B active) needs 60.8 GiB of weights',
    );
    expect(msg).toContain('each GPU would need 71.8 GiB of 43.2 GiB');
  });
});

describe('GGUF Q4_K_M (llama.cpp), Llama-3.1-8B (meta-llama/Llama-3.1-8B-Instruct config.json)', () => {
  test('file size: 8,030,261,248 × 4.90 bits / 8 = 4,918,535,014.4 B = 4.58 GiB', () => {
    // llama.cpp tools/quantize/quantize.cpp lists Q4_K_M as "4.58G" for Llama-3-8B
    expect(ggufWeightBytes(llama8b, 'Q4_K_M')).toBeCloseTo(4_918_535_014.4, 1);
    expect(ggufWeightBytes(llama8b, 'q4_k_m') / GIB).toBeCloseTo(4.58, 2);
  });

  test('every file-level figure is at least its base ggml block (Q4_K: 144 B per 256 = 4.5 bits)', () => {
    expect(GGUF_BLOCK_BITS.Q4_K_M).toBe(4.5);
    expect(GGUF_BLOCK_BITS.Q8_0).toBe(8.5);
    expect(GGUF_BLOCK_BITS.Q6_K).toBe(6.5625);
    expect(Object.keys(GGUF_BLOCK_BITS).sort()).toEqual(Object.keys(GGUF_BITS_PER_WEIGHT).sort());
    for (const [k, bits] of Object.entries(GGUF_BITS_PER_WEIGHT)) {
      expect([k, bits >= GGUF_BLOCK_BITS[k]]).toEqual([k, true]);
      // the mixes add less than one bit (Q3_K_L the most: 4.31 against 3.44)
      expect([k, bits - GGUF_BLOCK_BITS[k] < 1]).toEqual([k, true]);
    }
  });

  test('an unknown type is refused naming the known ones', () => {
    expect(() => ggufWeightBytes(llama8b, 'Q4_K_X')).toThrow(
      /unknown GGUF quantization "Q4_K_X"; known: Q2_K/,
    );
  });
});

describe('quantized bytes with scales and zero points', () => {
  const dense: ModelArchitecture = {
    name: 'dense',
    parameters: 8_030_261_248,
    layers: 32,
    attentionHeads: 32,
    kvHeads: 8,
    headDim: 128,
    maxContextTokens: 131_072,
    nativeFormat: 'bf16',
    hiddenSize: 4096,
    vocabSize: 128_256,
  };
  test('AWQ/GPTQ INT4 group 128: 0.5 + (2 B fp16 scale + 0.5 B packed zero) / 128 per weight', () => {
    // embedding + head = 2 × 128256 × 4096 = 1,050,673,152 at 2 B = 2,101,346,304
    // quantized = 6,979,588,096 × (0.5 + 2.5/128) = 3,489,794,048 + 136,320,080 = 3,626,114,128
    expect(weightBytes(dense, 'awq')).toBe(2_101_346_304 + 3_626_114_128);
    expect(weightBytes(dense, 'gptq')).toBe(weightBytes(dense, 'awq'));
  });
  test('without hiddenSize and vocabSize the stated overheads apply (as before)', () => {
    const { hiddenSize: _h, vocabSize: _v, ...bare } = dense;
    expect(weightBytes(bare, 'awq')).toBeCloseTo(8_030_261_248 * 0.5 * 1.1, 2);
  });
});

describe('architecture checks for MoE and MLA numbers', () => {
  const moe = (over: Partial<NonNullable<ModelArchitecture['moe']>>, arch: Partial<ModelArchitecture> = {}) =>
    architectureProblems({
      ...gptoss,
      ...arch,
      moe: { ...(gptoss.moe as NonNullable<ModelArchitecture['moe']>), ...over },
    }).map((p) => `${p.path}  ${p.message}`);

  test('the catalogue entries pass', () => {
    for (const m of Object.values(MODEL_CATALOGUE))
      expect([m.name, architectureProblems(m)]).toEqual([m.name, []]);
  });
  test('fails when experts per token exceed the experts', () => {
    expect(moe({ expertsPerToken: 129 })).toContain(
      'architecture.moe.expertsPerToken  129 experts per token is more than the 128 experts (num_experts_per_tok ≤ n_routed_experts)',
    );
  });
  test('fails when the experts hold more than the total (active would be negative)', () => {
    expect(moe({}, { parameters: 100e9 }).join('\n')).toContain(
      'architecture.moe  the routed experts alone hold 36 layers × 128 experts × 3 × 2880 × 2880 = 114.66B parameters, more than the 100.00B total',
    );
  });
  test('fails when MoE layers exceed layers, or counts are not whole', () => {
    expect(moe({ moeLayers: 40 })).toContain(
      "architecture.moe.moeLayers  40 MoE layers is more than the model's 36 layers",
    );
    expect(moe({ experts: 0 }).join('\n')).toContain('architecture.moe.experts');
    expect(moe({ sharedExperts: -1 }).join('\n')).toContain(
      'architecture.moe.sharedExperts  -1 must be a whole number ≥ 0',
    );
  });
  test('fails for MXFP4 without the experts, or MoE without hiddenSize', () => {
    const { moe: _m, ...dense } = gptoss;
    expect(architectureProblems(dense).map((p) => p.path)).toContain('architecture.dtype');
    const { hiddenSize: _h, ...noHidden } = gptoss;
    expect(architectureProblems(noHidden).map((p) => p.path)).toContain('architecture.hiddenSize');
  });
  test('fails for a non-positive MLA rank', () => {
    expect(
      architectureProblems({ ...dsv3, mla: { kvLoraRank: 0, qkRopeHeadDim: 64 } }).map((p) => p.path),
    ).toContain('architecture.mla.kvLoraRank');
  });
});

describe("catalogue counts recomputed from the publishers' configurations", () => {
  // meta-llama/llama-models models/llama3/model.py FeedForward: hidden = multiple_of ×
  // ceil(int(ffn_dim_multiplier × int(2 × 4 × dim / 3)) / multiple_of)
  const ffn = (dim: number, mult: number, multipleOf: number) =>
    multipleOf * Math.ceil(Math.trunc(mult * Math.trunc((2 * 4 * dim) / 3)) / multipleOf);
  const llama = (dim: number, layers: number, kv: number, mult: number, multipleOf: number) =>
    2 * 128_256 * dim +
    layers * (2 * dim * dim + 2 * dim * kv * 128 + 3 * dim * ffn(dim, mult, multipleOf) + 2 * dim) +
    dim;

  test('Llama 3.x (models/sku_list.py): the formula reproduces the 8B and 70B safetensors counts', () => {
    expect(ffn(4096, 1.3, 1024)).toBe(14_336);
    expect(llama(4096, 32, 8, 1.3, 1024)).toBe(MODEL_CATALOGUE['llama-3.1-8b'].parameters);
    expect(llama(8192, 80, 8, 1.3, 4096)).toBe(MODEL_CATALOGUE['llama-3.3-70b'].parameters);
    expect(MODEL_CATALOGUE['llama-3.3-70b'].parameters).toBe(MODEL_CATALOGUE['llama-3.1-70b'].parameters);
    expect(ffn(16384, 1.2, 4096)).toBe(53_248);
    expect(llama(16384, 126, 8, 1.2, 4096)).toBe(MODEL_CATALOGUE['llama-3.1-405b'].parameters);
  });

  test("Qwen3: the counts derived from the configuration match the publisher's model cards", () => {
    const qwen3 = (h: number, layers: number, heads: number, kv: number, mlp: number) =>
      2 * 151_936 * h +
      layers * (h * heads * 128 + 2 * h * kv * 128 + heads * 128 * h + 2 * 128 + 2 * h + mlp) +
      h;
    expect(qwen3(4096, 36, 32, 8, 3 * 4096 * 12288)).toBe(MODEL_CATALOGUE['qwen3-8b'].parameters); // card: 8.2B
    const a3b = MODEL_CATALOGUE['qwen3-30b-a3b'];
    expect(qwen3(2048, 48, 32, 4, 2048 * 128 + 128 * 3 * 2048 * 768)).toBe(a3b.parameters);
    expect(activeParameters(a3b)).toBe(3_353_032_704); // card: 30.5B total, 3.3B activated
    const a22b = MODEL_CATALOGUE['qwen3-235b-a22b'];
    expect(qwen3(4096, 94, 64, 4, 4096 * 128 + 128 * 3 * 4096 * 1536)).toBe(a22b.parameters);
    expect(activeParameters(a22b)).toBe(22_190_763_520); // card: 235B total, 22B activated
    // card: 234B without the embedding and head
    expect((a22b.parameters - 2 * 151_936 * 4096) / 1e9).toBeCloseTo(233.85, 2);
  });

  test('Mixtral 8x7B: 12.9B of 46.7B parameters active', () => {
    const m = MODEL_CATALOGUE['mixtral-8x7b'];
    expect(
      2 * 32_000 * 4096 +
        32 * (2 * 4096 ** 2 + 2 * 4096 * 1024 + 4096 * 8 + 8 * 3 * 4096 * 14336 + 2 * 4096) +
        4096,
    ).toBe(m.parameters);
    expect(activeParameters(m)).toBe(12_879_925_248);
  });

  test("DeepSeek-R1 is DeepSeek-V3's architecture under another licence", () => {
    const { name: _a, licence: _b, ...r1 } = MODEL_CATALOGUE['deepseek-r1'];
    const { name: _c, licence: _d, ...v3 } = dsv3;
    expect(r1).toEqual(v3);
  });
});

describe('licences of the catalogue', () => {
  test('every catalogue model names a licence the licence catalogue lists', () => {
    const ids = new Set(LICENCES.map((l) => l.id));
    for (const m of Object.values(MODEL_CATALOGUE))
      expect([m.name, ids.has(m.licence ?? '')]).toEqual([m.name, true]);
    expect(MODEL_CATALOGUE['deepseek-r1'].licence).toBe('MIT');
    expect(MODEL_CATALOGUE['deepseek-v3'].licence).toBe('deepseek');
    expect(MODEL_CATALOGUE['gpt-oss-120b'].licence).toBe('gpt-oss');
  });
});
