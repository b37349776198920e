// The reference forward pass's view of a generated file, any layout and dtype: which
// initializer holds which HF parameter (`<module>.weight_transposed` is a MatMul B [K, N], HF
// names otherwise) and where the rotary table lives — the compact layout's
// `rotary_{sin,cos}_interleaved` [n_positions, rotary_dim], or the traced layouts'
// `embed_positions` [n_positions, rotary_dim] = [sin | cos] (modeling_codegen's buffer).
// Graph constants and the merged decoder's bool `causal_mask` buffer are not parameters.
// The dequantization itself (read-model.ts) is the same for all.

import type { onnx as pb } from 'onnx-proto';
import type { RotaryTable } from '../../../src/engine/reference/forward.ts';
import type { Q8Weight } from '../../../src/engine/reference/dequant.ts';
import type { LinearFn, Tensor } from '../../../src/engine/reference/types.ts';
import { transpose } from '../weights.ts';
import { integerMatMulWeights, q8LinearFn, readBackWeights } from './read-model.ts';
import type { ReadBackWeight } from './read-model.ts';

export interface FileReference {
  /** HF parameter name → tensor in torch layout, as the file holds it (dequantized). */
  weights: Map<string, Tensor>;
  table: RotaryTable;
  /** Files with MatMulInteger: the integer path simulated exactly. */
  linear?: LinearFn;
}

const MATMUL_B = /^(.*)\.weight_transposed$/;
const NOT_PARAMETERS = /^(rotary_|const_|embed_positions$)|\.causal_mask$/;

/** Columns 0, 2, 4, … of an interleaved [rows, 2 * half] table: [rows, half]. */
function deinterleave(t: ReadBackWeight): Float32Array {
  const [rows, width] = t.dims as [number, number];
  const half = width / 2;
  const out = new Float32Array(rows * half);
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < half; i++) out[r * half + i] = t.data[r * width + 2 * i]!;
  return out;
}

/** The traced layouts' [rows, 2 * half] = [sin | cos] table split into its halves. */
function splitSinCos(t: ReadBackWeight): { sin: Float32Array; cos: Float32Array } {
  const [rows, width] = t.dims as [number, number];
  const half = width / 2;
  const sin = new Float32Array(rows * half);
  const cos = new Float32Array(rows * half);
  for (let r = 0; r < rows; r++) {
    sin.set(t.data.subarray(r * width, r * width + half), r * half);
    cos.set(t.data.subarray(r * width + half, (r + 1) * width), r * half);
  }
  return { sin, cos };
}

export function fileReference(model: pb.ModelProto): FileReference {
  const read = readBackWeights(model);
  const weights = new Map<string, Tensor>();
  for (const [name, w] of read) {
    const module = MATMUL_B.exec(name)?.[1];
    if (module !== undefined) {
      const [K, N] = w.dims as [number, number];
      weights.set(`${module}.weight`, { shape: [N, K], data: transpose(w.data, K, N) });
    } else if (!NOT_PARAMETERS.test(name)) {
      weights.set(name, { shape: w.dims, data: w.data });
    }
  }
  const embedPositions = read.get('embed_positions');
  const table = (kind: 'sin' | 'cos'): Float32Array => {
    if (embedPositions) return splitSinCos(embedPositions)[kind];
    const t = read.get(`rotary_${kind}_interleaved`);
    if (!t)
      throw new Error(`neither embed_positions nor rotary_${kind}_interleaved is in the file`);
    return deinterleave(t);
  };
  const integer = new Map<string, Q8Weight>();
  for (const [name, w] of integerMatMulWeights(model)) {
    const module = MATMUL_B.exec(name)?.[1];
    if (module === undefined) throw new Error(`MatMulInteger weight ${name}: no module`);
    integer.set(module, w);
  }
  return {
    weights,
    table: { sin: table('sin'), cos: table('cos') },
    ...(integer.size > 0 ? { linear: q8LinearFn(integer, weights) } : {}),
  };
}
