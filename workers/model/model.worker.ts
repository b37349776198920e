/// <reference lib="webworker" />
import type { Backend, ModelWorkerContract } from '../../src/shared/contracts/model-worker.ts';
import { serveRpc } from '../../src/shared/rpc/server.ts';
import { createModelHandlers } from './handlers.ts';
import { loadOrt } from './ort-loader.ts';
import type { OrtBundle } from './ort-loader.ts';

// Each backend gets the build that runs it best: WebGPU through JSEP, and WASM from the plain
// WASM build, whose CPU kernels run faster than the same kernels in the JSEP build
// (scripts/bench/app-ort-ab.ts: q8 prefill ~1.8x, decode ~1.3x in Chromium).
// ?ort=jsep|asyncify|wasm forces one build for both (benchmarks compare them).
const requested = new URL(self.location.href).searchParams.get('ort');
const forced: OrtBundle | null =
  requested === 'jsep' || requested === 'asyncify' || requested === 'wasm' ? requested : null;
const bundleFor = (backend: Backend): OrtBundle => forced ?? (backend === 'wasm' ? 'wasm' : 'jsep');

serveRpc<ModelWorkerContract>(
  self,
  createModelHandlers(self.navigator, {
    loadOrt: (backend, fresh) => loadOrt(bundleFor(backend), import.meta.env.BASE_URL, fresh),
    caches: 'caches' in self ? self.caches : undefined,
  }),
);
