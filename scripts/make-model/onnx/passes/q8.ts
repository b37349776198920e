// int8 / uint8 / q8 (model_int8.onnx, model_uint8.onnx, model_quantized.onnx): onnxruntime's
// dynamic IntegerOps quantization, as transformers.js scripts/quantize.py (Dec 2024:
// onnxruntime 1.20.1) calls ONNXQuantizer(per_channel=False, reduce_range=False,
// mode=IntegerOps, static=False, weight_qType, activation_qType=QUInt8,
// extra_options={EnableSubgraph: True, MatMulConstBOnly: True}). q8 picks QUInt8 weights
// only for graphs with Conv / GroupQueryAttention / MultiHeadAttention, so CodeGen's q8 is
// the int8 file under another name.
//
// From onnxruntime/python/tools/quantization:
//   - operators/matmul.py (MatMulInteger): a MatMul whose B is an initializer (in any
//     enclosing graph) becomes DynamicQuantizeLinear(A) [shared by every MatMul reading A in
//     that graph] → MatMulInteger(A_q, B_q, A_zp, B_zp) → Cast(to float) →
//     Mul(·, Mul(A_scale, B_scale)), named `<name>_quant`, `<out>_output_quantized_cast`,
//     `<name>_quant_scales_mul`, `<name>_quant_output_scale_mul`. The LM head is a MatMul
//     with a constant B like any other and is quantized too.
//   - operators/gather.py (GatherQuant): a Gather whose data is a float initializer reads
//     the initializer quantized with the ACTIVATION type (uint8) and a DequantizeLinear
//     `<out>_DequantizeLinear` restores `<out>` before its first reader. This hits the
//     token embedding and every other constant table a layout gathers from.
//   - base_quantizer.py (quantize_initializer_impl, 1.17–1.20): per-tensor parameters with
//     `symmetric = is_weight_symmetric` (weight type QInt8) for EVERY initializer, the
//     gathered ones included; `<w>_quantized` (same dims), `<w>_scale` float [],
//     `<w>_zero_point` [] of the quantized type.
//   - quant_utils.py (compute_scale_zp, quantize_nparray, symmetric ranges int8 [-127, 127]
//     and uint8 [0, 254] since onnxruntime PR 22020): rmin/rmax widened to include 0;
//     symmetric: scale = 2 max|w| / (qmax - qmin), zero point round((qmin + qmax) / 2)
//     (0 for int8, 127 for uint8); asymmetric: scale = (rmax - rmin) / 255, zero point
//     round(-rmin / scale); q = clip(round(w / scale) + zp) with round half to even in float32.
//     ASSUMPTION, not checked against a 1.20.1 checkout: that PR 22020 (uint8 symmetric range
//     [0, 254], onnxruntime issue 25823) is in 1.20.1. Before it the int8 files' embedding
//     would be [0, 255] with zero point 128. Tests read scale and zero point back from the
//     file, so they hold either way; only the stored bytes would differ.
//   - onnx_quantizer.py (quantize_subgraph, find_initializer_in_path): If branches are
//     quantized with the top-level graph as parent: weights live (quantized once) in the
//     top-level graph, activations are quantized in the graph that computes them.

import type { onnx as pb } from 'onnx-proto';
import type { GraphModel } from '../graph-model.ts';
import { DataType } from '../proto.ts';
import type { GraphScope } from './graph-walk.ts';
import {
  allScopes,
  derivedChunks,
  findInitializer,
  float32Of,
  insertBefore,
  isUnused,
  namedNode,
  removeInitializer,
  replaceNode,
} from './graph-walk.ts';

export type Q8Dtype = 'int8' | 'uint8' | 'q8';
type QType = 'int8' | 'uint8';

export interface Tensor8 {
  data: Int8Array | Uint8Array;
  scale: number;
  zeroPoint: number;
}

const FLOAT32_TINY = 1.1754943508222875e-38;

/** Round half to even (numpy.round). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Per-tensor 8-bit quantization as onnxruntime's quantize_data (float32 data). */
export function quantize8(values: Float32Array, qType: QType, symmetric: boolean): Tensor8 {
  const f = Math.fround;
  // Symmetric ranges exclude one code so the zero point sits in the middle.
  const [qmin, qmax] =
    qType === 'int8' ? (symmetric ? [-127, 127] : [-128, 127]) : symmetric ? [0, 254] : [0, 255];
  let rmin = 0;
  let rmax = 0;
  for (const v of values) {
    if (v < rmin) rmin = v;
    if (v > rmax) rmax = v;
  }
  if (symmetric) {
    const absmax = Math.max(-rmin, rmax);
    rmin = -absmax;
    rmax = absmax;
  }
  const scale64 = f(rmax - rmin) / (qmax - qmin); // float64, as numpy computes it
  let scale = 1;
  let zeroPoint = 0;
  if (scale64 >= FLOAT32_TINY) {
    zeroPoint = symmetric ? roundHalfEven((qmin + qmax) / 2) : roundHalfEven(qmin - rmin / scale64);
    scale = f(scale64);
  }
  // quantize_nparray clips to the type's full range.
  const [lo, hi] = qType === 'int8' ? [-128, 127] : [0, 255];
  const data = qType === 'int8' ? new Int8Array(values.length) : new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    data[i] = Math.min(hi, Math.max(lo, roundHalfEven(f(values[i]! / scale)) + zeroPoint));
  }
  return { data, scale, zeroPoint };
}

interface QuantizedInitializer {
  q: string;
  scale: string;
  zeroPoint: string;
}

class Q8Pass {
  private readonly weights = new Map<string, QuantizedInitializer>();
  /** `${scope index}:${tensor}` → [quantized, scale, zero point] of its DynamicQuantizeLinear. */
  private readonly activations = new Map<string, [string, string, string]>();
  private readonly scopes: GraphScope[];
  private readonly weightType: QType;

  constructor(
    private readonly model: GraphModel,
    dtype: Q8Dtype,
  ) {
    this.scopes = allScopes(model);
    this.weightType = dtype === 'uint8' ? 'uint8' : 'int8';
  }

  run(): void {
    for (const scope of this.scopes) {
      for (const node of [...scope.nodes]) {
        if ((node.domain ?? '') !== '') continue;
        if (node.opType === 'MatMul') this.matMul(scope, node);
        else if (node.opType === 'Gather') this.gather(scope, node);
      }
    }
    for (const name of this.weights.keys())
      if (isUnused(this.model, name)) removeInitializer(this.model, name);
  }

  private floatInitializer(name: string): boolean {
    return findInitializer(this.model, name)?.dataType === DataType.FLOAT;
  }

  /** Quantizes an initializer once, in the top-level graph. */
  private quantizeInitializer(name: string, qType: QType): QuantizedInitializer {
    const known = this.weights.get(name);
    if (known) return known;
    const init = findInitializer(this.model, name)!;
    const count = init.dims.reduce((a, b) => a * b, 1);
    const source = init.data;
    // is_weight_symmetric follows the WEIGHT type, also for tables quantized as activations.
    const symmetric = this.weightType === 'int8';
    const [scale, zeroPoint, q] = derivedChunks(
      () => quantize8(float32Of(source), qType, symmetric),
      [
        { length: 4, pick: (r) => Float32Array.of(r.scale) },
        {
          length: 1,
          pick: (r) => (qType === 'int8' ? Int8Array.of(r.zeroPoint) : Uint8Array.of(r.zeroPoint)),
        },
        { length: count, pick: (r) => r.data },
      ],
    );
    const type = qType === 'int8' ? DataType.INT8 : DataType.UINT8;
    const names: QuantizedInitializer = {
      scale: this.model.graph.initializer(`${name}_scale`, [], DataType.FLOAT, scale!),
      zeroPoint: this.model.graph.initializer(`${name}_zero_point`, [], type, zeroPoint!),
      q: this.model.graph.initializer(`${name}_quantized`, init.dims, type, q!),
    };
    this.weights.set(name, names);
    return names;
  }

  private matMul(scope: GraphScope, node: pb.INodeProto): void {
    const [x, b] = node.input as [string, string];
    if (!this.floatInitializer(b)) return; // MatMulConstBOnly
    const w = this.quantizeInitializer(b, this.weightType);
    const [xq, xScale, xZp] = this.dynamicQuantize(scope, node, x);
    const out = node.output![0]!;
    const name = `${node.name}_quant`;
    const acc = `${out}_output_quantized`;
    const scalesMul = `${name}_scales_mul`;
    const m = this.model;
    replaceNode(scope.nodes, node, [
      namedNode(m, 'MatMulInteger', name, [xq, w.q, xZp, w.zeroPoint], [acc]), // int32
      namedNode(m, 'Cast', `${acc}_cast`, [acc], [`${acc}_cast_output`], {
        attrs: { to: DataType.FLOAT },
      }),
      namedNode(m, 'Mul', scalesMul, [xScale, w.scale], [`${scalesMul}:0`]),
      namedNode(
        m,
        'Mul',
        `${name}_output_scale_mul`,
        [`${acc}_cast_output`, `${scalesMul}:0`],
        [out],
      ),
    ]);
  }

  /** The DynamicQuantizeLinear of `x`, made in the graph that computes `x` if not there yet. */
  private dynamicQuantize(
    scope: GraphScope,
    consumer: pb.INodeProto,
    x: string,
  ): [string, string, string] {
    let home = scope;
    let anchor = consumer;
    while (home.parent && !home.nodes.some((n) => n.output?.includes(x))) {
      anchor = home.owner!;
      home = home.parent;
    }
    const key = `${this.scopes.indexOf(home)}:${x}`;
    const known = this.activations.get(key);
    if (known) return known;
    const outputs: [string, string, string] = [`${x}_quantized`, `${x}_scale`, `${x}_zero_point`];
    const dql = namedNode(this.model, 'DynamicQuantizeLinear', `${x}_QuantizeLinear`, [x], outputs);
    insertBefore(home.nodes, anchor, [dql]);
    this.activations.set(key, outputs);
    return outputs;
  }

  private gather(scope: GraphScope, node: pb.INodeProto): void {
    const data = node.input![0]!;
    if (!this.floatInitializer(data)) return;
    const w = this.quantizeInitializer(data, 'uint8'); // activation type
    const out = node.output![0]!;
    const gathered = `${out}_quantized`;
    node.input![0] = w.q;
    node.output![0] = gathered;
    const dq = namedNode(
      this.model,
      'DequantizeLinear',
      `${out}_DequantizeLinear`,
      [gathered, w.scale, w.zeroPoint],
      [out],
    );
    const reader = scope.nodes.find((n) => n.input?.includes(out));
    if (reader) insertBefore(scope.nodes, reader, [dq]);
    else scope.nodes.splice(scope.nodes.indexOf(node) + 1, 0, dq);
  }
}

export function applyQ8(model: GraphModel, dtype: Q8Dtype): void {
  new Q8Pass(model, dtype).run();
}
