import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import type { AppTarget } from './app-session.ts';
import { gpuCounterScript } from './gpu-counters.ts';
import { startStaticServer } from '../serve/static-server.ts';
import type { TjsTarget } from './tjs-session.ts';

/** Where serveBench (and app-ort-ab.ts) serve countedWorkerEntry's folder's entry. */
export const COUNTED_WORKER = '/bench-gpu/model-worker.js';

/**
 * Writes .cache/bench/gpu/ (served at /bench-gpu/): the GPU counters and a model worker
 * entry that installs them, then imports the app's built worker script `/assets/<worker>`.
 * The entry's own URL carries the worker's query (?ort=asyncify): the app's worker reads
 * self.location, which is the entry's. Returns the folder.
 */
export function countedWorkerEntry(root: string, worker: string): string {
  const dir = join(root, '.cache', 'bench', 'gpu');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'counters.js'), gpuCounterScript());
  // Static imports run in order: the counters are in place before the worker's code runs.
  writeFileSync(
    join(dir, 'model-worker.js'),
    `import './counters.js';\nimport '/assets/${worker}';\n`,
  );
  return dir;
}

export interface BenchSite {
  origin: string;
  /** Where our app finds model `id` (one of the folders given to serveBench). */
  app: (id: string) => AppTarget;
  tjs: (id: string) => TjsTarget;
  close: () => Promise<void>;
}

/**
 * Builds the app into .cache/bench/app (a build of its own: `dist/` belongs to the
 * end-to-end tests) and serves it, the model folder and the transformers.js page from one
 * loopback origin with COOP/COEP. Beside them, under /bench-gpu/, the GPU counters
 * (gpu-counters.ts) and a model worker entry that installs them before importing the app's
 * own worker script: the shipped bundle stays free of them.
 */
export async function serveBench(
  root: string,
  models: Record<string, string>, // id → folder
  log: (line: string) => void,
): Promise<BenchSite> {
  const appDir = join(root, '.cache', 'bench', 'app');
  log(`building the app into ${appDir}`);
  await build({ root, logLevel: 'warn', build: { outDir: appDir, emptyOutDir: true } });
  const worker = readdirSync(join(appDir, 'assets')).find(
    (name) => name.startsWith('model.worker-') && name.endsWith('.js'),
  );
  if (!worker) throw new Error(`the build has no model worker in ${appDir}/assets`);

  const gpuDir = countedWorkerEntry(root, worker);
  const tjsPackage = join(root, 'node_modules', '@huggingface', 'transformers');
  // transformers.js bundles a dev build of onnxruntime-web; its .wasm must be that build's.
  const nested = join(tjsPackage, 'node_modules', 'onnxruntime-web', 'dist');
  const ortDir = existsSync(nested)
    ? nested
    : join(root, 'node_modules', 'onnxruntime-web', 'dist');

  const server = await startStaticServer({
    '/': appDir,
    ...Object.fromEntries(
      Object.entries(models).map(([id, dir]) => [`/bench-models/${id}/`, dir] as const),
    ),
    '/bench-gpu/': gpuDir,
    '/tjs/': join(root, 'scripts', 'bench', 'transformersjs-page'),
    '/tjs-lib/': join(tjsPackage, 'dist'),
    '/tjs-ort/': ortDir,
  });
  const { origin } = server;
  return {
    origin,
    app: (id) => ({
      origin,
      modelUrl: `${origin}/bench-models/${id}/`,
      label: id,
      workerPath: COUNTED_WORKER,
    }),
    tjs: (id) => ({
      origin,
      libUrl: `${origin}/tjs-lib/`,
      ortUrl: `${origin}/tjs-ort/`,
      modelsUrl: `${origin}/bench-models/`,
      modelId: id,
    }),
    close: server.close,
  };
}
