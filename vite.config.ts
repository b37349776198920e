import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { pythonSandboxWorkerPlugin } from './scripts/vite/python-sandbox-worker.ts';
import { runtimeAssetsPlugin } from './scripts/vite/runtime-assets.ts';

/**
 * COOP + COEP make the page cross-origin isolated: SharedArrayBuffer for Pyodide's
 * interrupt buffer and wasm threads for onnxruntime-web. Model downloads from the
 * Hugging Face hub still work under `require-corp` because they are CORS requests
 * (fetch's default mode for cross-origin URLs) and the hub answers with CORS headers.
 *
 * `CROSS_ORIGIN_ISOLATION=off` serves the same app without them: the e2e suite runs
 * against both, and features that need isolation must degrade, not break.
 */
const isolationHeaders: Record<string, string> =
  process.env.CROSS_ORIGIN_ISOLATION === 'off'
    ? {}
    : {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      };

export default defineConfig({
  // The Python sandbox's worker script (virtual:python-sandbox-worker), for Run in the playground.
  plugins: [react(), runtimeAssetsPlugin(), pythonSandboxWorkerPlugin()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
