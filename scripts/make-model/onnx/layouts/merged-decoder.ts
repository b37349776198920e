// onnx/decoder_model_merged.onnx of Xenova/codegen-350M-multi and -nl (uploaded 2023), in fp32.
//
// Sources:
// - optimum v1.12.0 optimum/onnx/graph_transformations.py merge_decoders: one top-level `If`
//   node named optimum::if on input use_cache_branch (bool [1]); then_branch "with_past" is the
//   decoder-with-past, else_branch "no_past" the decoder without past, both outputting logits and
//   present.*; graph inputs are the union of both decoders' inputs plus use_cache_branch;
//   attention_mask's second axis renamed attention_mask_sequence_length; the opset is the
//   decoders' own. Initializers are deduplicated by content across both models
//   (transformations_utils._find_duplicate_initializers) and kept in the top-level graph.
// - transformers.js scripts/requirements.txt at 222d33ac (2023-09): transformers 4.33.2,
//   optimum 1.13.2, no onnxslim. optimum v1.13.2 model_configs.py: CodeGenOnnxConfig =
//   GPT2OnnxConfig = TextDecoderOnnxConfig (no position_ids), DEFAULT_ONNX_OPSET 13.
// - transformers 4.33 modeling_codegen.py (the version with the `causal_mask` bool buffer,
//   read from the stored copy of that code): position_ids None →
//   arange(past_length, past_length + seq).unsqueeze(0).view(-1, seq), the same row for every
//   batch entry; the padding mask extended as (1.0 - mask[:, None, None, :]) * finfo.min; in
//   `_attn`: causal_mask buffer [1, 1, n_positions, n_positions] sliced
//   [key_len - query_len : key_len, :key_len], scores / scale_attn, torch.where(causal, scores,
//   finfo.min), + extended mask, Softmax. Rotary, qkv split, LayerNorm, gelu_new and the cache
//   Concat on axis -2 are written as in the transformers-js layout (same modeling code there).
// ASSUMPTIONS: as in transformers-js.ts (shape chains as Reshape constants, repeat_interleave,
// weight names); optimum keeps scalar and 1-D int initializers inside each branch, we keep every
// initializer top-level; the per-layer causal_mask buffers are one initializer (identical
// content, so the dedup merges them).
// MEASURED: the 350M preset in this layout (1365.5 MiB fp32) fails to load in onnxruntime-web
// 1.30 WASM under Node (std::bad_alloc at session creation, also with graph optimizations
// disabled), while the same weights in the transformers-js layout load and run: onnxruntime
// needs more memory for initializers consumed inside If branches (cf. microsoft/onnxruntime
// PR 12310) and WASM has a 4 GiB heap.

import { bytesOf } from '../../chunks.ts';
import type { ModelDims } from '../../config.ts';
import type { WeightSource } from '../../weights.ts';
import { GraphBuilder } from '../graph-builder.ts';
import type { GraphModel } from '../graph-model.ts';
import { valueInfo } from '../model-writer.ts';
import { DataType } from '../proto.ts';
import { FLOAT32_MIN, Params, signature } from './common.ts';
import { dim, slice } from './traced-ops.ts';
import { tracedDecoder } from './traced-decoder.ts';

export function buildMergedDecoder(d: ModelDims, source: WeightSource): GraphModel {
  const g = new GraphBuilder();
  const io = signature(d, {
    positionIds: false,
    maskLength: 'attention_mask_sequence_length',
    presentLength: 'past_sequence_length + 1',
    // merge_decoders lists the no-past decoder's inputs first, then the with-past extras.
    inputOrder: 'ids-mask-past',
  });
  const branch = (withPast: boolean): GraphBuilder => {
    const b = g.subgraph();
    decoder(b, new Params(b, source), d, withPast);
    return b;
  };
  const ifNode = g.makeNode('If', ['use_cache_branch'], {
    attrs: {
      then_branch: { graph: branch(true).toGraphProto('with_past', io.outputs) },
      else_branch: { graph: branch(false).toGraphProto('no_past', io.outputs) },
    },
  });
  ifNode.name = 'optimum::if';
  ifNode.output = io.outputs.map((o) => o.name!);
  g.nodes.push(ifNode);
  return {
    graph: g,
    graphName: 'merged',
    inputs: [...io.inputs, valueInfo('use_cache_branch', DataType.BOOL, [1])],
    outputs: io.outputs,
    opsets: [{ domain: '', version: 13 }],
  };
}

function scalar(g: GraphBuilder, x: string, axis: number): string {
  return g.op('Gather', [g.op('Shape', [x]), g.int64s([axis], [])], { attrs: { axis: 0 } });
}

/** One branch: CodeGenForCausalLM of transformers 4.33 traced with or without past. */
function decoder(g: GraphBuilder, p: Params, d: ModelDims, withPast: boolean): void {
  g.scope = '/transformer';
  const seqLen = dim(g, 'input_ids', 1); // [1]
  const rows = g.op('Concat', [g.int64s([-1]), seqLen], { attrs: { axis: 0 } });
  const ids = g.op('Reshape', ['input_ids', rows]); // input_ids.view(-1, input_shape[-1])
  const S = scalar(g, 'input_ids', 1);
  const pastLength = withPast ? scalar(g, 'past_key_values.0.key', 2) : g.int64s([0], []);
  const range = g.op('Range', [pastLength, g.op('Add', [S, pastLength]), g.int64s([1], [])]);
  const positions = g.op('Reshape', [g.op('Unsqueeze', [range, g.int64s([0])]), rows]); // [1, S]

  // attention_mask.view(batch_size, -1)[:, None, None, :], (1.0 - mask) * finfo.min
  const batch = g.op('Concat', [dim(g, 'input_ids', 0), g.int64s([-1])], { attrs: { axis: 0 } });
  const mask4 = g.op('Unsqueeze', [g.op('Reshape', ['attention_mask', batch]), g.int64s([1, 2])]);
  const inverted = g.op('Sub', [
    g.float(1, 'one'),
    g.op('Cast', [mask4], { attrs: { to: DataType.FLOAT } }),
  ]);
  const extended = g.op('Mul', [inverted, g.float(FLOAT32_MIN, 'finfo_min')]); // [B, 1, 1, T]

  const causalBuffer = causalMaskBuffer(g, d.n_positions);
  const scale = g.float(Math.sqrt(d.n_embd / d.n_head), 'scale_attn');
  tracedDecoder(g, p, d, ids, {
    positions,
    withPast,
    scores: (b, raw, query, key) => {
      const keyLength = dim(b, key, 2);
      const rowsFrom = b.op('Sub', [keyLength, dim(b, query, 2)]);
      const rowsSlice = slice(b, causalBuffer, rowsFrom, keyLength, 2);
      const causal = slice(b, rowsSlice, b.int64s([0]), keyLength, 3); // [1, 1, S, T] bool
      const scaled = b.op('Div', [raw, scale]);
      const masked = b.op('Where', [causal, scaled, b.float(FLOAT32_MIN, 'finfo_min')]);
      return b.op('Add', [masked, extended]);
    },
  });
}

/** The `causal_mask` buffer: tril(ones(n, n)) as bool [1, 1, n, n]. */
function causalMaskBuffer(g: GraphBuilder, n: number): string {
  const name = 'transformer.h.0.attn.causal_mask';
  if (g.hasInitializer(name)) return name;
  return g.initializer(name, [1, 1, n, n], DataType.BOOL, {
    length: n * n,
    produce: () => {
      const out = new Uint8Array(n * n);
      for (let r = 0; r < n; r++) out.fill(1, r * n, r * n + r + 1);
      return bytesOf(out);
    },
  });
}
