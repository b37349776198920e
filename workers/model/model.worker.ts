/// <reference lib="webworker" />
import type { ModelWorkerContract } from '../../src/shared/contracts/model-worker.ts';
import { serveRpc } from '../../src/shared/rpc/server.ts';
import { createModelHandlers } from './handlers.ts';
import { loadOrt } from './ort-loader.ts';

// ?ort=asyncify|wasm picks another onnxruntime-web build (benchmarks compare them).
const requested = new URL(self.location.href).searchParams.get('ort');
const bundle = requested === 'asyncify' || requested === 'wasm' ? requested : 'jsep';

serveRpc<ModelWorkerContract>(
  self,
  createModelHandlers(self.navigator, {
    loadOrt: (fresh) => loadOrt(bundle, import.meta.env.BASE_URL, fresh),
    caches: 'caches' in self ? self.caches : undefined,
  }),
);
