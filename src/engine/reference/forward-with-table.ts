// forward() with the rotary sin/cos table given by the caller. A model file stores that table
// as a weight, so a float16 or 8-bit file computes with a rounded copy of it; comparing such a
// file with the reference needs the same copy. (forward() could take the table as an option;
// this file exists because that module is not this change's to edit.)

import { block } from './block.ts';
import type { BlockContext } from './block.ts';
import { defaultPositionIds, weightLinear } from './forward.ts';
import type { ForwardOptions } from './forward.ts';
import { layerNorm } from './ops.ts';
import { getTensor } from './types.ts';
import type { CodegenConfig, WeightMap } from './types.ts';

/** sin/cos each [n_positions, rotary_dim/2] (sinusoidalPositions layout). */
export interface RotaryTable {
  sin: Float32Array;
  cos: Float32Array;
}

/** Returns logits [seq, vocab_size]. */
export function forwardWithTable(
  weights: WeightMap,
  config: CodegenConfig,
  inputIds: ArrayLike<number>,
  table: RotaryTable,
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
    table,
  };
  const wte = getTensor(weights, 'transformer.wte.weight').data; // [vocab, E]
  let hidden: Float32Array = new Float32Array(seq * E); // [seq, E]
  for (let s = 0; s < seq; s++) {
    const id = inputIds[s]!;
    hidden.set(wte.subarray(id * E, (id + 1) * E), s * E);
  }
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
