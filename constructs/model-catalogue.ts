/**
 * Built-in architectures of popular open-weight models, for the capacity planner. Every number
 * is copied from the model's `config.json` on its publisher's repository (URL in `source`);
 * `parameters` is the total tensor element count the publisher's safetensors index reports
 * (shown as "Model size" on the model page). A model that is not here is described by the user
 * with the same fields (see ModelArchitecture).
 *
 * Only architecture numbers live here: nothing is ever downloaded from these URLs at run time.
 */
import type { ModelArchitecture } from './capacity';

const hf = (repo: string): string => `https://huggingface.co/${repo}/blob/main/config.json`;

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
  },
  // hidden_size 4096, num_hidden_layers 32, num_attention_heads 32, num_key_value_heads 8,
  // (head_dim = 4096 / 32 = 128), num_local_experts 8, num_experts_per_tok 2,
  // max_position_embeddings 32768, torch_dtype bfloat16. All 8 experts are resident.
  'mixtral-8x7b': {
    name: 'mixtral-8x7b',
    parameters: 46_702_792_704,
    layers: 32,
    attentionHeads: 32,
    kvHeads: 8,
    headDim: 128,
    maxContextTokens: 32_768,
    nativeFormat: 'bf16',
    source: hf('mistralai/Mixtral-8x7B-Instruct-v0.1'),
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
  },
  // hidden_size 3584, num_hidden_layers 42, num_attention_heads 16, num_key_value_heads 8,
  // head_dim 256, max_position_embeddings 8192. Half the layers use a 4096-token sliding
  // window; the planner counts every layer at full length (an upper bound).
  'gemma-2-9b': {
    name: 'gemma-2-9b',
    parameters: 9_241_705_984,
    layers: 42,
    attentionHeads: 16,
    kvHeads: 8,
    headDim: 256,
    maxContextTokens: 8_192,
    nativeFormat: 'bf16',
    source: hf('google/gemma-2-9b-it'),
  },
  // hidden_size 4608, num_hidden_layers 46, num_attention_heads 32, num_key_value_heads 16,
  // head_dim 128, max_position_embeddings 8192 (sliding window as for gemma-2-9b)
  'gemma-2-27b': {
    name: 'gemma-2-27b',
    parameters: 27_227_128_320,
    layers: 46,
    attentionHeads: 32,
    kvHeads: 16,
    headDim: 128,
    maxContextTokens: 8_192,
    nativeFormat: 'bf16',
    source: hf('google/gemma-2-27b-it'),
  },
};

/** A catalogue entry by id, or undefined. */
export function catalogueModel(id: string): ModelArchitecture | undefined {
  return Object.prototype.hasOwnProperty.call(MODEL_CATALOGUE, id) ? MODEL_CATALOGUE[id] : undefined;
}
