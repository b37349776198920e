// CodeGenForCausalLM as torch.onnx traces modeling_codegen.py: embedding, n_layer CodeGenBlocks,
// ln_f, lm_head. What differs between transformers versions (how positions and the attention
// mask are built, how scores are masked and scaled, whether a past is concatenated) is passed in.

import type { ModelDims } from '../../config.ts';
import type { GraphBuilder } from '../graph-builder.ts';
import type { Params } from './common.ts';
import {
  dim,
  geluNew,
  layerNorm,
  mergeHeads,
  repeatInterleave,
  rotary,
  sinCos,
  splitQkv,
} from './traced-ops.ts';

export interface DecoderOptions {
  /** int64 [B or 1, S]: a graph input or computed positions. */
  positions: string;
  /** Concatenate past_key_values.{i}.* before attention (decoder-with-past). */
  withPast: boolean;
  /** raw = q·kᵀ [B, H, S, T] → masked and scaled scores, fed to Softmax. */
  scores: (g: GraphBuilder, raw: string, query: string, key: string) => string;
}

/** Writes the decoder into `g`; its outputs are named logits and present.{i}.key/value. */
export function tracedDecoder(
  g: GraphBuilder,
  p: Params,
  d: ModelDims,
  inputIds: string,
  opts: DecoderOptions,
): void {
  g.scope = '/transformer/wte';
  let hidden = g.op('Gather', [p.tensor('transformer.wte.weight'), inputIds], {
    attrs: { axis: 0 },
  }); // [B, S, E]
  g.scope = '/transformer';
  const [sinHalf, cosHalf] = sinCos(g, d, opts.positions); // [B|1, S, R/2] each
  // One repeat_interleave each for all layers (CSE; see traced-ops rotary).
  const sin = repeatInterleave(g, sinHalf, d.rotary_dim); // [B|1, S, 1, R]
  const cos = repeatInterleave(g, cosHalf, d.rotary_dim);
  for (let i = 0; i < d.n_layer; i++) hidden = block(g, p, d, hidden, i, { ...opts, sin, cos });
  g.scope = '/transformer/ln_f';
  const final = layerNorm(
    g,
    hidden,
    p.tensor('transformer.ln_f.weight'),
    p.tensor('transformer.ln_f.bias'),
    d.layer_norm_epsilon,
  );
  // hidden_states.view(output_shape), output_shape = (-1, seq_length, E)
  const shape = g.op('Concat', [g.int64s([-1]), dim(g, inputIds, 1), g.int64s([d.n_embd])], {
    attrs: { axis: 0 },
  });
  g.scope = '/lm_head';
  p.linear(g.op('Reshape', [final, shape]), 'lm_head', 'logits'); // [B, S, V]
}

/** One CodeGenBlock: hidden [B, S, E] → [B, S, E]. */
function block(
  g: GraphBuilder,
  p: Params,
  d: ModelDims,
  hidden: string,
  i: number,
  opts: DecoderOptions & { sin: string; cos: string },
): string {
  const prefix = `transformer.h.${i}`;
  g.scope = `/${prefix}/ln_1`;
  const h = layerNorm(
    g,
    hidden,
    p.tensor(`${prefix}.ln_1.weight`),
    p.tensor(`${prefix}.ln_1.bias`),
    d.layer_norm_epsilon,
  );
  g.scope = `/${prefix}/attn`;
  const qkv = p.linear(h, `${prefix}.attn.qkv_proj`); // [B, S, 3E]
  const [q, v, k] = splitQkv(g, d, qkv); // [B, S, H, D] each
  const toHeads = { attrs: { perm: [0, 2, 1, 3] } };
  const present = (kind: string): string => `present.${i}.${kind}`;
  const past = (kind: string): string => `past_key_values.${i}.${kind}`;
  // value.permute(0, 2, 1, 3) comes right after _split_heads, before the rotary part.
  const valueNew = g.op(
    'Transpose',
    [v],
    opts.withPast ? toHeads : { ...toHeads, outputName: present('value') },
  );
  const keyRot = rotary(g, d, k, opts.sin, opts.cos);
  const queryRot = rotary(g, d, q, opts.sin, opts.cos);
  const keyNew = g.op(
    'Transpose',
    [keyRot],
    opts.withPast ? toHeads : { ...toHeads, outputName: present('key') },
  );
  const query = g.op('Transpose', [queryRot], toHeads); // [B, H, S, D]
  const cat = (kind: string, x: string): string =>
    g.op('Concat', [past(kind), x], { attrs: { axis: -2 }, outputName: present(kind) });
  const key = opts.withPast ? cat('key', keyNew) : keyNew; // [B, H, T, D]
  const value = opts.withPast ? cat('value', valueNew) : valueNew; // [B, H, T, D]
  const raw = g.op('MatMul', [query, g.op('Transpose', [key], { attrs: { perm: [0, 1, 3, 2] } })]);
  const probs = g.op('Softmax', [opts.scores(g, raw, query, key)], { attrs: { axis: -1 } });
  const ctx = g.op('MatMul', [probs, value]); // [B, H, S, D]
  const attn = p.linear(mergeHeads(g, d, ctx), `${prefix}.attn.out_proj`); // [B, S, E]
  g.scope = `/${prefix}/mlp`;
  const ff = p.linear(geluNew(g, p.linear(h, `${prefix}.mlp.fc_in`)), `${prefix}.mlp.fc_out`);
  g.scope = `/${prefix}`;
  // attn_output + feed_forward_hidden_states + residual
  return g.op('Add', [g.op('Add', [attn, ff]), hidden]);
}
