// The compact layout: our own CodeGenForCausalLM decoder-with-past graph (opset 17), the one
// make-model wrote before it reproduced the published exports. Fused LayerNormalization, gelu_new
// with Mul instead of Pow, a mask built from two Ranges and Wheres, interleaved rotary tables.
// Sources: HF modeling_codegen.py for the math; everything about the op choice is ours.
// Inputs:  input_ids [B, S] int64, attention_mask [B, P+S] int64, position_ids [B, S] int64,
//          past_key_values.{i}.key/value [B, H, P, D] fp32 (P may be 0).
// Outputs: logits [B, S, V], present.{i}.key/value [B, H, P+S, D].

import { interleavePairs, sinusoidalPositions } from '../../../../src/engine/reference/rotary.ts';
import { MP_NUM } from '../../../../src/engine/reference/attention.ts';
import { bytesOf } from '../../chunks.ts';
import type { ModelDims } from '../../config.ts';
import type { WeightSource } from '../../weights.ts';
import { GraphBuilder } from '../graph-builder.ts';
import type { GraphModel } from '../graph-model.ts';
import { DataType } from '../proto.ts';
import { rotary, selfAttention } from './compact-attention.ts';
import type { AttentionInputs } from './compact-attention.ts';
import { FLOAT32_MIN, Params, signature } from './common.ts';

export function buildCompact(d: ModelDims, source: WeightSource): GraphModel {
  const g = new GraphBuilder();
  const params = new Params(g, source);
  const ctx: LayerContext = {
    g,
    d,
    linear: (x, module, outputName) => params.linear(x, module, outputName),
    param: (name) => params.tensor(name),
    maskBias: '',
    sin: '',
    cos: '',
  };

  g.scope = '/transformer/wte';
  let hidden = g.op('Gather', [ctx.param('transformer.wte.weight'), 'input_ids'], {
    attrs: { axis: 0 },
  }); // [B, S, E]
  ctx.maskBias = attentionMaskBias(g);
  [ctx.sin, ctx.cos] = rotaryTables(g, d);
  for (let i = 0; i < d.n_layer; i++) hidden = decoderLayer(ctx, hidden, i);

  g.scope = '/transformer/ln_f';
  const final = g.op(
    'LayerNormalization',
    [hidden, ctx.param('transformer.ln_f.weight'), ctx.param('transformer.ln_f.bias')],
    { attrs: { axis: -1, epsilon: { float: d.layer_norm_epsilon } } },
  );
  g.scope = '/lm_head';
  ctx.linear(final, 'lm_head', 'logits');
  const total = 'total_sequence_length';
  return {
    graph: g,
    graphName: 'codegen_compact',
    ...signature(d, {
      positionIds: true,
      maskLength: total,
      presentLength: total,
      inputOrder: 'ids-mask-past',
    }),
    opsets: [{ domain: '', version: 17 }],
  };
}

interface LayerContext {
  g: GraphBuilder;
  d: ModelDims;
  linear: (x: string, module: string, outputName?: string) => string;
  param: (name: string) => string;
  maskBias: string; // [B, 1, S, T]
  sin: string; // [B, S, 1, R]
  cos: string; // [B, S, 1, R]
}

/** Additive mask [B, 1, S, T]: 0 where query i (cache position P+i) may see key j, else finfo.min. */
function attentionMaskBias(g: GraphBuilder): string {
  g.scope = '/transformer/mask';
  const seqLen = g.op('Shape', ['input_ids'], { attrs: { start: 1, end: 2 } }); // [1] = S
  const totalLen = g.op('Shape', ['attention_mask'], { attrs: { start: 1, end: 2 } }); // [1] = T
  const pastLen = g.op('Sub', [totalLen, seqLen]); // [1] = P
  const axis0 = g.int64s([0]);
  const one = g.int64s([1], []);
  const total = g.op('Squeeze', [totalLen, axis0]);
  const queryPos = g.op('Range', [g.op('Squeeze', [pastLen, axis0]), total, one]); // [S]
  const keyPos = g.op('Range', [g.int64s([0], []), total, one]); // [T]
  const causal = g.op('LessOrEqual', [
    g.op('Unsqueeze', [keyPos, axis0]), // [1, T]
    g.op('Unsqueeze', [queryPos, g.int64s([1])]), // [S, 1]
  ]); // [S, T] bool
  const minF = g.float(FLOAT32_MIN, 'finfo_min');
  const causalBias = g.op('Where', [causal, g.float(0, 'zero'), minF]); // [S, T]
  // Two Wheres instead of And: And has no WebGPU kernel.
  const isToken = g.op('Cast', ['attention_mask'], { attrs: { to: DataType.BOOL } }); // [B, T]
  const keep = g.op('Unsqueeze', [isToken, g.int64s([1, 2])]); // [B, 1, 1, T]
  return g.op('Where', [keep, causalBias, minF]); // [B, 1, S, T]
}

/** sin/cos gathered by position_ids, each [B, S, 1, R] with pairs interleaved. */
function rotaryTables(g: GraphBuilder, d: ModelDims): [string, string] {
  g.scope = '/transformer/rotary';
  const R = d.rotary_dim;
  const table = sinusoidalPositions(d.n_positions, R); // [n_positions, R/2] each
  const gather = (label: string, values: Float32Array): string => {
    const name = `rotary_${label}_interleaved`;
    const data = bytesOf(interleavePairs(values, R / 2)); // [n_positions, R]
    const init = g.initializer(name, [d.n_positions, R], DataType.FLOAT, data);
    const rows = g.op('Gather', [init, 'position_ids'], { attrs: { axis: 0 } }); // [B, S, R]
    return g.op('Unsqueeze', [rows, g.int64s([2])]);
  };
  return [gather('sin', table.sin), gather('cos', table.cos)];
}

/** One CodeGenBlock. hidden: [B, S, E] → [B, S, E]. */
function decoderLayer(c: LayerContext, hidden: string, i: number): string {
  const { g, d, linear } = c;
  const E = d.n_embd;
  const H = d.n_head;
  const D = E / H;
  const p = `transformer.h.${i}`;
  g.scope = `/${p}`;
  const h = g.op(
    'LayerNormalization',
    [hidden, c.param(`${p}.ln_1.weight`), c.param(`${p}.ln_1.bias`)],
    {
      attrs: { axis: -1, epsilon: { float: d.layer_norm_epsilon } },
    },
  );
  g.scope = `/${p}/attn`;
  const qkv = linear(h, `${p}.attn.qkv_proj`); // [B, S, 3E]
  // [B, S, mp, 3 * E/mp]: per shard query, VALUE, key; each reshaped to [B, S, H, D].
  const shards = g.op('Reshape', [qkv, g.int64s([0, 0, MP_NUM, (3 * E) / MP_NUM])]);
  const local = E / MP_NUM;
  const [q, v, k] = g.node('Split', [shards, g.int64s([local, local, local])], {
    attrs: { axis: 3 },
    outputs: 3,
  }) as [string, string, string];
  const heads = g.int64s([0, 0, H, D]);
  const att: AttentionInputs = {
    q: rotary(g, g.op('Reshape', [q, heads]), c.sin, c.cos, d.rotary_dim, D),
    k: rotary(g, g.op('Reshape', [k, heads]), c.sin, c.cos, d.rotary_dim, D),
    v: g.op('Reshape', [v, heads]),
    pastKey: `past_key_values.${i}.key`,
    pastValue: `past_key_values.${i}.value`,
    presentKey: `present.${i}.key`,
    presentValue: `present.${i}.value`,
    maskBias: c.maskBias,
    headDim: D,
    embd: E,
  };
  const attn = linear(selfAttention(g, att), `${p}.attn.out_proj`); // [B, S, E]
  g.scope = `/${p}/mlp`;
  const x = linear(h, `${p}.mlp.fc_in`); // [B, S, inner]
  const mlp = linear(geluNew(g, x), `${p}.mlp.fc_out`); // [B, S, E]
  g.scope = `/${p}`;
  return g.op('Add', [g.op('Add', [attn, mlp]), hidden]); // (attn + mlp) + residual, as HF
}

/** gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))); x^3 as Mul (Pow is unsafe for x < 0 on GPU). */
function geluNew(g: GraphBuilder, x: string): string {
  const cube = g.op('Mul', [g.op('Mul', [x, x]), x]);
  const inner = g.op('Add', [x, g.op('Mul', [cube, g.float(0.044715, 'gelu_coeff')])]);
  const t = g.op('Tanh', [g.op('Mul', [inner, g.float(Math.sqrt(2 / Math.PI), 'sqrt_2_over_pi')])]);
  const onePlus = g.op('Add', [t, g.float(1, 'one')]);
  return g.op('Mul', [g.op('Mul', [x, g.float(0.5, 'half')]), onePlus]);
}
