// Greedy decoding with the reference forward pass: the whole sequence is recomputed at
// every step (no KV cache), so it checks the ONNX cache path as well as the math.

import { forward } from './forward.ts';
import type { ForwardOptions } from './forward.ts';
import type { CodegenConfig, WeightMap } from './types.ts';

export interface GreedyLimits {
  /** Ids at or above this (the tokenizer's size) are never picked, as the sampler masks them. */
  vocabLimit: number;
  /** Generation stops after this id, which is kept as the last token. */
  eosId: number;
}

/** Up to `maxNewTokens` argmax tokens after `prompt` (ties: lowest id, like the sampler). */
export function referenceGreedy(
  weights: WeightMap,
  config: CodegenConfig,
  prompt: readonly number[],
  maxNewTokens: number,
  limits: GreedyLimits,
  options: Pick<ForwardOptions, 'linear'> = {},
): number[] {
  const V = config.vocab_size;
  const ids = [...prompt];
  const generated: number[] = [];
  while (generated.length < maxNewTokens) {
    const logits = forward(weights, config, ids, options); // [seq, vocab]
    const last = logits.subarray((ids.length - 1) * V, ids.length * V);
    const next = argmaxBelow(last, limits.vocabLimit);
    generated.push(next);
    ids.push(next);
    if (next === limits.eosId) break;
  }
  return generated;
}

function argmaxBelow(row: Float32Array, limit: number): number {
  let best = 0;
  for (let i = 1; i < Math.min(limit, row.length); i++) if (row[i]! > row[best]!) best = i;
  return best;
}
