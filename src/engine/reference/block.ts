// One CodeGen transformer block: shared ln_1 feeding attention and MLP in parallel,
// both added to the residual (GPT-J layout).

import { selfAttention } from './attention.ts';
import { geluNewInPlace, layerNorm } from './ops.ts';
import { getTensor } from './types.ts';
import type { CodegenConfig, LinearFn, WeightMap } from './types.ts';

export interface BlockContext {
  weights: WeightMap;
  config: CodegenConfig;
  linear: LinearFn;
  seq: number;
  positions: ArrayLike<number>; // [seq]
  mask: ArrayLike<number>; // [seq]
  table: { sin: Float32Array; cos: Float32Array }; // [n_positions, rotary_dim/2] each
}

/** fc_in → gelu_new → fc_out. h: [seq, E] → [seq, E]. */
export function mlp(ctx: BlockContext, h: Float32Array, prefix: string): Float32Array {
  const ff = geluNewInPlace(ctx.linear(h, ctx.seq, `${prefix}.mlp.fc_in`)); // [seq, inner]
  return ctx.linear(ff, ctx.seq, `${prefix}.mlp.fc_out`);
}

/** hidden: [seq, E] → [seq, E]. */
export function block(ctx: BlockContext, hidden: Float32Array, layer: number): Float32Array {
  const { config, seq } = ctx;
  const E = config.n_embd;
  const p = `transformer.h.${layer}`;
  const h = layerNorm(
    hidden,
    seq,
    E,
    getTensor(ctx.weights, `${p}.ln_1.weight`).data,
    getTensor(ctx.weights, `${p}.ln_1.bias`).data,
    config.layer_norm_epsilon,
  );
  const qkv = ctx.linear(h, seq, `${p}.attn.qkv_proj`); // [seq, 3E]
  const heads = selfAttention(
    qkv,
    seq,
    config.n_head,
    E / config.n_head,
    config.rotary_dim,
    ctx.positions,
    ctx.mask,
    ctx.table,
  ); // [seq, E]
  const attn = ctx.linear(heads, seq, `${p}.attn.out_proj`);
  const ff = mlp(ctx, h, p);
  const out = new Float32Array(seq * E);
  // Same summation order as HF: (attn + mlp) + residual.
  for (let i = 0; i < out.length; i++) out[i] = attn[i]! + ff[i]! + hidden[i]!;
  return out;
}
