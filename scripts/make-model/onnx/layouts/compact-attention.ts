// Rotary embedding and scaled-dot-product attention with KV cache, as ONNX nodes.

import type { GraphBuilder } from '../graph-builder.ts';

/**
 * GPT-J rotate_every_two on the first R dims of x [B, S, H, D]; sin/cos: [B, S, 1, R]
 * with pairs interleaved. out = x * cos + rotate_every_two(x) * sin, where
 * rotate_every_two(x)[2i] = -x[2i+1] and rotate_every_two(x)[2i+1] = x[2i].
 */
export function rotary(
  g: GraphBuilder,
  x: string,
  sin: string,
  cos: string,
  R: number,
  D: number,
): string {
  let rot = x;
  let pass: string | null = null;
  if (R < D)
    [rot, pass] = g.node('Split', [x, g.int64s([R, D - R])], {
      attrs: { axis: 3 },
      outputs: 2,
    }) as [string, string];
  const pairs = g.op('Reshape', [rot, g.int64s([0, 0, 0, R / 2, 2])]); // [B, S, H, R/2, 2]
  const [even, odd] = g.node('Split', [pairs, g.int64s([1, 1])], {
    attrs: { axis: 4 },
    outputs: 2,
  });
  const swapped = g.op('Concat', [g.op('Neg', [odd!]), even!], { attrs: { axis: 4 } });
  const rotated = g.op('Reshape', [swapped, g.int64s([0, 0, 0, R])]); // [B, S, H, R]
  const out = g.op('Add', [g.op('Mul', [rot, cos]), g.op('Mul', [rotated, sin])]);
  return pass === null ? out : g.op('Concat', [out, pass], { attrs: { axis: 3 } });
}

export interface AttentionInputs {
  q: string; // [B, S, H, D] (rotated)
  k: string; // [B, S, H, D] (rotated)
  v: string; // [B, S, H, D]
  pastKey: string; // graph input [B, H, P, D]
  pastValue: string;
  presentKey: string; // graph output [B, H, P+S, D]
  presentValue: string;
  maskBias: string; // [B, 1, S, P+S]
  headDim: number;
  embd: number;
}

/** softmax(q k^T / sqrt(D) + mask) v with heads merged back: [B, S, E]. */
export function selfAttention(g: GraphBuilder, a: AttentionInputs): string {
  const toHeads = { attrs: { perm: [0, 2, 1, 3] } };
  const q = g.op('Transpose', [a.q], toHeads); // [B, H, S, D]
  const key = g.op('Concat', [a.pastKey, g.op('Transpose', [a.k], toHeads)], {
    attrs: { axis: 2 },
    outputName: a.presentKey,
  }); // [B, H, T, D]
  const value = g.op('Concat', [a.pastValue, g.op('Transpose', [a.v], toHeads)], {
    attrs: { axis: 2 },
    outputName: a.presentValue,
  }); // [B, H, T, D]
  const keyT = g.op('Transpose', [key], { attrs: { perm: [0, 1, 3, 2] } }); // [B, H, D, T]
  const scores = g.op('Div', [
    g.op('MatMul', [q, keyT]),
    g.float(Math.sqrt(a.headDim), `sqrt_${a.headDim}`),
  ]);
  const probs = g.op('Softmax', [g.op('Add', [scores, a.maskBias])], { attrs: { axis: -1 } }); // [B, H, S, T]
  const ctx = g.op('Transpose', [g.op('MatMul', [probs, value])], toHeads); // [B, S, H, D]
  return g.op('Reshape', [ctx, g.int64s([0, 0, a.embd])]); // [B, S, E]
}
