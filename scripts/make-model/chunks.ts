// Files are described as a list of byte chunks, some produced lazily, so the
// total size (needed up front for protobuf length prefixes and the safetensors
// header) is known before any large tensor is materialised, and the file can be
// streamed to disk one tensor at a time.

import { closeSync, openSync, writeSync } from 'node:fs';

export interface LazyChunk {
  readonly length: number;
  produce(): Uint8Array;
}

export type Chunk = Uint8Array | LazyChunk;

export function chunksLength(chunks: readonly Chunk[]): number {
  let n = 0;
  for (const c of chunks) n += c.length;
  return n;
}

/** Writes the chunks in order; lazy chunks are produced one at a time and dropped. */
export function writeChunks(path: string, chunks: readonly Chunk[]): number {
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    for (const c of chunks) {
      const bytes = c instanceof Uint8Array ? c : c.produce();
      if (bytes.length !== c.length) {
        throw new Error(`chunk produced ${bytes.length} bytes, announced ${c.length}`);
      }
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      written += bytes.length;
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

/** Concatenates chunks in memory (tests and small files). */
export function concatChunks(chunks: readonly Chunk[]): Uint8Array {
  const out = new Uint8Array(chunksLength(chunks));
  let off = 0;
  for (const c of chunks) {
    const bytes = c instanceof Uint8Array ? c : c.produce();
    out.set(bytes, off);
    off += bytes.length;
  }
  return out;
}

export function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
