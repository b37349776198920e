// onnxruntime-web's WebGPU provider (the JSEP build the app's worker runs) under Node, on
// Dawn: the same ONNX file, loader and generation loop as in Chromium, without a browser, so
// it runs where no browser can (the GPU kit, on a lent GPU machine).

import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nodeGpu } from '../../src/engine/gpu-node.node.ts';
import type { Ort } from '../../src/engine/onnx/ort-types.ts';

let loaded: Promise<Ort> | null = null;

/**
 * The JSEP build of onnxruntime-web, the app's default on WebGPU (workers/model/
 * ort-loader.ts), loaded once per process with `navigator.gpu` set to Dawn's GPU. In 1.30
 * that is ort.all.min.mjs with ort-wasm-simd-threaded.jsep.{mjs,wasm}; ort.webgpu.min.mjs is
 * the native WebGPU EP built with asyncify. The unbundled module reads its .wasm from
 * `wasmPaths` (a bundled one fetches it by URL, which Node's fetch cannot do for files).
 * WASM threads as the app's worker takes them, min(4, cores).
 */
export function ortNodeWebGpu(): Promise<Ort> {
  loaded ??= (async () => {
    const gpu = await nodeGpu();
    copySharedWrites();
    if (!('gpu' in (globalThis.navigator ?? {})))
      Object.defineProperty(globalThis, 'navigator', {
        configurable: true,
        value: { ...globalThis.navigator, gpu },
      });
    // The package exports its .mjs glue by name (not its package.json): the folder of that
    // file is the dist folder, here and in the GPU kit's copy of the package.
    const glue = createRequire(import.meta.url).resolve(
      'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs',
    );
    const dist = dirname(glue);
    const ort = (await import(pathToFileURL(join(dist, 'ort.all.min.mjs')).href)) as Ort;
    ort.env.wasm.wasmPaths = `${dist}/`;
    ort.env.wasm.numThreads = Math.min(4, availableParallelism());
    ort.env.logLevel = 'error';
    return ort;
  })();
  return loaded;
}

/**
 * Dawn's queue.writeBuffer refuses a SharedArrayBuffer or a view of one ("Invalid argument",
 * "no overload matched"), which is what onnxruntime hands it: the threaded build's WASM heap
 * is shared memory, even with one thread, and its tensors live there. Browsers accept both.
 * Such data is copied into a plain buffer first; other writes pass through untouched.
 */
function copySharedWrites(): void {
  const proto = GPUQueue.prototype as GPUQueue & { __copiesSharedWrites?: true };
  if (proto.__copiesSharedWrites) return;
  // Called with the queue as `this` below, as the original expects.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const write = proto.writeBuffer;
  Object.defineProperty(proto, 'writeBuffer', {
    configurable: true,
    writable: true,
    value(
      this: GPUQueue,
      buffer: GPUBuffer,
      offset: number,
      data: BufferSource,
      dataOffset?: number,
      size?: number,
    ): void {
      const shared = sharedBytes(data, dataOffset, size);
      if (shared) write.call(this, buffer, offset, shared.slice());
      else write.call(this, buffer, offset, data, dataOffset, size);
    },
  });
  Object.defineProperty(proto, '__copiesSharedWrites', { value: true });
}

/** The bytes a write of `data` names, where they lie in shared memory; null otherwise. */
function sharedBytes(data: BufferSource, dataOffset = 0, size?: number): Uint8Array | null {
  if (data instanceof SharedArrayBuffer) {
    // The buffer itself (the JSEP build passes its heap): offset and size count bytes.
    return new Uint8Array(data, dataOffset, size ?? data.byteLength - dataOffset);
  }
  if (!ArrayBuffer.isView(data) || !(data.buffer instanceof SharedArrayBuffer)) return null;
  // A view (the asyncify build): offset and size count its elements, bytes for a DataView.
  const unit = 'BYTES_PER_ELEMENT' in data ? (data.BYTES_PER_ELEMENT as number) : 1;
  const start = data.byteOffset + dataOffset * unit;
  return new Uint8Array(
    data.buffer,
    start,
    size === undefined ? data.byteLength - dataOffset * unit : size * unit,
  );
}
