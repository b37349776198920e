import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TransferListItem } from 'node:worker_threads';
import type { Endpoint } from '../../shared/rpc/index.ts';
import type { WorkerHost, WorkerHostFactory } from '../core/sandbox.ts';

const entry = new URL('./worker-entry.node.ts', import.meta.url).href;
// tsx's ESM API; its package exports point `require` at a CommonJS build that cannot do this.
const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
const tsx = pathToFileURL(tsxPackage.replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
// The worker starts from this script: register tsx's loader, then import the TypeScript entry.
const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;

/** Interpreter workers as worker_threads, with a shared interrupt buffer each. */
export const nodeWorkerHosts: WorkerHostFactory = (): WorkerHost => {
  const worker = new Worker(bootstrap, { eval: true });
  let terminated = false;
  const listeners = new Map<(event: MessageEvent) => void, (data: unknown) => void>();
  const endpoint: Endpoint = {
    postMessage: (message, transfer) =>
      worker.postMessage(message, transfer as TransferListItem[] | undefined),
    addEventListener: (_type, listener) => {
      const wrapped = (data: unknown): void => listener(new MessageEvent('message', { data }));
      listeners.set(listener, wrapped);
      worker.on('message', wrapped);
    },
    removeEventListener: (_type, listener) => {
      const wrapped = listeners.get(listener);
      if (wrapped) worker.off('message', wrapped);
      listeners.delete(listener);
    },
  };
  const interruptBuffer = new Int32Array(new SharedArrayBuffer(4));
  return {
    endpoint,
    boot: { interruptBuffer },
    interrupt: (signal) => Atomics.store(interruptBuffer, 0, signal),
    terminate: () => {
      terminated = true;
      void worker.terminate();
    },
    onExit: (listener) => {
      let reported = false;
      const report = (reason: string): void => {
        if (terminated || reported) return;
        reported = true;
        listener(reason);
      };
      worker.on('error', (error) => report(error.message));
      worker.on('exit', (code) => report(`exited with code ${code}`));
    },
  };
};
