import { existsSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import type { ViteDevServer } from 'vite';
import {
  buildProbeLockFile,
  buildProbeWheel,
  PROBE_WHEEL,
} from '../../src/python/node/probe-wheel.node.ts';
import { MTPB_PATH } from '../../src/mtpb/dataset.node.ts';
import { pythonSandboxWorkerPlugin } from '../vite/python-sandbox-worker.ts';

const PYODIDE = fileURLToPath(new URL('../../node_modules/pyodide/', import.meta.url));

/**
 * Serves the sandbox test page (Vite dev server), with or without cross-origin isolation, plus
 * what the tests need beside it: the Pyodide core under /vendor/pyodide/ (as the app serves
 * it), a one-wheel package index under /probe-index/, and the MTPB file at /mtpb.jsonl.
 */
export async function startSandboxPageServer(
  port: number,
  isolated: boolean,
): Promise<ViteDevServer> {
  const wheel = buildProbeWheel();
  const lock = buildProbeLockFile(wheel);
  const headers: Record<string, string> = isolated
    ? {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      }
    : {};
  const send = (res: ServerResponse, type: string, body: Uint8Array | string): void => {
    res.writeHead(200, { ...headers, 'Content-Type': type });
    res.end(body);
  };
  const server = await createServer({
    configFile: false,
    root: fileURLToPath(new URL('.', import.meta.url)),
    logLevel: 'warn',
    plugins: [
      pythonSandboxWorkerPlugin(),
      {
        name: 'sandbox-page-files',
        configureServer(vite) {
          vite.middlewares.use((req, res, next) => {
            const url = req.url ?? '';
            if (url.startsWith('/vendor/pyodide/')) {
              const file = `${PYODIDE}${url.slice('/vendor/pyodide/'.length).split('?')[0] ?? ''}`;
              if (!existsSync(file)) return next();
              const type = file.endsWith('.wasm')
                ? 'application/wasm'
                : file.endsWith('.mjs')
                  ? 'text/javascript'
                  : 'application/octet-stream';
              return send(res, type, readFileSync(file));
            }
            if (url === '/probe-index/pyodide-lock.json')
              return send(res, 'application/json', lock);
            if (url === `/probe-index/${PROBE_WHEEL}`) return send(res, 'application/zip', wheel);
            if (url === '/mtpb.jsonl' && existsSync(MTPB_PATH))
              return send(res, 'text/plain', readFileSync(MTPB_PATH));
            next();
          });
        },
      },
    ],
    // No reloads: a test must not lose its page because a source file changed meanwhile.
    server: { host: '127.0.0.1', port, strictPort: true, headers, hmr: false, watch: null },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await server.listen();
  return server;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] ?? 4180);
  await startSandboxPageServer(port, process.argv[3] !== 'plain');
  console.log(`sandbox page on http://127.0.0.1:${port}/`);
}
