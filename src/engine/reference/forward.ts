// Reference CodeGenForCausalLM forward pass for one sequence (no KV cache).

import { block } from './block.ts';
import type { BlockContext } from './block.ts';
import { layerNorm, linear } from './ops.ts';
import { sinusoidalPositions } from './rotary.ts';
import { getTensor } from './types.ts';
import type { CodegenConfig, LinearFn, WeightMap } from './types.ts';

export interface ForwardOptions {
  /** [seq] 1 = real token, 0 = padding. Default all ones. */
  attentionMask?: ArrayLike<number>;
  /** [seq] Default: cumsum(mask) - 1 clamped at 0 (what HF generate uses for left padding). */
  positionIds?: ArrayLike<number>;
  /** Replaces the fp32 linear layers (quantized comparisons). */
  linear?: LinearFn;
  /**
   * The rotary sin/cos table; default the fp32 one modeling_codegen computes. A model file
   * stores it as a weight, so a float16 or 8-bit file computes with a rounded copy, and
   * comparing with such a file needs that copy.
   */
  table?: RotaryTable;
}

/** sin/cos each [n_positions, rotary_dim/2] (sinusoidalPositions layout). */
export interface RotaryTable {
  sin: Float32Array;
  cos: Float32Array;
}

/** fp32 nn.Linear from the weight map: `${module}.weight` [out, in], optional `${module}.bias`. */
export function weightLinear(weights: WeightMap): LinearFn {
  return (x, rows, module) => {
    const w = getTensor(weights, `${module}.weight`);
    const b = weights.get(`${module}.bias`);
    return linear(x, rows, w.data, w.shape[0]!, b ? b.data : null);
  };
}

export function defaultPositionIds(mask: ArrayLike<number>): number[] {
  let seen = 0;
  return Array.from(mask, (m) => {
    seen += m;
    return Math.max(seen - 1, 0);
  });
}

/** Returns logits [seq, vocab_size]. */
export function forward(
  weights: WeightMap,
  config: CodegenConfig,
  inputIds: ArrayLike<number>,
  options: ForwardOptions = {},
): Float32Array {
  const seq = inputIds.length;
  const E = config.n_embd;
  const mask = options.attentionMask ?? new Array<number>(seq).fill(1);
  const ctx: BlockContext = {
    weights,
    config,
    linear: options.linear ?? weightLinear(weights),
    seq,
    positions: options.positionIds ?? defaultPositionIds(mask),
    mask,
    table: options.table ?? sinusoidalPositions(config.n_positions, config.rotary_dim),
  };
  let hidden = embed(weights, inputIds, E); // [seq, E]
  for (let layer = 0; layer < config.n_layer; layer++) hidden = block(ctx, hidden, layer);
  const final = layerNorm(
    hidden,
    seq,
    E,
    getTensor(weights, 'transformer.ln_f.weight').data,
    getTensor(weights, 'transformer.ln_f.bias').data,
    config.layer_norm_epsilon,
  );
  return ctx.linear(final, seq, 'lm_head'); // [seq, vocab_size]
}

function embed(weights: WeightMap, ids: ArrayLike<number>, E: number): Float32Array {
  const wte = getTensor(weights, 'transformer.wte.weight').data; // [vocab, E]
  const out = new Float32Array(ids.length * E);
  for (let s = 0; s < ids.length; s++) {
    out.set(wte.subarray(ids[s]! * E, (ids[s]! + 1) * E), s * E);
  }
  return out;
}
