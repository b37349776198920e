// fp16 (model_fp16.onnx; also the second step of q4f16): float32 → float16 as
// transformers.js scripts/quantize.py (Dec 2024) runs onnxconverter-common 1.14.0
// float16.convert_float_to_float16(model, keep_io_types=True,
// op_block_list=DEFAULT_OP_BLOCK_LIST) (onnxconverter_common/float16.py):
//   - keep_io_types: each float graph input i gets Cast(to=FLOAT16) `graph_input_cast<i>`
//     writing `graph_input_cast_<i>`, each float graph output i is produced by
//     Cast(to=FLOAT) `graph_output_cast<i>` from `graph_output_cast_<i>`; every reader and
//     writer of those names (subgraphs included) is renamed. i counts all inputs/outputs.
//     Without keep_io_types the graph inputs and outputs themselves become float16.
//   - nodes not in the block list: Cast(to=FLOAT) becomes Cast(to=FLOAT16); float tensor
//     attributes (Constant / ConstantOfShape values) become float16; their subgraphs
//     (If branches) are converted the same way, branch outputs typed float16.
//   - every float initializer becomes float16 after clamping (convert_np_to_float16,
//     min_positive_val=1e-7, max_finite_val=1e4): 0 < |x| < 1e-7 → ±1e-7, |x| > 1e4 → ±1e4
//     (torch.finfo(float32).min mask constants become -10000), then round to nearest even.
//   - blocked ops keep float32: each float input gets Cast(to=FLOAT) `<node>_input_cast<i>`
//     (output `<node>_input_cast_<i>`), each float output Cast(to=FLOAT16)
//     `<node>_output_cast<i>` from `<node>_output_cast_<i>`.
// transformers.js later (2025) vendored its own float16.py whose block list drops Range and
// adds Cast and RandomNormalLike; pass TRANSFORMERS_JS_2025_OP_BLOCK_LIST to get that.

import type { onnx as pb } from 'onnx-proto';
import { float16Bits } from '../../../../src/engine/float16.ts';
import type { Chunk } from '../../chunks.ts';
import type { GraphModel } from '../graph-model.ts';
import { AttrType, DataType } from '../proto.ts';
import {
  allScopes,
  FLOAT32,
  float32Of,
  insertBefore,
  intAttr,
  namedNode,
  setIntAttr,
} from './graph-walk.ts';
import { inferElemTypes } from './tensor-types.ts';

/** onnxconverter-common 1.14.0 DEFAULT_OP_BLOCK_LIST (what the Dec 2024 exports used). */
export const ONNXCONVERTER_COMMON_OP_BLOCK_LIST: readonly string[] = [
  'ArrayFeatureExtractor',
  'Binarizer',
  'CastMap',
  'CategoryMapper',
  'DictVectorizer',
  'FeatureVectorizer',
  'Imputer',
  'LabelEncoder',
  'LinearClassifier',
  'LinearRegressor',
  'Normalizer',
  'OneHotEncoder',
  'RandomUniformLike',
  'SVMClassifier',
  'SVMRegressor',
  'Scaler',
  'TreeEnsembleClassifier',
  'TreeEnsembleRegressor',
  'ZipMap',
  'NonMaxSuppression',
  'TopK',
  'RoiAlign',
  'Resize',
  'Range',
  'CumSum',
  'Min',
  'Max',
  'Upsample',
];

/** transformers.js scripts/float16.py DEFAULT_OP_BLOCK_LIST (2025 onwards). */
export const TRANSFORMERS_JS_2025_OP_BLOCK_LIST: readonly string[] = [
  ...ONNXCONVERTER_COMMON_OP_BLOCK_LIST.filter((op) => op !== 'Range'),
  'RandomNormalLike',
  'Cast',
];

export interface Fp16Options {
  /** float32 graph inputs and outputs with Casts inside (what transformers.js publishes). */
  keepIoTypes: boolean;
  opBlockList?: readonly string[];
}

const MIN_POSITIVE = Math.fround(1e-7);
const MAX_FINITE = 1e4;

/** convert_np_to_float16 on one value: clamp, then binary16 bits. */
export function converterFloat16Bits(value: number): number {
  let v = value;
  if (v > 0 && v < MIN_POSITIVE) v = MIN_POSITIVE;
  else if (v < 0 && v > -MIN_POSITIVE) v = -MIN_POSITIVE;
  else if (v > MAX_FINITE && v < Infinity) v = MAX_FINITE;
  else if (v < -MAX_FINITE && v > -Infinity) v = -MAX_FINITE;
  return float16Bits(v);
}

function float16Bytes(values: Float32Array): Uint8Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = converterFloat16Bits(values[i]!);
  return new Uint8Array(out.buffer);
}

function toFloat16Chunk(data: Chunk): Chunk {
  if (data instanceof Uint8Array) return float16Bytes(float32Of(data));
  return { length: data.length / 2, produce: () => float16Bytes(float32Of(data)) };
}

function convertTensorAttribute(t: pb.ITensorProto): void {
  if (t.dataType !== DataType.FLOAT) return;
  t.dataType = DataType.FLOAT16;
  if (t.rawData && t.rawData.length > 0)
    t.rawData = float16Bytes(float32Of(new Uint8Array(t.rawData)));
  if (t.floatData && t.floatData.length > 0) {
    t.int32Data = t.floatData.map((v) => converterFloat16Bits(v));
    t.floatData = [];
  }
}

function setElemType(v: pb.IValueInfoProto, elemType: number): void {
  if (v.type?.tensorType) v.type.tensorType.elemType = elemType;
}

export function applyFp16(model: GraphModel, options: Fp16Options): void {
  const blocked = new Set(options.opBlockList ?? ONNXCONVERTER_COMMON_OP_BLOCK_LIST);
  const types = inferElemTypes(model); // of the float32 graph, before any renaming
  const isFloat = (name: string): boolean => types.get(name) === DataType.FLOAT;
  const rename = new Map<string, string>();
  const ioCasts = new Set<pb.INodeProto>();
  const top = model.graph.nodes;
  const inputCasts: pb.INodeProto[] = [];

  model.inputs.forEach((v, i) => {
    if (v.type?.tensorType?.elemType !== DataType.FLOAT) return;
    if (!options.keepIoTypes) return setElemType(v, DataType.FLOAT16);
    const cast = namedNode(
      model,
      'Cast',
      `graph_input_cast${i}`,
      [v.name!],
      [`graph_input_cast_${i}`],
      { attrs: { to: DataType.FLOAT16 } },
    );
    rename.set(v.name!, `graph_input_cast_${i}`);
    types.set(`graph_input_cast_${i}`, DataType.FLOAT);
    ioCasts.add(cast);
    inputCasts.push(cast);
  });
  top.unshift(...inputCasts);
  model.outputs.forEach((v, i) => {
    if (v.type?.tensorType?.elemType !== DataType.FLOAT) return;
    if (!options.keepIoTypes) return setElemType(v, DataType.FLOAT16);
    const cast = namedNode(
      model,
      'Cast',
      `graph_output_cast${i}`,
      [`graph_output_cast_${i}`],
      [v.name!],
      { attrs: { to: DataType.FLOAT } },
    );
    rename.set(v.name!, `graph_output_cast_${i}`);
    types.set(`graph_output_cast_${i}`, DataType.FLOAT);
    ioCasts.add(cast);
    top.push(cast);
  });

  const blockedNodes: { nodes: pb.INodeProto[]; node: pb.INodeProto }[] = [];
  const skippedBodies = new Set<pb.INodeProto[]>();
  for (const scope of allScopes(model)) {
    if (skippedBodies.has(scope.nodes)) continue;
    for (const v of scope.proto?.output ?? [])
      if (v.type?.tensorType?.elemType === DataType.FLOAT) setElemType(v, DataType.FLOAT16);
    for (const node of scope.nodes) {
      if (ioCasts.has(node)) continue;
      node.input = (node.input ?? []).map((n) => rename.get(n) ?? n);
      node.output = (node.output ?? []).map((n) => rename.get(n) ?? n);
      if (blocked.has(node.opType ?? '')) {
        blockedNodes.push({ nodes: scope.nodes, node });
        // The converter does not descend into a blocked node's subgraphs.
        for (const a of node.attribute ?? []) if (a.g) skippedBodies.add(a.g.node ?? []);
        continue;
      }
      if (node.opType === 'Cast' && intAttr(node, 'to') === DataType.FLOAT)
        setIntAttr(node, 'to', DataType.FLOAT16);
      for (const a of node.attribute ?? [])
        if (a.type === AttrType.TENSOR && a.t) convertTensorAttribute(a.t);
    }
  }

  for (const init of model.graph.initializers) {
    if (init.dataType !== FLOAT32) continue;
    init.dataType = DataType.FLOAT16;
    init.data = toFloat16Chunk(init.data);
  }

  for (const { nodes, node } of blockedNodes) {
    const name = node.name ?? '';
    node.input = (node.input ?? []).map((input, i) => {
      if (!isFloat(input)) return input;
      const out = `${name}_input_cast_${i}`;
      insertBefore(nodes, node, [
        namedNode(model, 'Cast', `${name}_input_cast${i}`, [input], [out], {
          attrs: { to: DataType.FLOAT },
        }),
      ]);
      return out;
    });
    const after: pb.INodeProto[] = [];
    node.output = (node.output ?? []).map((output, i) => {
      if (!isFloat(output)) return output;
      const out = `${name}_output_cast_${i}`;
      after.push(
        namedNode(model, 'Cast', `${name}_output_cast${i}`, [out], [output], {
          attrs: { to: DataType.FLOAT16 },
        }),
      );
      return out;
    });
    nodes.splice(nodes.indexOf(node) + 1, 0, ...after);
  }
}
