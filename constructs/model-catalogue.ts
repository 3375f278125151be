/**
 * Built-in architectures of popular open-weight models, for the capacity planner. Every number
 * is copied from the model's `config.json` on its publisher's repository (URL in `source`);
 * `parameters` is the total tensor element count the publisher's safetensors index reports
 * (shown as "Model size" on the model page). A model that is not here is described by the user
 * with the same fields (see ModelArchitecture).
 *
 * Where the Hugging Face config.json could not be read, the publisher's own configuration in its
 * source repository is cited instead (DeepSeek-V3/R1, gpt-oss, Gemma 3), at a commit, or a
 * third-party reproduction of the whole configuration checked against the publisher's model
 * summary (Qwen3, gpt-oss-20b, Kimi K2); the derived counts show their arithmetic. For a
 * multimodal model (Gemma 3, Mistral Small 3.1) the numbers are the text decoder's (its
 * `text_config`) and `parameters` includes the vision tower and projector, which the engine
 * loads too. `licence` names the weights' licence in policy/licences/catalogue.ts.
 *
 * Only architecture numbers live here: nothing is ever downloaded from these URLs at run time.
 */
import type { ModelArchitecture } from './capacity';

const hf = (repo: string): string => `https://huggingface.co/${repo}/blob/main/config.json`;
const gh = (repo: string, commit: string, path: string): string =>
  `https://github.com/${repo}/blob/${commit}/${path}`;

/** deepseek-ai/DeepSeek-V3 at the commit read: inference config and weight documentation. */
const DEEPSEEK_V3_COMMIT = '9b4e9788e4a3a731f7567338ed15d3ec549ce03b';

/**
 * DeepSeek-V3 architecture, from the publisher's inference config
 * (inference/configs/config_671B.json: vocab_size 129280, dim 7168, inter_dim 18432,
 * moe_inter_dim 2048, n_layers 61, n_dense_layers 3, n_heads 128, n_routed_experts 256,
 * n_shared_experts 1, n_activated_experts 8, q_lora_rank 1536, kv_lora_rank 512,
 * qk_nope_head_dim 128, qk_rope_head_dim 64, v_head_dim 128, dtype fp8) and README_WEIGHTS.md
 * (FP8 e4m3 with 128 × 128 block scales; the 14B-parameter MTP module, loaded only for
 * speculative decoding, is not counted). Context 128K (README.md model table).
 *
 * parameters, counted from those numbers (the README states "671B"):
 *   attention per layer (MLA) = 7168×1536 + 1536 + 1536×128×192 + 7168×576 + 512 + 512×128×256
 *                               + 128×128×7168 = 187,107,328; norms 2 × 7168 = 14,336
 *   dense MLP (layers 0–2)    = 3 × 7168 × 18432 = 396,361,728
 *   MoE MLP (58 layers)       = 256 × 3×7168×2048 (routed) + 3×7168×2048 (shared)
 *                               + 256 × 7168 + 256 (router) = 11,320,164,608
 *   3 × 583,483,392 + 58 × 11,507,286,272 + 2 × 129280 × 7168 (embedding, head) + 7168
 *   = 671,026,419,200
 * KV heads: MLA keeps no per-head K/V (see capacity.ts); kvHeads = heads keeps the TP rule.
 */
const deepseekV3Architecture = {
  parameters: 671_026_419_200,
  layers: 61,
  attentionHeads: 128,
  kvHeads: 128,
  headDim: 192,
  maxContextTokens: 131_072,
  nativeFormat: 'fp8',
  hiddenSize: 7168,
  vocabSize: 129_280,
  tiedEmbeddings: false,
  moe: { experts: 256, expertsPerToken: 8, sharedExperts: 1, moeLayers: 58, expertIntermediateSize: 2048 },
  mla: { kvLoraRank: 512, qkRopeHeadDim: 64 },
} as const;

export const MODEL_CATALOGUE: Readonly<Record<string, ModelArchitecture>> = {
  // hidden_size 4096, num_hidden_layers 32, num_attention_heads 32, num_key_value_heads 8,
  // head_dim 128, max_position_embeddings 131072, torch_dtype bfloat16
  'llama-3.1-8b': {
    name: 'llama-3.1-8b',
    parameters: 8_030_261_248,
    layers: 32,
    attentionHeads: 32,
    kvHeads: 8,
    headDim: 128,
    maxContextTokens: 131_072,
    nativeFormat: 'bf16',
    source: hf('meta-llama/Llama-3.1-8B-Instruct'),
    licence: 'llama3.1',
  },
  // hidden_size 8192, num_hidden_layers 80, num_attention_heads 64, num_key_value_heads 8,
  // head_dim 128, max_position_embeddings 131072, torch_dtype bfloat16
  'llama-3.1-70b': {
    name: 'llama-3.1-70b',
    parameters: 70_553_706_496,
    layers: 80,
    attentionHeads: 64,
    kvHeads: 8,
    headDim: 128,
    maxContextTokens: 131_072,
    nativeFormat: 'bf16',
    source: hf('meta-llama/Llama-3.1-70B-Instruct'),
    licence: 'llama3.1',
  },
  // hidden_size 4096, num_hidden_layers 32, num_attention_heads 32, num_key_value_heads 8,
  // head_dim 128, max_position_embeddings 32768, torch_dtype bfloat16
  'mistral-7b-v0.3': {
    name: 'mistral-7b-v0.3',
    parameters: 7_248_023_552,
    layers: 32,
    attentionHeads: 32,
    kvHeads: 8,
    headDim: 128,
    maxContextTokens: 32_768,
    nativeFormat: 'bf16',
    source: hf('mistralai/Mistral-7B-Instruct-v0.3'),
    licence: 'Apache-2.0',
  },
  // hidden_size 4096, num_hidden_layers 32, num_attention_heads 32, num_key_value_heads 8,
  // (head_dim = 4096 / 32 = 128), num_local_experts 8, num_experts_per_tok 2,
  // max_position_embeddings 32768, torch_dtype bfloat16. All 8 experts are resident.
  // intermediate_size 14336 (each expert's) and vocab_size 32000 reproduce the parameter count:
  // 2 × 32000 × 4096 + 32 × (2 × 4096² + 2 × 4096 × 1024 + 4096 × 8 + 8 × 3 × 4096 × 14336
  // + 2 × 4096) + 4096 = 46,702,792,704; active 12,879,925,248 (Mistral AI: 12.9B).
  'mixtral-8x7b': {
    name: 'mixtral-8x7b',
    parameters: 46_702_792_704,
    layers: 32,
    attentionHeads: 32,
    kvHeads: 8,
    headDim: 128,
    maxContextTokens: 32_768,
    nativeFormat: 'bf16',
    hiddenSize: 4096,
    vocabSize: 32_000,
    tiedEmbeddings: false,
    moe: { experts: 8, expertsPerToken: 2, sharedExperts: 0, moeLayers: 32, expertIntermediateSize: 14336 },
    source: hf('mistralai/Mixtral-8x7B-Instruct-v0.1'),
    licence: 'Apache-2.0',
  },
  // hidden_size 3584, num_hidden_layers 28, num_attention_heads 28, num_key_value_heads 4,
  // (head_dim = 3584 / 28 = 128), max_position_embeddings 32768, torch_dtype bfloat16
  'qwen2.5-7b': {
    name: 'qwen2.5-7b',
    parameters: 7_615_616_512,
    layers: 28,
    attentionHeads: 28,
    kvHeads: 4,
    headDim: 128,
    maxContextTokens: 32_768,
    nativeFormat: 'bf16',
    source: hf('Qwen/Qwen2.5-7B-Instruct'),
    licence: 'Apache-2.0',
  },
  // hidden_size 8192, num_hidden_layers 80, num_attention_heads 64, num_key_value_heads 8,
  // (head_dim = 8192 / 64 = 128), max_position_embeddings 32768, torch_dtype bfloat16
  'qwen2.5-72b': {
    name: 'qwen2.5-72b',
    parameters: 72_706_203_648,
    layers: 80,
    attentionHeads: 64,
    kvHeads: 8,
    headDim: 128,
    maxContextTokens: 32_768,
    nativeFormat: 'bf16',
    source: hf('Qwen/Qwen2.5-72B-Instruct'),
    licence: 'qwen',
  },
  // hidden_size 3584, num_hidden_layers 42, num_attention_heads 16, num_key_value_heads 8,
  // head_dim 256, max_position_embeddings 8192, sliding_window 4096. Every other layer slides:
  // the config sets no layer_types, so Gemma2Config's default applies, "sliding_attention" for
  // layer i when (i + 1) % 2 (layers 0, 2, …, 40: 21 of 42; huggingface/transformers
  // src/transformers/models/gemma2/configuration_gemma2.py @ 008e5743), which vLLM reads
  // (vllm/model_executor/models/gemma2.py, `config.layer_types[layer_idx]`).
  'gemma-2-9b': {
    name: 'gemma-2-9b',
    parameters: 9_241_705_984,
    layers: 42,
    attentionHeads: 16,
    kvHeads: 8,
    headDim: 256,
    maxContextTokens: 8_192,
    nativeFormat: 'bf16',
    slidingWindow: { layers: 21, window: 4096 },
    source: hf('google/gemma-2-9b-it'),
    licence: 'gemma',
  },
  // hidden_size 4608, num_hidden_layers 46, num_attention_heads 32, num_key_value_heads 16,
  // head_dim 128, max_position_embeddings 8192; sliding window as for gemma-2-9b: 23 of 46
  // layers keep 4096 tokens
  'gemma-2-27b': {
    name: 'gemma-2-27b',
    parameters: 27_227_128_320,
    layers: 46,
    attentionHeads: 32,
    kvHeads: 16,
    headDim: 128,
    maxContextTokens: 8_192,
    nativeFormat: 'bf16',
    slidingWindow: { layers: 23, window: 4096 },
    source: hf('google/gemma-2-27b-it'),
    licence: 'gemma',
  },
  // The publisher's reference configuration, meta-llama/llama-models models/sku_list.py @ 1127165
  // (`llama3_3_instruct_models`): dim 8192, n_layers 80, n_heads 64, n_kv_heads 8, vocab_size
  // 128256, ffn_dim_multiplier 1.3, multiple_of 4096 (FFN 28672 by models/llama3/model.py), the
  // same as Llama 3.1 70B; context 128k (models/llama3_3/MODEL_CARD.md).
  // parameters = 2 × 128256 × 8192 + 80 × (2 × 8192² + 2 × 8192 × 1024 + 3 × 8192 × 28672
  //              + 2 × 8192) + 8192 = 70,553,706,496 (as llama-3.1-70b's safetensors index)
  'llama-3.3-70b': {
    name: 'llama-3.3-70b',
    parameters: 70_553_706_496,
    layers: 80,
    attentionHeads: 64,
    kvHeads: 8,
    headDim: 128,
    maxContextTokens: 131_072,
    nativeFormat: 'bf16',
    hiddenSize: 8192,
    vocabSize: 128_256,
    tiedEmbeddings: false,
    source: gh('meta-llama/llama-models', '1127165', 'models/sku_list.py'),
    licence: 'llama3.3',
  },
  // meta-llama/llama-models models/sku_list.py @ 1127165 (`llama3_1_instruct_models`): dim 16384,
  // n_layers 126, n_heads 128, n_kv_heads 8 (head dim 128), vocab_size 128256,
  // ffn_dim_multiplier 1.2, multiple_of 4096 (FFN 53248); context 128k
  // (models/llama3_1/MODEL_CARD.md). parameters = 2 × 128256 × 16384 + 126 × (2 × 16384²
  // + 2 × 16384 × 1024 + 3 × 16384 × 53248 + 2 × 16384) + 16384 = 405,853,388,800
  'llama-3.1-405b': {
    name: 'llama-3.1-405b',
    parameters: 405_853_388_800,
    layers: 126,
    attentionHeads: 128,
    kvHeads: 8,
    headDim: 128,
    maxContextTokens: 131_072,
    nativeFormat: 'bf16',
    hiddenSize: 16384,
    vocabSize: 128_256,
    tiedEmbeddings: false,
    source: gh('meta-llama/llama-models', '1127165', 'models/sku_list.py'),
    licence: 'llama3.1',
  },
  // Qwen3-8B config.json, as copied verbatim into sanjithudupa/compute-aware-arch-search
  // Qwen3-8B/config.json @ 38147a2 (the Hub file itself could not be read here): hidden_size
  // 4096, intermediate_size 12288, num_hidden_layers 36, num_attention_heads 32,
  // num_key_value_heads 8, head_dim 128, max_position_embeddings 40960, vocab_size 151936,
  // tie_word_embeddings false. parameters = 2 × 151936 × 4096 + 36 × (4096 × 4096 + 2 × 4096
  // × 1024 + 4096 × 4096 + 3 × 4096 × 12288 + 2 × 128 + 2 × 4096) + 4096 = 8,190,735,360:
  // the publisher's model card says 8.2B, 6.95B without embeddings, 36 layers, 32 Q / 8 KV heads.
  'qwen3-8b': {
    name: 'qwen3-8b',
    parameters: 8_190_735_360,
    layers: 36,
    attentionHeads: 32,
    kvHeads: 8,
    headDim: 128,
    maxContextTokens: 40_960,
    nativeFormat: 'bf16',
    hiddenSize: 4096,
    vocabSize: 151_936,
    tiedEmbeddings: false,
    source: gh('sanjithudupa/compute-aware-arch-search', '38147a2', 'Qwen3-8B/config.json'),
    licence: 'Apache-2.0',
  },
  // Qwen3-30B-A3B: hidden 2048, 48 layers, 32 Q / 4 KV heads of 128, vocab 151936, untied,
  // 128 experts, 8 per token, moe_intermediate_size 768, every layer MoE, as reproduced in
  // zyzshishui/slime scripts/models/qwen3-30B-A3B.sh @ e0be9a0 (the Hub config.json could not be
  // read here). parameters = 2 × 151936 × 2048 + 48 × (2048 × 4096 + 2 × 2048 × 512 + 4096 ×
  // 2048 + 2 × 128 + 2 × 2048 + 2048 × 128 + 128 × 3 × 2048 × 768) + 2048 = 30,532,122,624;
  // active 3,353,032,704. keras-team/keras-hub keras_hub/src/models/qwen3_moe/qwen3_moe_presets.py
  // @ 79c5664 lists 30532122624 parameters; the publisher's card says 30.5B total, 3.3B activated, 48 layers,
  // 32 / 4 heads, 128 experts, 8 activated, 32,768 tokens natively (used as the context).
  'qwen3-30b-a3b': {
    name: 'qwen3-30b-a3b',
    parameters: 30_532_122_624,
    layers: 48,
    attentionHeads: 32,
    kvHeads: 4,
    headDim: 128,
    maxContextTokens: 32_768,
    nativeFormat: 'bf16',
    hiddenSize: 2048,
    vocabSize: 151_936,
    tiedEmbeddings: false,
    moe: { experts: 128, expertsPerToken: 8, sharedExperts: 0, moeLayers: 48, expertIntermediateSize: 768 },
    source: gh('zyzshishui/slime', 'e0be9a0', 'scripts/models/qwen3-30B-A3B.sh'),
    licence: 'Apache-2.0',
  },
  // Qwen3-235B-A22B: hidden 4096, 94 layers, 64 Q / 4 KV heads of 128, vocab 151936, untied,
  // 128 experts, 8 per token, moe_intermediate_size 1536, every layer MoE, as reproduced in
  // zyzshishui/slime scripts/models/qwen3-235B-A22B.sh @ a293863. parameters = 2 × 151936 ×
  // 4096 + 94 × (4096 × 8192 + 2 × 4096 × 512 + 8192 × 4096 + 2 × 128 + 2 × 4096 + 4096 × 128
  // + 128 × 3 × 4096 × 1536) + 4096 = 235,093,634,560 (keras-hub's preset: 235093634560);
  // active 22,190,763,520: the card says
  // 235B total, 22B activated, 234B without embeddings, 32,768 tokens natively.
  'qwen3-235b-a22b': {
    name: 'qwen3-235b-a22b',
    parameters: 235_093_634_560,
    layers: 94,
    attentionHeads: 64,
    kvHeads: 4,
    headDim: 128,
    maxContextTokens: 32_768,
    nativeFormat: 'bf16',
    hiddenSize: 4096,
    vocabSize: 151_936,
    tiedEmbeddings: false,
    moe: { experts: 128, expertsPerToken: 8, sharedExperts: 0, moeLayers: 94, expertIntermediateSize: 1536 },
    source: gh('zyzshishui/slime', 'a293863', 'scripts/models/qwen3-235B-A22B.sh'),
    licence: 'Apache-2.0',
  },
  // openai/gpt-oss-20b config.json as reported by ParagEkbote/hf-model-inspector
  // model_inspection_report.md @ 92931b2: hidden_size 2880, num_hidden_layers 24,
  // num_attention_heads 64, num_key_value_heads 8, vocab_size 201088, intermediate_size 2880,
  // max_position_embeddings 131072, sliding_window 128; num_local_experts 32 and
  // experts_per_token 4 as in copies of the same config.json (and the only expert count that
  // gives the publisher's "21B parameters with 3.6B active", openai/gpt-oss README.md @ 7b58334).
  // head_dim 64 and the tensor layout as gpt-oss-120b. parameters, as for gpt-oss-120b:
  //   per layer 26,555,904 (attention, sinks, norms) + 2880×32 + 32 (router) + 32×5760×2880
  //   + 32×5760 + 32×2880×2880 + 32×2880 = 823,186,976; × 24 + 2 × 201088 × 2880 + 2880
  //   = 20,914,757,184. MXFP4: 19,110,297,600 expert weights × 17/32 + 1,804,459,584 × 2 bytes
  //   = 13,761,264,768 bytes, the total_size of the checkpoint's model.safetensors.index.json.
  // Sliding window: layers 0, 2, …, 22 (12 of 24) attend to the last 128 tokens, as for
  // gpt-oss-120b.
  'gpt-oss-20b': {
    name: 'gpt-oss-20b',
    parameters: 20_914_757_184,
    layers: 24,
    attentionHeads: 64,
    kvHeads: 8,
    headDim: 64,
    maxContextTokens: 131_072,
    nativeFormat: 'mxfp4',
    hiddenSize: 2880,
    vocabSize: 201_088,
    tiedEmbeddings: false,
    moe: { experts: 32, expertsPerToken: 4, sharedExperts: 0, moeLayers: 24, expertIntermediateSize: 2880 },
    slidingWindow: { layers: 12, window: 128 },
    source: gh('ParagEkbote/hf-model-inspector', '92931b2', 'model_inspection_report.md'),
    licence: 'gpt-oss',
  },
  // See deepseekV3Architecture. The December 2024 weights are under the DeepSeek model licence
  // (LICENSE-MODEL of the same repository).
  'deepseek-v3': {
    name: 'deepseek-v3',
    ...deepseekV3Architecture,
    source: gh('deepseek-ai/DeepSeek-V3', DEEPSEEK_V3_COMMIT, 'inference/configs/config_671B.json'),
    licence: 'deepseek',
  },
  // "DeepSeek-R1-Zero & DeepSeek-R1 are trained based on DeepSeek-V3-Base" and point to the
  // DeepSeek-V3 repository for the architecture (deepseek-ai/DeepSeek-R1 README.md @ 5689f0a8;
  // model table: 671B total, 37B activated, 128K context): the same numbers. MIT licensed.
  'deepseek-r1': {
    name: 'deepseek-r1',
    ...deepseekV3Architecture,
    source: gh('deepseek-ai/DeepSeek-V3', DEEPSEEK_V3_COMMIT, 'inference/configs/config_671B.json'),
    licence: 'MIT',
  },
  // The publisher's reference config, openai/gpt-oss gpt_oss/torch/model.py `ModelConfig` @
  // 7b58334: num_hidden_layers 36, num_experts 128, experts_per_token 4, vocab_size 201088,
  // hidden_size 2880, intermediate_size 2880, head_dim 64, num_attention_heads 64,
  // num_key_value_heads 8, sliding_window 128, initial_context_length 4096 × rope_scaling_factor
  // 32 = 131,072 tokens. The window applies to every other layer: AttentionBlock sets
  // `sliding_window = config.sliding_window if layer_idx % 2 == 0 else 0` (model.py line 188),
  // so layers 0, 2, …, 34: 18 of 36; vLLM does the same (vllm/model_executor/models/gpt_oss.py,
  // `config.sliding_window if self.layer_idx % 2 == 0 else None`, at 8580919a and 9aaf83ef).
  // MoE expert weights MXFP4, everything else bf16 (README.md "Precision format").
  // parameters, counted from model.py's tensors:
  //   per layer: qkv 2880×5120 + 5120, out 4096×2880 + 2880, sinks 64, norms 2 × 2880,
  //   router 2880×128 + 128, mlp1 128×5760×2880 + 128×5760, mlp2 128×2880×2880 + 128×2880
  //   = 3,213,080,192; × 36 + embedding and unembedding 2 × 201088 × 2880 + norm 2880
  //   = 116,829,156,672 (the model card's "117B")
  'gpt-oss-120b': {
    name: 'gpt-oss-120b',
    parameters: 116_829_156_672,
    layers: 36,
    attentionHeads: 64,
    kvHeads: 8,
    headDim: 64,
    maxContextTokens: 131_072,
    nativeFormat: 'mxfp4',
    hiddenSize: 2880,
    vocabSize: 201_088,
    tiedEmbeddings: false,
    moe: { experts: 128, expertsPerToken: 4, sharedExperts: 0, moeLayers: 36, expertIntermediateSize: 2880 },
    slidingWindow: { layers: 18, window: 128 },
    source: gh('openai/gpt-oss', '7b58334', 'gpt_oss/torch/model.py'),
    licence: 'gpt-oss',
  },
  // Gemma 3 27B, a multimodal model (Gemma3ForConditionalGeneration): the text decoder's numbers
  // from the publisher's reference configuration, google/gemma_pytorch gemma/config.py
  // `get_config_for_27b_v3` @ 014acb7 (num_hidden_layers 62, num_attention_heads 32,
  // num_key_value_heads 16, hidden_size 5376, intermediate_size 5376 × 8 / 2 = 21504, head_dim 128
  // given explicitly (5376 / 32 would be 168, which is query_pre_attn_scalar instead),
  // sliding_window_size 1024, attn_types five LOCAL_SLIDING then one GLOBAL, repeated;
  // max_position_embeddings 131072; a 262,144-entry tokenizer; SigLIP vision tower from
  // gemma/siglip_vision/config.py: 27 layers of width 1152, 16 heads, MLP 4304, 14-pixel patches
  // of 896-pixel images, biases on). The Hugging Face checkpoint nests the text numbers under
  // text_config (Gemma3TextConfig); the copies of it in engines' test fixtures set no
  // vocab_size, max_position_embeddings or tie_word_embeddings, so the class defaults apply:
  // 262,208 embedding rows (the tokenizer padded by 64), 131072, tied
  // (huggingface/transformers models/gemma3/configuration_gemma3.py @ 008f5c8). The Hub
  // config.json itself could not be read here. parameters, counted as the checkpoint stores them:
  //   text, per layer: q 5376×4096, k and v 2 × 5376×2048, o 4096×5376 (66,060,288), q/k norms
  //     2 × 128, MLP 3 × 5376×21504, four norms 4 × 5376 = 412,898,560; × 62 + embedding
  //     262208 × 5376 (tied: once) + final norm 5376 = 27,009,346,304
  //   vision: patch conv 3×14×14×1152 + 1152, positions 64² × 1152, per layer 2 LayerNorms
  //     (2 × 2304), q/k/v/out with biases 4 × (1152² + 1152), fc1 1152×4304 + 4304, fc2
  //     4304×1152 + 1152 = 15,239,504; × 27 + post-LayerNorm 2304 = 416,866,032
  //   projector: mm_input_projection 1152×5376 + mm_soft_emb_norm 1152 = 6,194,304
  //   total 27,432,406,640 ("27B" in its name; 27.0B of them in the text decoder).
  // Sliding window: layer i takes attn_types[i % 6] (gemma/model.py @ 014acb7, GemmaModel), so
  // layers 5, 11, …, 59 are GLOBAL (10) and the other 52 LOCAL_SLIDING over the last 1024
  // tokens (sliding_window_size). transformers' Gemma3TextConfig builds the same layer_types
  // from sliding_window_pattern 6 ("sliding_attention" unless (i + 1) % 6 == 0), and vLLM reads
  // them (vllm/model_executor/models/gemma3.py, `layer_type == "sliding_attention"`).
  'gemma-3-27b': {
    name: 'gemma-3-27b',
    parameters: 27_432_406_640,
    layers: 62,
    attentionHeads: 32,
    kvHeads: 16,
    headDim: 128,
    maxContextTokens: 131_072,
    nativeFormat: 'bf16',
    hiddenSize: 5376,
    vocabSize: 262_208,
    tiedEmbeddings: true,
    slidingWindow: { layers: 52, window: 1024 },
    source: gh('google/gemma_pytorch', '014acb7', 'gemma/config.py'),
    licence: 'gemma',
  },
  // Mistral Small 3.1 (Mistral3ForConditionalGeneration), text_config: hidden_size 5120,
  // intermediate_size 32768, num_hidden_layers 40, num_attention_heads 32, num_key_value_heads 8,
  // head_dim 128 (given: 5120 / 32 would be 160), max_position_embeddings 131072, vocab_size
  // 131072, sliding_window null, tie_word_embeddings absent (MistralConfig default: untied);
  // torch_dtype bfloat16; vision_config (Pixtral): hidden_size 1024, 24 layers, 16 heads of 64,
  // intermediate_size 4096, patch_size 14, 3 channels; spatial_merge_size 2,
  // multimodal_projector_bias false. parameters, counted as the checkpoint stores them
  // (modules from transformers models/mistral3 and Pixtral: no biases, RMSNorm weights only):
  //   text: 2 × 131072 × 5120 + 40 × (5120×4096 + 2 × 5120×1024 + 4096×5120 + 3 × 5120×32768
  //     + 2 × 5120) + 5120 = 23,572,403,200
  //   vision: patch conv 3×14×14×1024 + ln_pre 1024 + 24 × (2 × 1024 + 4 × 1024² + 3 × 1024×4096)
  //     = 403,305,472
  //   projector: norm 1024 + patch merger 4096×1024 + linear_1 1024×5120 + linear_2 5120×5120
  //     = 35,652,608
  //   total 24,011,361,280 ("24B" in its name). The stored copy of the Hub page shows text_config
  // whole and vision_config up to image_size; the rest of vision_config is as in verbatim copies
  // of the file and transformers' Mistral3Config default vision config.
  'mistral-small-3.1-24b': {
    name: 'mistral-small-3.1-24b',
    parameters: 24_011_361_280,
    layers: 40,
    attentionHeads: 32,
    kvHeads: 8,
    headDim: 128,
    maxContextTokens: 131_072,
    nativeFormat: 'bf16',
    hiddenSize: 5120,
    vocabSize: 131_072,
    tiedEmbeddings: false,
    source: hf('mistralai/Mistral-Small-3.1-24B-Instruct-2503'),
    licence: 'Apache-2.0',
  },
  // Kimi K2 (Instruct): DeepSeek-V3's architecture (DeepseekV3ForCausalLM) with 384 experts and
  // 64 heads. The publisher's model summary (MoonshotAI/Kimi-K2 README.md @ c6157be: 61 layers,
  // 1 dense, attention hidden 7168, MoE hidden 2048 per expert, 64 heads, 384 experts, 8 selected,
  // 1 shared, vocabulary 160K, context 128K, MLA; docs/deploy_guidance.md: FP8 weights), and the
  // full configuration as reproduced in NVIDIA-NeMo/Megatron-Bridge
  // src/megatron/bridge/models/kimi/kimi_provider.py @ 2afd2d3 (ffn_hidden_size 18432, q_lora_rank
  // 1536, kv_lora_rank 512, qk_head_dim 128, qk_pos_emb_head_dim 64, v_head_dim 128, vocab_size
  // 163840, untied; the Hub config.json could not be read here). parameters, as for DeepSeek-V3:
  //   attention per layer (MLA) = 7168×1536 + 1536 + 1536×64×192 + 7168×576 + 512 + 512×64×256
  //                               + 64×128×7168 = 101,124,096; norms 2 × 7168
  //   dense MLP (layer 0) = 3 × 7168 × 18432 = 396,361,728
  //   MoE MLP (60 layers) = 384 × 3×7168×2048 + 3×7168×2048 (shared) + 384 × 7168 + 384 (router)
  //                       = 16,958,226,816
  //   497,500,160 + 60 × 17,059,365,248 + 2 × 163840 × 7168 + 7168 = 1,026,408,232,448 ("1T");
  //   active 32,861,500,928 ("32B activated"). No multi-token-prediction layer (mtp_num_layers None).
  'kimi-k2': {
    name: 'kimi-k2',
    parameters: 1_026_408_232_448,
    layers: 61,
    attentionHeads: 64,
    kvHeads: 64,
    headDim: 192,
    maxContextTokens: 131_072,
    nativeFormat: 'fp8',
    hiddenSize: 7168,
    vocabSize: 163_840,
    tiedEmbeddings: false,
    moe: { experts: 384, expertsPerToken: 8, sharedExperts: 1, moeLayers: 60, expertIntermediateSize: 2048 },
    mla: { kvLoraRank: 512, qkRopeHeadDim: 64 },
    source: gh('NVIDIA-NeMo/Megatron-Bridge', '2afd2d3', 'src/megatron/bridge/models/kimi/kimi_provider.py'),
    licence: 'kimi-k2-modified-mit',
  },
};

/** A catalogue entry by id, or undefined. */
export function catalogueModel(id: string): ModelArchitecture | undefined {
  return Object.prototype.hasOwnProperty.call(MODEL_CATALOGUE, id) ? MODEL_CATALOGUE[id] : undefined;
}
