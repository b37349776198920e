// Reads a (small) generated ONNX file back: initializers and node op types.
// Used by tests to dequantize exactly the bytes onnxruntime consumed.

import type { onnx as pb } from 'onnx-proto';
import { dequantizeMatMulNBits4, q8Linear } from '../../../src/engine/reference/dequant.ts';
import type { Q8Weight } from '../../../src/engine/reference/dequant.ts';
import type { LinearFn, Tensor, WeightMap } from '../../../src/engine/reference/types.ts';
import { getTensor } from '../../../src/engine/reference/types.ts';
import { Q4_BLOCK_SIZE } from '../quant.ts';
import { onnx } from './proto.ts';

export interface RawInitializer {
  dims: number[];
  dataType: number;
  raw: Uint8Array;
}

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

function init(inits: ReadonlyMap<string, RawInitializer>, name: string): RawInitializer {
  const t = inits.get(name);
  if (!t) throw new Error(`initializer ${name} missing`);
  return t;
}

const INT8: number = onnx.TensorProto.DataType.INT8;

const f32 = (raw: Uint8Array): Float32Array =>
  new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);

/** The fp32 weights with every MatMulNBits linear replaced by its dequantized [N, K] matrix. */
export function dequantizedQ4Weights(model: pb.ModelProto, base: WeightMap): Map<string, Tensor> {
  const inits = readInitializers(model);
  const out = new Map(base);
  for (const node of model.graph?.node ?? []) {
    if (node.opType !== 'MatMulNBits') continue;
    const [, bName, sName, zpName] = node.input ?? [];
    const attr = (n: string): number => Number(node.attribute?.find((a) => a.name === n)?.i ?? NaN);
    const K = attr('K');
    const N = attr('N');
    if (attr('bits') !== 4 || attr('block_size') !== Q4_BLOCK_SIZE)
      throw new Error('unexpected MatMulNBits attrs');
    const data = dequantizeMatMulNBits4(
      init(inits, bName!).raw,
      f32(init(inits, sName!).raw),
      zpName ? init(inits, zpName).raw : null,
      K,
      N,
      Q4_BLOCK_SIZE,
    );
    out.set(bName!.replace(/_Q4$/, ''), { shape: [N, K], data });
  }
  return out;
}

/** q8 weights read back from model_quantized.onnx, keyed by HF module name. */
export function q8Weights(model: pb.ModelProto): Map<string, Q8Weight> {
  const inits = readInitializers(model);
  const out = new Map<string, Q8Weight>();
  for (const [name, t] of inits) {
    const m = /^(.*)\.weight_quantized$/.exec(name);
    if (!m) continue;
    const module = m[1]!;
    const [K, N] = t.dims as [number, number];
    const asInt8 = (r: Uint8Array): Int8Array => new Int8Array(r.buffer, r.byteOffset, r.length);
    const data = t.dataType === INT8 ? asInt8(t.raw) : t.raw;
    const scale = f32(init(inits, `${module}.weight_scale`).raw)[0]!;
    const zpRaw = init(inits, `${module}.weight_zero_point`);
    const zeroPoint = (zpRaw.dataType === INT8 ? asInt8(zpRaw.raw) : zpRaw.raw)[0]!;
    out.set(module, { data, scale, zeroPoint, K, N });
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
