// Model shapes: presets, parsing a user config.json, and writing a real HF CodeGen config.

import type { CodegenConfig } from '../../src/engine/reference/types.ts';

export interface ModelDims extends CodegenConfig {
  n_ctx: number;
  bos_token_id: number;
  eos_token_id: number;
}

/** Shape-only presets; vocab size and special ids come from the tokenizer when absent. */
export const PRESETS = {
  tiny: {
    dims: { n_layer: 2, n_head: 4, n_embd: 128, rotary_dim: 16, n_positions: 2048 },
    tokenizer: 'tiny',
  },
  '350M': {
    // Salesforce/codegen-350M-mono
    dims: {
      n_layer: 20,
      n_head: 16,
      n_embd: 1024,
      rotary_dim: 32,
      n_positions: 2048,
      vocab_size: 51200,
    },
    tokenizer: 'codegen',
  },
} as const satisfies Record<string, { dims: Partial<ModelDims>; tokenizer: 'tiny' | 'codegen' }>;

export type PresetName = keyof typeof PRESETS;

/**
 * Smallest multiple of 64 strictly above the tokenizer size, mirroring real CodeGen
 * (vocab_size 51200 > 50295 tokenizer entries): the graph must cope with ids the
 * tokenizer never produces.
 */
export function paddedVocabSize(tokenizerSize: number): number {
  return (Math.floor(tokenizerSize / 64) + 1) * 64;
}

export function completeDims(
  partial: Partial<ModelDims>,
  tokenizerSize: number,
  eosTokenId: number,
): ModelDims {
  const need = (key: 'n_layer' | 'n_head' | 'n_embd' | 'rotary_dim'): number => {
    const v = partial[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
      throw new Error(`config: ${key} missing`);
    return v;
  };
  const n_positions = partial.n_positions ?? 2048;
  const dims: ModelDims = {
    n_layer: need('n_layer'),
    n_head: need('n_head'),
    n_embd: need('n_embd'),
    rotary_dim: need('rotary_dim'),
    vocab_size: partial.vocab_size ?? paddedVocabSize(tokenizerSize),
    n_positions,
    n_ctx: partial.n_ctx ?? n_positions,
    n_inner: partial.n_inner ?? null,
    layer_norm_epsilon: partial.layer_norm_epsilon ?? 1e-5,
    bos_token_id: partial.bos_token_id ?? eosTokenId,
    eos_token_id: partial.eos_token_id ?? eosTokenId,
  };
  validateDims(dims, tokenizerSize);
  return dims;
}

function validateDims(d: ModelDims, tokenizerSize: number): void {
  const headDim = d.n_embd / d.n_head;
  if (!Number.isInteger(headDim)) throw new Error('config: n_embd must be divisible by n_head');
  // CodeGen's fused qkv layout assumes 4 model-parallel shards (mp_num = 4).
  if (d.n_head % 4 !== 0) throw new Error('config: n_head must be a multiple of 4');
  if (d.rotary_dim % 2 !== 0 || d.rotary_dim > headDim) {
    throw new Error('config: rotary_dim must be even and at most head_dim');
  }
  if (d.n_embd % 32 !== 0 || innerDim(d) % 32 !== 0) {
    throw new Error('config: n_embd and n_inner must be multiples of 32 (q4 block size)');
  }
  if (d.vocab_size < tokenizerSize) {
    throw new Error(
      `config: vocab_size ${d.vocab_size} is smaller than the tokenizer (${tokenizerSize})`,
    );
  }
}

export function innerDim(d: CodegenConfig): number {
  return d.n_inner ?? 4 * d.n_embd;
}

/** Reads the shape fields from an HF config.json object. */
export function dimsFromJson(json: unknown): Partial<ModelDims> {
  if (typeof json !== 'object' || json === null) throw new Error('config: not a JSON object');
  const src = json as Record<string, unknown>;
  const out: Partial<Record<keyof ModelDims, number>> = {};
  const keys = [
    'n_layer',
    'n_head',
    'n_embd',
    'rotary_dim',
    'vocab_size',
    'n_positions',
    'n_ctx',
    'n_inner',
    'layer_norm_epsilon',
    'bos_token_id',
    'eos_token_id',
  ] as const;
  for (const key of keys) {
    const v = src[key];
    if (typeof v === 'number') out[key] = v;
  }
  return out;
}

/** config.json as Salesforce/codegen-*-mono ships it, with our shapes. */
export function hfConfig(d: ModelDims): Record<string, unknown> {
  return {
    _name_or_path: 'codegen-webgpu-playground/random-codegen',
    activation_function: 'gelu_new',
    architectures: ['CodeGenForCausalLM'],
    attn_pdrop: 0.0,
    bos_token_id: d.bos_token_id,
    embd_pdrop: 0.0,
    eos_token_id: d.eos_token_id,
    gradient_checkpointing: false,
    initializer_range: 0.02,
    layer_norm_epsilon: d.layer_norm_epsilon,
    model_type: 'codegen',
    n_ctx: d.n_ctx,
    n_embd: d.n_embd,
    n_head: d.n_head,
    n_inner: d.n_inner ?? null,
    n_layer: d.n_layer,
    n_positions: d.n_positions,
    resid_pdrop: 0.0,
    rotary_dim: d.rotary_dim,
    scale_attn_weights: true,
    summary_activation: null,
    summary_first_dropout: 0.1,
    summary_proj_to_labels: true,
    summary_type: 'cls_index',
    summary_use_proj: true,
    task_specific_params: {
      'text-generation': { do_sample: true, max_length: 50, temperature: 1.0 },
    },
    tie_word_embeddings: false,
    tokenizer_class: 'GPT2Tokenizer',
    torch_dtype: 'float32',
    transformers_version: '4.21.0.dev0',
    use_cache: true,
    vocab_size: d.vocab_size,
  };
}
