// The Chromium side of the prefill memory benchmark (built by prefill-memory-browser.ts):
// counts GPU buffer bytes by wrapping GPUDevice.createBuffer and GPUBuffer.destroy (in this
// page only, before onnxruntime asks for its device) and WASM heap growth by wrapping
// Memory.grow, then runs the same measurement as Node (prefill-memory-run.ts).

import type { Ort } from '../../../src/engine/onnx/ort-types.ts';
import { measurePrefill } from '../prefill-memory-run.ts';
import type { PrefillJob, PrefillMeasurement } from '../prefill-memory-types.ts';

declare global {
  interface Window {
    prefillBench?: (job: PrefillJob, modelUrl: string) => Promise<PrefillMeasurement>;
  }
}

let heldBytes = 0;
let largestBytes = 0;
const sizes = new WeakMap<GPUBuffer, number>();
if (typeof GPUDevice !== 'undefined') {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- always called with .call(device)
  const create = GPUDevice.prototype.createBuffer;
  GPUDevice.prototype.createBuffer = function (this: GPUDevice, descriptor: GPUBufferDescriptor) {
    const buffer = create.call(this, descriptor);
    sizes.set(buffer, descriptor.size);
    heldBytes += descriptor.size;
    largestBytes = Math.max(largestBytes, descriptor.size);
    return buffer;
  };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- always called with .call(buffer)
  const destroy = GPUBuffer.prototype.destroy;
  GPUBuffer.prototype.destroy = function (this: GPUBuffer) {
    const size = sizes.get(this);
    if (size !== undefined) {
      heldBytes -= size;
      sizes.delete(this);
    }
    destroy.call(this);
  };
}

let wasmGrownBytes = 0;
// eslint-disable-next-line @typescript-eslint/unbound-method -- always called with .call(memory)
const grow = WebAssembly.Memory.prototype.grow;
WebAssembly.Memory.prototype.grow = function (this: WebAssembly.Memory, pages: number): number {
  wasmGrownBytes += pages * 65_536;
  return grow.call(this, pages);
};

window.prefillBench = async (job, modelUrl) => {
  const ortBase = `${location.origin}/ort/`;
  // The JSEP build, as the app's worker uses for WebGPU (workers/model/ort-loader.ts).
  const ort = (await import(/* @vite-ignore */ `${ortBase}ort.all.min.mjs`)) as Ort;
  ort.env.wasm.wasmPaths = ortBase;
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const fetchBytes = async (path: string): Promise<Uint8Array> => {
    const response = await fetch(new URL(path, modelUrl));
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const config = JSON.parse(new TextDecoder().decode(await fetchBytes('config.json'))) as unknown;
  const onnx = await fetchBytes('onnx/model.onnx');
  return measurePrefill(ort, { config, onnx }, job, {
    wasmGrownBytes: () => wasmGrownBytes,
    gpu: () => {
      if (job.backend !== 'webgpu') return null;
      const read = { heldBytes, largestBytes };
      largestBytes = 0;
      return read;
    },
  });
};
