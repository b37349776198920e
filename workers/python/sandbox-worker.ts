/**
 * The interpreter worker in the browser. It is bundled into one classic script (see
 * scripts/vite/python-sandbox-worker.ts) and started from a blob URL by a sandboxed,
 * opaque-origin iframe whose CSP forbids all network access: the app's storage and network are
 * out of reach of anything that runs here. The Pyodide core arrives as bytes from the app.
 */
import type * as Pyodide from 'pyodide';
import type { PyodideConfig } from 'pyodide';
import harnessSource from '../../src/python/core/harness.py?raw';
import { PythonHandler } from '../../src/python/core/handler.ts';
import type { LoadPyodide } from '../../src/python/core/handler.ts';
import { isWorkerStart } from '../../src/shared/contracts/python-worker.ts';
import type {
  PythonFilesContract,
  PythonWorkerContract,
  WorkerStart,
} from '../../src/shared/contracts/python-worker.ts';
import { RpcClient, serveRpc } from '../../src/shared/rpc/index.ts';

declare const self: DedicatedWorkerGlobalScope;

self.addEventListener('message', function start(event: MessageEvent) {
  if (!isWorkerStart(event.data)) return;
  self.removeEventListener('message', start);
  void serve(event.data);
});

async function serve(init: WorkerStart): Promise<void> {
  const core = new Map(Object.entries(init.core));
  const files = new RpcClient<PythonFilesContract>(init.files);
  installFetch(core, async (url) => {
    try {
      return await files.call({ kind: 'file', url });
    } catch (error) {
      // What Pyodide expects of a failed fetch.
      throw new TypeError(
        `Failed to fetch: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  });
  const pyodide = (await importBytes(find(core, 'pyodide.mjs'))) as typeof Pyodide;
  const asm = (await importBytes(find(core, 'pyodide.asm.mjs'))) as { default: unknown };
  // createPyodideModule is Pyodide's own hook (loadWasmScript) for a module loaded elsewhere.
  const load: LoadPyodide = (options) =>
    pyodide.loadPyodide({ ...options, createPyodideModule: asm.default } as PyodideConfig);
  const handlers = new PythonHandler(load, harnessSource).handlers();
  serveRpc<PythonWorkerContract>(init.rpc, {
    ...handlers,
    boot: (request, context) =>
      handlers.boot(
        init.interruptBuffer ? { ...request, interruptBuffer: init.interruptBuffer } : request,
        context,
      ),
  });
}

function find(core: Map<string, ArrayBuffer>, file: string): ArrayBuffer {
  for (const [url, bytes] of core) if (url.endsWith(`/${file}`)) return bytes;
  throw new Error(`The sandbox was started without ${file}`);
}

function importBytes(bytes: ArrayBuffer): Promise<unknown> {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'text/javascript' }));
  return import(/* @vite-ignore */ url);
}

/**
 * fetch() for Pyodide: the core files from memory, package files from the app, which checks
 * and caches them. The CSP blocks every real request, so nothing else can get out.
 */
function installFetch(
  core: Map<string, ArrayBuffer>,
  request: (url: string) => Promise<ArrayBuffer>,
): void {
  self.fetch = async (input: RequestInfo | URL): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const bytes = core.get(url) ?? (await request(url));
    const type = url.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream';
    return new Response(bytes, { headers: { 'Content-Type': type } });
  };
}
