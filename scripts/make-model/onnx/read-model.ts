// Reads a (small) generated ONNX file back: initializers and nodes, and every weight of any
// published dtype dequantized exactly, so tests compare onnxruntime with the reference on
// precisely the bytes it consumed.

import type { onnx as pb } from 'onnx-proto';
import {
  dequantizeBnb4,
  dequantizeLinear,
  dequantizeMatMulNBits4,
  q8Linear,
} from '../../../src/engine/reference/dequant.ts';
import type { Q8Weight } from '../../../src/engine/reference/dequant.ts';
import { float16BytesToFloat32 } from '../../../src/engine/float16.ts';
import type { LinearFn, WeightMap } from '../../../src/engine/reference/types.ts';
import { getTensor } from '../../../src/engine/reference/types.ts';
import { onnx } from './proto.ts';

export interface RawInitializer {
  dims: number[];
  dataType: number;
  raw: Uint8Array;
}

/** A weight as the float32 graph held it: its dims there ([K, N] for a MatMul B). */
export interface ReadBackWeight {
  dims: number[];
  data: Float32Array;
}

const T = onnx.TensorProto.DataType;
const FLOAT: number = T.FLOAT;
const FLOAT16: number = T.FLOAT16;
const INT8: number = T.INT8;
const UINT8: number = T.UINT8;

export function decodeModel(bytes: Uint8Array): pb.ModelProto {
  return onnx.ModelProto.decode(bytes);
}

export function readInitializers(model: pb.ModelProto): Map<string, RawInitializer> {
  const out = new Map<string, RawInitializer>();
  for (const t of model.graph?.initializer ?? []) {
    // Copy (protobufjs hands out Buffer views) so typed-array views are aligned.
    if (!t.name || !t.rawData) throw new Error('initializer without name or raw_data');
    out.set(t.name, {
      dims: (t.dims ?? []).map(Number),
      dataType: t.dataType ?? 0,
      raw: new Uint8Array(t.rawData),
    });
  }
  return out;
}

/** Every node of the model, If branches included. */
export function allNodes(graph: pb.IGraphProto | null | undefined): pb.INodeProto[] {
  const out: pb.INodeProto[] = [];
  for (const node of graph?.node ?? []) {
    out.push(node);
    for (const a of node.attribute ?? []) if (a.g) out.push(...allNodes(a.g));
  }
  return out;
}

function init(inits: ReadonlyMap<string, RawInitializer>, name: string): RawInitializer {
  const t = inits.get(name);
  if (!t) throw new Error(`initializer ${name} missing`);
  return t;
}

/** float32 values of a FLOAT or FLOAT16 initializer. */
function floats(t: RawInitializer): Float32Array {
  if (t.dataType === FLOAT16) return float16BytesToFloat32(t.raw);
  if (t.dataType !== FLOAT) throw new Error(`not a float tensor (type ${t.dataType})`);
  return new Float32Array(t.raw.buffer, t.raw.byteOffset, t.raw.byteLength / 4);
}

const int8s = (t: RawInitializer): Int8Array | Uint8Array =>
  t.dataType === INT8 ? new Int8Array(t.raw.buffer, t.raw.byteOffset, t.raw.length) : t.raw;

function attr(node: pb.INodeProto, name: string): number {
  const a = node.attribute?.find((x) => x.name === name);
  if (!a) throw new Error(`${node.name}: attribute ${name} missing`);
  return Number(a.i);
}

/** [N, K] → [K, N]. */
function transposed(data: Float32Array, N: number, K: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) out[k * N + n] = data[n * K + k]!;
  return out;
}

/**
 * Every float weight of the file under its float32-graph name, dequantized exactly:
 * float16 widened, MatMulNBits / MatMulBnb4 weights unpacked back to [K, N], `<w>_quantized`
 * tensors (MatMulInteger weights, quantized Gather tables) through DequantizeLinear's formula.
 */
export function readBackWeights(model: pb.ModelProto): Map<string, ReadBackWeight> {
  const inits = readInitializers(model);
  const out = new Map<string, ReadBackWeight>();
  const consumed = new Set<string>();
  for (const node of allNodes(model.graph)) {
    if (node.opType === 'MatMulNBits') {
      const [, b, s, zp] = node.input as string[];
      const K = attr(node, 'K');
      const N = attr(node, 'N');
      if (attr(node, 'bits') !== 4) throw new Error('only 4-bit MatMulNBits');
      const zeroPoints = zp ? init(inits, zp).raw : null;
      const wNK = dequantizeMatMulNBits4(
        init(inits, b!).raw,
        floats(init(inits, s!)),
        zeroPoints,
        K,
        N,
        attr(node, 'block_size'),
      );
      out.set(b!.replace(/_Q4$/, ''), { dims: [K, N], data: transposed(wNK, N, K) });
      for (const n of [b!, s!, ...(zp ? [zp] : [])]) consumed.add(n);
    } else if (node.opType === 'MatMulBnb4') {
      const [, b, absmax] = node.input as string[];
      const K = attr(node, 'K');
      const N = attr(node, 'N');
      if (attr(node, 'quant_type') !== 1) throw new Error('only NF4 MatMulBnb4');
      const wNK = dequantizeBnb4(
        init(inits, b!).raw,
        floats(init(inits, absmax!)),
        K,
        N,
        attr(node, 'block_size'),
      );
      out.set(b!.replace(/_Bnb4$/, ''), { dims: [K, N], data: transposed(wNK, N, K) });
      consumed.add(b!).add(absmax!);
    }
  }
  for (const [name, t] of inits) {
    const base = /^(.*)_quantized$/.exec(name)?.[1];
    if (base === undefined || (t.dataType !== INT8 && t.dataType !== UINT8)) continue;
    const scale = floats(init(inits, `${base}_scale`))[0]!;
    const zeroPoint = int8s(init(inits, `${base}_zero_point`))[0]!;
    out.set(base, { dims: t.dims, data: dequantizeLinear(int8s(t), scale, zeroPoint) });
    consumed.add(name).add(`${base}_scale`).add(`${base}_zero_point`);
  }
  for (const [name, t] of inits) {
    if (consumed.has(name) || (t.dataType !== FLOAT && t.dataType !== FLOAT16)) continue;
    out.set(name, { dims: t.dims, data: floats(t) });
  }
  return out;
}

/** MatMulInteger weights (B [K, N], per-tensor scale and zero point) under their float32 names. */
export function integerMatMulWeights(model: pb.ModelProto): Map<string, Q8Weight> {
  const inits = readInitializers(model);
  const out = new Map<string, Q8Weight>();
  for (const node of allNodes(model.graph)) {
    if (node.opType !== 'MatMulInteger') continue;
    const [, b, , bZp] = node.input as string[];
    const base = b!.replace(/_quantized$/, '');
    const t = init(inits, b!);
    const [K, N] = t.dims as [number, number];
    out.set(base, {
      data: int8s(t),
      scale: floats(init(inits, `${base}_scale`))[0]!,
      zeroPoint: int8s(init(inits, bZp!))[0]!,
      K,
      N,
    });
  }
  return out;
}

/** Reference LinearFn that runs the q8 integer path (DynamicQuantizeLinear + MatMulInteger). */
export function q8LinearFn(weights: ReadonlyMap<string, Q8Weight>, base: WeightMap): LinearFn {
  return (x, rows, module) => {
    const w = weights.get(module);
    if (!w) throw new Error(`no q8 weight for ${module}`);
    const bias = base.has(`${module}.bias`) ? getTensor(base, `${module}.bias`).data : null;
    return q8Linear(x, rows, w, bias);
  };
}
