import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { appManifest } from './scripts/vite/app-manifest.ts';
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
  // BASE_PATH serves the build from a sub-folder of a static host, e.g. /codegen-playground/.
  base: process.env.BASE_PATH ?? '/',
  plugins: [
    react(),
    runtimeAssetsPlugin(),
    pythonSandboxWorkerPlugin(),
    VitePWA({
      // Our own worker (workers/service-worker/sw.ts): it adds COOP/COEP and reads the
      // engine's model cache, which a generated Workbox worker cannot do.
      strategies: 'injectManifest',
      srcDir: 'workers/service-worker',
      filename: 'sw.ts',
      injectRegister: false, // src/offline/service-worker.ts registers it
      manifest: appManifest,
      includeManifestIcons: false, // the glob below already lists them
      injectManifest: {
        rollupFormat: 'iife',
        globPatterns: [
          '**/*.{js,css,html,svg,png,ttf}', // (the plugin adds the manifest itself)
          'datasets/*.{jsonl,jsonl.gz}',
          'vendor/pyodide/*',
          // onnxruntime-web: the JSEP build runs WebGPU, the plain WASM build runs the WASM
          // backend (faster on the CPU than JSEP's); the asyncify build (?ort=asyncify, for
          // benchmarks) is cached when first used.
          'vendor/ort/ort.all.min.mjs',
          'vendor/ort/ort-wasm-simd-threaded.jsep.{mjs,wasm}',
          'vendor/ort/ort.wasm.min.mjs',
          'vendor/ort/ort-wasm-simd-threaded.{mjs,wasm}',
        ],
        // Model files are cached by the engine (one copy, shared with this worker).
        globIgnores: ['models/**', '**/*.map'],
        // onnxruntime-web's wasm is 28 MB, Pyodide's 10 MB.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
