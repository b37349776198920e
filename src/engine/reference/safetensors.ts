// Parser for the safetensors format: 8-byte little-endian header length N,
// N bytes of JSON header ({name: {dtype, shape, data_offsets: [begin, end]}},
// offsets relative to the end of the header), then the raw tensor bytes.
// Pure: works on a Uint8Array in any JS runtime.

import { float16Value } from '../float16.ts';
import type { Tensor } from './types.ts';

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export function readSafetensorsHeader(bytes: Uint8Array): {
  entries: Map<string, HeaderEntry>;
  metadata: Record<string, string>;
  dataStart: number;
} {
  if (bytes.length < 8) throw new Error('safetensors: file too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (8 + headerLen > bytes.length) throw new Error('safetensors: header length past end of file');
  const json: unknown = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
  if (typeof json !== 'object' || json === null)
    throw new Error('safetensors: header is not an object');
  const entries = new Map<string, HeaderEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = value as Record<string, string>;
      continue;
    }
    const e = value as HeaderEntry;
    if (typeof e.dtype !== 'string' || !Array.isArray(e.shape) || !Array.isArray(e.data_offsets)) {
      throw new Error(`safetensors: bad header entry ${name}`);
    }
    entries.set(name, e);
  }
  return { entries, metadata, dataStart: 8 + headerLen };
}

/** Decodes every tensor to fp32 (F32, F16 and BF16 are accepted). */
export function loadSafetensors(bytes: Uint8Array): Map<string, Tensor> {
  const { entries, dataStart } = readSafetensorsHeader(bytes);
  const out = new Map<string, Tensor>();
  for (const [name, e] of entries) {
    const [begin, end] = e.data_offsets;
    const count = e.shape.reduce((a, b) => a * b, 1);
    // Copy: the slice may not be 4-byte aligned inside the file.
    const raw = bytes.slice(dataStart + begin, dataStart + end);
    out.set(name, { shape: e.shape, data: decode(e.dtype, raw, count, name) });
  }
  return out;
}

function decode(dtype: string, raw: Uint8Array, count: number, name: string): Float32Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const width = dtype === 'F32' ? 4 : dtype === 'F16' || dtype === 'BF16' ? 2 : 0;
  if (width === 0) throw new Error(`safetensors: unsupported dtype ${dtype} for ${name}`);
  if (raw.length !== count * width) throw new Error(`safetensors: size mismatch for ${name}`);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (dtype === 'F32') data[i] = view.getFloat32(i * 4, true);
    else if (dtype === 'BF16') data[i] = bf16ToF32(view.getUint16(i * 2, true));
    else data[i] = float16Value(view.getUint16(i * 2, true));
  }
  return data;
}

const scratch = new DataView(new ArrayBuffer(4));

function bf16ToF32(h: number): number {
  scratch.setUint32(0, h << 16);
  return scratch.getFloat32(0);
}
