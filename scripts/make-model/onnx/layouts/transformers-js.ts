// onnx/model.onnx of Xenova/codegen-350M-mono (transformers.js v3 toolchain), in fp32.
//
// Sources:
// - huggingface/transformers.js scripts/convert.py + requirements.txt at 4e1b4b65^: export via
//   optimum 1.23.3 (main_export, task text-generation-with-past) with transformers 4.46.3.
// - optimum v1.23.3 exporters/onnx/model_configs.py: CodeGenOnnxConfig = GPT2OnnxConfig =
//   TextDecoderWithPositionIdsOnnxConfig, DEFAULT_ONNX_OPSET 14 → inputs input_ids,
//   past_key_values.{i}.key/value [batch_size, n_head, past_sequence_length, head_dim],
//   attention_mask [batch_size, past_sequence_length + 1], position_ids (in that order:
//   OnnxConfig.ordered_inputs follows CodeGenForCausalLM.forward's signature); outputs logits,
//   present.{i}.key/value [.., past_sequence_length + 1, ..] (config.py / base.py
//   add_past_key_values); no model patcher touches CodeGen's mask (DecoderModelPatcher only
//   patches the SDPA helpers).
// - transformers.js scripts/convert.py at e848907e (the commit pinning transformers 4.46.3 and
//   optimum 1.23.3; 4e1b4b65^ already pins 4.52.4 / 1.26.1) runs onnxslim.slim on every exported
//   file. Of what onnxslim does (constant folding, common subexpression elimination, dead code)
//   only the CSE is visible here: sin/cos are repeat-interleaved once, not per layer.
// - transformers 4.46 models/codegen/modeling_codegen.py (read at the stored 4.46-era revision
//   00491ceeee1a): embedding Gather; nn.LayerNorm (decomposed: opset 14 has no
//   LayerNormalization); NewGELUActivation with pow(x, 3); qkv reshaped to mp_num = 4 shards and
//   split query/value/key; `sincos = embed_positions[position_ids]` (a Gather: CodeGen indexes,
//   it does not use GPT-J's repeat + gather) split into sin/cos; apply_rotary_pos_emb with
//   repeat_interleave and rotate_every_two (strided Slices, Neg, stack, flatten); rotary slice
//   [:R] rotated and concatenated with [R:]; DynamicCache.update = Concat on axis -2; `_attn`
//   adds the causal mask slice BEFORE dividing by scale_attn; Softmax; MatMul; out_proj.
// - The 4D mask is `_update_causal_mask` → `_prepare_4d_causal_attention_mask_with_cache_position`
//   (eager attention: CodeGen has no SDPA path): full(finfo.min) → ConstantOfShape, triu(k=1) →
//   Trilu (the `sequence_length != 1` test is Python at trace time, true for the dummy input),
//   arange(target) > cache_position → Range, Greater, Cast, Mul; expand to the batch; padding
//   via Slice, Add, Equal 0, Where. cache_position = arange(past, past + seq) with past from
//   the first past key's shape.
// ASSUMPTIONS (not checked against the real file): the slice assignment
// `causal_mask[..., :mask_length] = ...` is written as Transpose + ScatterND + Transpose;
// dynamic shapes the exporter computes with Shape/Gather/Concat chains are written as Reshape
// constants with 0 (copy) dims; repeat_interleave is Unsqueeze + Expand + Reshape; linear
// weights are named `{module}.weight_transposed` (the exporter writes onnx::MatMul_N).

import type { onnx as pb } from 'onnx-proto';
import type { ModelDims } from '../../config.ts';
import type { WeightSource } from '../../weights.ts';
import { GraphBuilder } from '../graph-builder.ts';
import type { GraphModel } from '../graph-model.ts';
import { AttrType, DataType } from '../proto.ts';
import { FLOAT32_MIN, Params, signature } from './common.ts';
import { dim, slice } from './traced-ops.ts';
import { tracedDecoder } from './traced-decoder.ts';

export function buildTransformersJs(d: ModelDims, source: WeightSource): GraphModel {
  const g = new GraphBuilder();
  const p = new Params(g, source);
  const mask = causalMask(g); // [B, 1, S, T]
  const scale = g.float(Math.sqrt(d.n_embd / d.n_head), 'scale_attn');
  tracedDecoder(g, p, d, 'input_ids', {
    positions: 'position_ids',
    withPast: true,
    scores: (b, raw, _query, key) => {
      // attention_mask[:, :, :, : key.shape[-2]]; attn_weights += causal_mask; / scale_attn
      const visible = slice(b, mask, b.int64s([0]), dim(b, key, 2), 3);
      return b.op('Div', [b.op('Add', [raw, visible]), scale]);
    },
  });
  // optimum names the grown axis `past_sequence_length + 1` even though prefill adds more.
  const total = 'past_sequence_length + 1';
  const io = signature(d, {
    positionIds: true,
    maskLength: total,
    presentLength: total,
    inputOrder: 'forward',
  });
  return {
    graph: g,
    graphName: 'main_graph',
    ...io,
    opsets: [{ domain: '', version: 14 }],
  };
}

/** Scalar int64 shape(x)[axis]. */
function dimScalar(g: GraphBuilder, x: string, axis: number): string {
  return g.op('Gather', [g.op('Shape', [x]), g.int64s([axis], [])], { attrs: { axis: 0 } });
}

/** ConstantOfShape(shape) filled with one float (its `value` is a tensor attribute). */
function constantOfShape(g: GraphBuilder, shape: string, value: number): string {
  const node = g.makeNode('ConstantOfShape', [shape]);
  const t: pb.ITensorProto = { dims: [1], dataType: DataType.FLOAT, floatData: [value] };
  node.attribute = [{ name: 'value', type: AttrType.TENSOR, t }];
  g.nodes.push(node);
  return node.output![0]!;
}

/** `_prepare_4d_causal_attention_mask_with_cache_position` for a 2D mask: [B, 1, S, T] fp32. */
function causalMask(g: GraphBuilder): string {
  g.scope = '/transformer/mask';
  const one = g.int64s([1], []);
  const S = dimScalar(g, 'input_ids', 1);
  const T = dimScalar(g, 'attention_mask', 1); // target_length = attention_mask.shape[-1]
  const past = dimScalar(g, 'past_key_values.0.key', 2); // DynamicCache.get_seq_length()
  const cachePosition = g.op('Range', [past, g.op('Add', [past, S]), one]); // [S]
  const axis0 = g.int64s([0]);
  const unsq = (x: string): string => g.op('Unsqueeze', [x, axis0]);
  const full = constantOfShape(
    g,
    g.op('Concat', [unsq(S), unsq(T)], { attrs: { axis: 0 } }),
    FLOAT32_MIN,
  ); // [S, T]
  const upper = g.op('Trilu', [full, one], { attrs: { upper: 1 } });
  const later = g.op('Greater', [
    g.op('Range', [g.int64s([0], []), T, one]), // [T]
    g.op('Reshape', [cachePosition, g.int64s([-1, 1])]), // [S, 1]
  ]); // [S, T] bool
  const causal = g.op('Mul', [upper, g.op('Cast', [later], { attrs: { to: DataType.FLOAT } })]);
  const batch = g.op('Concat', [unsq(dimScalar(g, 'input_ids', 0)), g.int64s([1, 1, 1])], {
    attrs: { axis: 0 },
  });
  const expanded = g.op('Expand', [g.op('Unsqueeze', [causal, g.int64s([0, 1])]), batch]); // [B, 1, S, T]
  const maskLength = dimScalar(g, 'attention_mask', 1);
  const head = slice(g, expanded, g.int64s([0]), unsq(maskLength), 3); // [..., :mask_length]
  const pad = g.op('Cast', [g.op('Unsqueeze', ['attention_mask', g.int64s([1, 2])])], {
    attrs: { to: DataType.FLOAT },
  }); // [B, 1, 1, T]
  const isPad = g.op('Equal', [g.op('Add', [head, pad]), g.float(0, 'zero')]);
  const filled = g.op('Where', [isPad, g.float(FLOAT32_MIN, 'finfo_min'), head]);
  // causal_mask[:, :, :, :mask_length] = filled, scattered along the last axis.
  const lastFirst = { attrs: { perm: [3, 0, 1, 2] } };
  const indices = g.op('Unsqueeze', [
    g.op('Range', [g.int64s([0], []), maskLength, one]),
    g.int64s([1]),
  ]);
  const scattered = g.op('ScatterND', [
    g.op('Transpose', [expanded], lastFirst),
    indices,
    g.op('Transpose', [filled], lastFirst),
  ]); // [T, B, 1, S]
  return g.op('Transpose', [scattered], { attrs: { perm: [1, 2, 3, 0] } });
}
