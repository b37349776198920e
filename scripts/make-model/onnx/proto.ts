// onnx-proto (protobufjs static classes for onnx.proto) plus the few raw
// protobuf wire helpers needed to stream messages too large to build in memory.

import onnxProto from 'onnx-proto';

// The package is CommonJS: its namespace is only reachable through the default export.
export const onnx = onnxProto.onnx;
export const DataType = onnx.TensorProto.DataType;
export const AttrType = onnx.AttributeProto.AttributeType;

/** Base-128 varint of a non-negative integer up to 2^53 (no 32-bit bit ops). */
export function varint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`varint: bad value ${value}`);
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

/** Tag + length prefix of a length-delimited field (wire type 2). */
export function lengthPrefix(field: number, length: number): Uint8Array {
  const tag = varint(field * 8 + 2);
  const len = varint(length);
  const out = new Uint8Array(tag.length + len.length);
  out.set(tag);
  out.set(len, tag.length);
  return out;
}

// Field numbers from onnx.proto used when framing by hand.
export const FIELD = {
  modelGraph: 7, // ModelProto.graph
  graphInitializer: 5, // GraphProto.initializer
  tensorRawData: 9, // TensorProto.raw_data
} as const;
