// Turns the fp32 graph of a layout into the graph of one published dtype, the way the
// transformers.js toolchain does it: scripts/quantize.py runs onnxruntime's quantizers and
// the float16 converter on the fp32 export (one pass per file in this folder). Passes
// rewrite the GraphModel in place and keep weights lazy: a quantized initializer is computed
// from the fp32 chunk only while the file is written.

import type { Dtype } from '../../../../src/engine/registry/types.ts';
import type { GraphModel } from '../graph-model.ts';
import { applyBnb4 } from './bnb4.ts';
import { applyFp16 } from './fp16.ts';
import { applyQ4 } from './q4.ts';
import { applyQ8 } from './q8.ts';

/** transformers.js dtype names: the app registry's Dtype. */
export type PublishedDtype = Dtype;

export interface DtypeOptions {
  /**
   * fp16 / q4f16 only: false writes float16 graph inputs and outputs (logits and KV cache),
   * which no published file has; tests use it to exercise float16 output handling.
   */
  fp16KeepIoTypes?: boolean;
}

/** Rewrites `model` (a float32 graph) in place for `dtype`. */
export function applyDtype(
  model: GraphModel,
  dtype: PublishedDtype,
  options: DtypeOptions = {},
): void {
  const fp16 = { keepIoTypes: options.fp16KeepIoTypes ?? true };
  switch (dtype) {
    case 'fp32':
      return;
    case 'fp16':
      return applyFp16(model, fp16);
    case 'q4':
      return applyQ4(model);
    case 'q4f16':
      applyQ4(model);
      return applyFp16(model, fp16);
    case 'int8':
    case 'uint8':
    case 'q8':
      return applyQ8(model, dtype);
    case 'bnb4':
      return applyBnb4(model);
    default: {
      const never: never = dtype;
      throw new Error(`unknown dtype ${String(never)}`);
    }
  }
}
