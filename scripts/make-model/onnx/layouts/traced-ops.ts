// Ops as torch.onnx (TorchScript exporter, opset 13/14) traces them from HF modeling_codegen.py:
// the building blocks shared by the transformers-js and merged-decoder layouts.

import { sinCosTable } from './rotary-table.ts';
import type { ModelDims } from '../../config.ts';
import type { GraphBuilder } from '../graph-builder.ts';
import { DataType } from '../proto.ts';
import { bytesOf } from '../../chunks.ts';
import { floats } from './common.ts';

/** INT64_MAX, what the exporter writes as the end of an open slice (`x[:, :, :, r:]`). */
export function int64Max(g: GraphBuilder): string {
  const name = 'const_i64_int64_max';
  if (g.hasInitializer(name)) return name;
  return g.initializer(name, [1], DataType.INT64, bytesOf(BigInt64Array.of(2n ** 63n - 1n)));
}

/** Slice on one axis: data[..., start:end:step] (start/end may be tensor names). */
export function slice(
  g: GraphBuilder,
  x: string,
  start: string,
  end: string,
  axis: number,
  step = 1,
): string {
  return g.op('Slice', [x, start, end, g.int64s([axis]), g.int64s([step])]);
}

/** shape(x)[axis] as a 1-element int64 tensor (Shape + Gather, as the exporter writes it). */
export function dim(g: GraphBuilder, x: string, axis: number): string {
  return g.op('Unsqueeze', [
    g.op('Gather', [g.op('Shape', [x]), g.int64s([axis], [])], { attrs: { axis: 0 } }),
    g.int64s([0]),
  ]);
}

/**
 * nn.LayerNorm below opset 17 (torch's native_layer_norm symbolic):
 * ReduceMean, Sub, Pow 2, ReduceMean, Add eps, Sqrt, Div, Mul weight, Add bias.
 */
export function layerNorm(
  g: GraphBuilder,
  x: string,
  weight: string,
  bias: string,
  eps: number,
): string {
  const mean = g.op('ReduceMean', [x], { attrs: { axes: [-1], keepdims: 1 } });
  const centered = g.op('Sub', [x, mean]);
  const variance = g.op('ReduceMean', [g.op('Pow', [centered, g.float(2, 'two')])], {
    attrs: { axes: [-1], keepdims: 1 },
  });
  const std = g.op('Sqrt', [g.op('Add', [variance, g.float(eps, `eps_${eps}`)])]);
  return g.op('Add', [g.op('Mul', [g.op('Div', [centered, std]), weight]), bias]);
}

/**
 * NewGELUActivation (activations.py):
 * 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * pow(x, 3)))).
 */
export function geluNew(g: GraphBuilder, x: string): string {
  const half = g.op('Mul', [x, g.float(0.5, 'half')]);
  const cube = g.op('Pow', [x, g.float(3, 'three')]);
  const inner = g.op('Add', [x, g.op('Mul', [cube, g.float(0.044715, 'gelu_coeff')])]);
  const t = g.op('Tanh', [g.op('Mul', [inner, g.float(Math.sqrt(2 / Math.PI), 'sqrt_2_over_pi')])]);
  return g.op('Mul', [half, g.op('Add', [t, g.float(1, 'one')])]);
}

/**
 * CodeGenAttention's qkv split: reshape to [B, S, mp_num=4, 3E/4], split into query, VALUE,
 * key (in that order) of E/4 each, then `_split_heads` (two Reshapes) to [B, S, H, D].
 */
export function splitQkv(g: GraphBuilder, d: ModelDims, qkv: string): [string, string, string] {
  const mp = 4;
  const E = d.n_embd;
  const H = d.n_head;
  const D = E / H;
  const shards = g.op('Reshape', [qkv, g.int64s([0, 0, mp, -1])]); // [B, S, 4, 3E/4]
  const [q, v, k] = g.node('Split', [shards, g.int64s([E / mp, E / mp, E / mp])], {
    attrs: { axis: -1 },
    outputs: 3,
  }) as [string, string, string];
  const heads = (x: string): string =>
    g.op('Reshape', [
      g.op('Reshape', [x, g.int64s([0, 0, mp, H / mp, D])]),
      g.int64s([0, 0, -1, D]),
    ]);
  return [heads(q), heads(v), heads(k)];
}

/**
 * `create_sinusoidal_positions(n_positions, rotary_dim)`: cat(sin, cos) [n_positions, R]. Not a
 * registered buffer, so the tracer stores it as a constant initializer.
 */
export function embedPositions(g: GraphBuilder, d: ModelDims): string {
  const R = d.rotary_dim;
  return floats(g, 'embed_positions', [d.n_positions, R], sinCosTable(d.n_positions, R));
}

/**
 * `sincos = embed_positions[position_ids]; sin, cos = split(sincos, R/2, -1)`.
 * positions: [B or 1, S] int64 → sin, cos [B or 1, S, R/2].
 */
export function sinCos(g: GraphBuilder, d: ModelDims, positions: string): [string, string] {
  const sincos = g.op('Gather', [embedPositions(g, d), positions], { attrs: { axis: 0 } });
  const half = d.rotary_dim / 2;
  return g.node('Split', [sincos, g.int64s([half, half])], { attrs: { axis: -1 }, outputs: 2 }) as [
    string,
    string,
  ];
}

/**
 * `repeat_interleave(t[:, :, None, :], 2, 3)`: [B, S, R/2] → [B, S, 1, R]. ASSUMPTION: written
 * as Unsqueeze + Expand + Reshape; the exporter's exact op sequence for repeat_interleave with a
 * constant repeat count was not checked (same values either way).
 */
export function repeatInterleave(g: GraphBuilder, t: string, R: number): string {
  const x = g.op('Unsqueeze', [t, g.int64s([2])]); // [B, S, 1, R/2]
  const pairs = g.op('Expand', [g.op('Unsqueeze', [x, g.int64s([4])]), g.int64s([1, 1, 1, 1, 2])]);
  return g.op('Reshape', [pairs, g.int64s([0, 0, 0, R])]); // [B, S, 1, R]
}

/** rotate_every_two: stack((-x[..., 1::2], x[..., ::2]), -1).flatten(-2). x: [B, S, H, R]. */
function rotateEveryTwo(g: GraphBuilder, x: string, R: number): string {
  const end = int64Max(g);
  const even = slice(g, x, g.int64s([0]), end, 3, 2);
  const odd = slice(g, x, g.int64s([1]), end, 3, 2);
  const last = g.int64s([-1]);
  const stacked = g.op(
    'Concat',
    [g.op('Unsqueeze', [g.op('Neg', [odd]), last]), g.op('Unsqueeze', [even, last])],
    { attrs: { axis: -1 } },
  ); // [B, S, H, R/2, 2]
  return g.op('Reshape', [stacked, g.int64s([0, 0, 0, R])]);
}

/**
 * The rotary part of CodeGenAttention.forward for one of key/query [B, S, H, D]:
 * x[..., :R] rotated by apply_rotary_pos_emb, x[..., R:] passed, concatenated back.
 * sinI, cosI: repeatInterleave'd sin/cos [B|1, S, 1, R] (torch recomputes them in every
 * apply_rotary_pos_emb call; identical nodes, so a CSE pass keeps one).
 */
export function rotary(
  g: GraphBuilder,
  d: ModelDims,
  x: string,
  sinI: string,
  cosI: string,
): string {
  const R = d.rotary_dim;
  const rot = slice(g, x, g.int64s([0]), g.int64s([R]), 3);
  const pass = slice(g, x, g.int64s([R]), int64Max(g), 3);
  const out = g.op('Add', [
    g.op('Mul', [rot, cosI]),
    g.op('Mul', [rotateEveryTwo(g, rot, R), sinI]),
  ]);
  return g.op('Concat', [out, pass], { attrs: { axis: -1 } });
}

/** `_merge_heads` of [B, H, S, D]: Transpose + Reshape → [B, S, E]. */
export function mergeHeads(g: GraphBuilder, d: ModelDims, ctx: string): string {
  const t = g.op('Transpose', [ctx], { attrs: { perm: [0, 2, 1, 3] } });
  return g.op('Reshape', [t, g.int64s([0, 0, d.n_embd])]);
}
