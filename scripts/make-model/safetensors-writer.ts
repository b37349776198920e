// model.safetensors: 8-byte LE header length, JSON header (space-padded to a
// multiple of 8 so tensor data stays aligned), then tensors back to back.

import { bytesOf } from './chunks.ts';
import type { Chunk } from './chunks.ts';
import type { WeightSource } from './weights.ts';
import { planParameters } from './weights.ts';

export function safetensorsHeader(source: WeightSource): Record<string, unknown> {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  // Sorted by name, as the safetensors library writes F32-only files.
  const plans = [...planParameters(source.dims)].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const p of plans) {
    const size = 4 * p.shape.reduce((a, b) => a * b, 1);
    header[p.name] = { dtype: 'F32', shape: p.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  return header;
}

export function safetensorsChunks(source: WeightSource): Chunk[] {
  const header = safetensorsHeader(source);
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  const chunks: Chunk[] = [prefix, headerBytes];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [begin, end] = (entry as { data_offsets: [number, number] }).data_offsets;
    chunks.push({ length: end - begin, produce: () => bytesOf(source.values(name)) });
  }
  return chunks;
}
