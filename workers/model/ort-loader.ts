import type { Ort } from '../../src/engine/onnx/ort-types.ts';

export type OrtBundle = 'jsep' | 'asyncify' | 'wasm';

const FILES: Record<OrtBundle, string> = {
  jsep: 'ort.all.min.mjs', // WebGPU through the JS execution provider (JSEP), plus WASM
  asyncify: 'ort.webgpu.min.mjs', // the native WebGPU EP compiled with asyncify
  wasm: 'ort.wasm.min.mjs',
};

/**
 * Loads onnxruntime-web from /vendor/ort/, unbundled: its threaded WASM starts pthread
 * workers from its own module URL. Threads only when the page is cross-origin isolated
 * (SharedArrayBuffer); otherwise one thread, which still works.
 */
let instances = 0;

export async function loadOrt(bundle: OrtBundle, baseUrl: string, fresh = false): Promise<Ort> {
  const base = new URL('vendor/ort/', new URL(baseUrl, self.location.href)).href;
  // A different URL is a different module record: a second, independent onnxruntime.
  const query = fresh ? `?instance=${++instances}` : '';
  const ort = (await import(/* @vite-ignore */ base + FILES[bundle] + query)) as Ort;
  ort.env.wasm.wasmPaths = base;
  ort.env.wasm.numThreads = self.crossOriginIsolated
    ? Math.min(4, navigator.hardwareConcurrency || 1)
    : 1;
  ort.env.logLevel = 'error';
  return ort;
}
