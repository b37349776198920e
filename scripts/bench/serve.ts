import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import type { AppTarget } from './app-session.ts';
import { startStaticServer } from '../serve/static-server.ts';
import type { TjsTarget } from './tjs-session.ts';

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
 * loopback origin with COOP/COEP.
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
      workerPath: `/assets/${worker}`,
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
