// Little-endian tensor bytes (from an ONNX file or model.safetensors) as the typed arrays the
// weight source hands out: a view of the file where the bytes are aligned for the element
// type, one copy otherwise. Every browser and Node host is little-endian, so a view reads the
// file's byte order as is.

import { float16BytesToFloat32 } from '../../float16.ts';

/** The data types a weight file stores floats in. */
export type FloatFormat = 'f32' | 'f16' | 'bf16';

/**
 * A copy of `bytes` at offset 0. Not `bytes.slice()`: on a Node Buffer (what a file read or
 * protobufjs hands out) slice is a view, still misaligned.
 */
const copied = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes);

/** float32 values of `bytes`, a view when 4-byte aligned. */
export function float32View(bytes: Uint8Array): Float32Array {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : copied(bytes);
  return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
}

/** float16 bits of `bytes`, a view when 2-byte aligned. */
export function uint16View(bytes: Uint8Array): Uint16Array {
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : copied(bytes);
  return new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2);
}

/** bfloat16 is float32's top half: widened exactly. */
export function bfloat16BytesToFloat32(bytes: Uint8Array): Float32Array {
  const bits = new Uint32Array(bytes.length / 2);
  for (let i = 0; i < bits.length; i++)
    bits[i] = ((bytes[2 * i]! | (bytes[2 * i + 1]! << 8)) << 16) >>> 0;
  return new Float32Array(bits.buffer);
}

/** float32 values of any float format (float16 and bfloat16 widened exactly, in a copy). */
export function toFloat32(bytes: Uint8Array, format: FloatFormat): Float32Array {
  if (format === 'f32') return float32View(bytes);
  if (format === 'f16') return float16BytesToFloat32(bytes);
  return bfloat16BytesToFloat32(bytes);
}

/** [rows, cols] row-major → [cols, rows], for 4- or 2-byte elements. */
export function transposed<T extends Float32Array | Uint16Array>(
  data: T,
  rows: number,
  cols: number,
  make: (length: number) => T,
): T {
  const out = make(data.length);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[row + c]!;
  }
  return out;
}
