// Turns the fp32 graph of a layout into the graph of one published dtype, the way the
// transformers.js toolchain does it (quantizers and the float16 converter run on the fp32
// export). PLACEHOLDER until the passes land: only fp32 is supported.

import type { GraphModel } from '../graph-model.ts';
import type { WeightSource } from '../../weights.ts';

/** transformers.js dtype names (src/engine/registry/types.ts Dtype). */
export type PublishedDtype = 'fp32' | 'fp16' | 'q4' | 'q4f16' | 'int8' | 'uint8' | 'q8' | 'bnb4';

/** Rewrites `model` in place for `dtype`. `source` gives fp32 weight values by name when needed. */
export function applyDtype(model: GraphModel, dtype: PublishedDtype, source: WeightSource): void {
  void source;
  void model;
  if (dtype !== 'fp32') throw new Error(`dtype ${dtype}: pass not implemented yet`);
}
