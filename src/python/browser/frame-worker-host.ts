import type {
  FrameStart,
  PythonFilesContract,
  PythonFrameContract,
} from '../../shared/contracts/python-worker.ts';
import { RpcClient, serveRpc } from '../../shared/rpc/index.ts';
import type { WorkerHost, WorkerHostFactory } from '../core/sandbox.ts';
import { FRAME_DOCUMENT } from './frame-document.ts';
import type { PackageStore } from './package-store.ts';

export interface SandboxAssets {
  /** The bundled interpreter worker script (virtual:python-sandbox-worker). */
  workerSource: string;
  /** Pyodide core files by absolute URL, lock file included. */
  core: Record<string, ArrayBuffer>;
  packages: PackageStore;
}

/**
 * Interpreter workers, each in a sandbox iframe of its own: removing the iframe is the hard
 * kill. Three typed channels per worker (src/shared/contracts/python-worker.ts): the app calls
 * the worker, the worker calls the app for package files, the app calls the frame for Stop.
 */
export function frameWorkerHosts(
  assets: SandboxAssets,
  parent: HTMLElement = document.body,
): WorkerHostFactory {
  return (): WorkerHost => {
    const rpc = new MessageChannel();
    const files = new MessageChannel();
    const control = new MessageChannel();
    const stopServingFiles = serveRpc<PythonFilesContract>(files.port1, {
      file: ({ url }) => assets.packages.get(url),
    });
    const frame = new RpcClient<PythonFrameContract>(control.port1);
    const iframe = document.createElement('iframe');
    iframe.setAttribute('sandbox', 'allow-scripts');
    iframe.setAttribute('allow', 'cross-origin-isolated');
    iframe.setAttribute('aria-hidden', 'true');
    iframe.title = 'Python sandbox';
    iframe.style.display = 'none';
    iframe.srcdoc = FRAME_DOCUMENT;
    iframe.addEventListener(
      'load',
      () => {
        const core = Object.fromEntries(
          Object.entries(assets.core).map(([url, bytes]) => [url, bytes.slice(0)]),
        );
        const start: FrameStart = {
          kind: 'python-sandbox-start',
          workerSource: assets.workerSource,
          core,
          rpc: rpc.port2,
          files: files.port2,
          control: control.port2,
        };
        iframe.contentWindow?.postMessage(
          start,
          '*', // the frame's origin is opaque: '*' is the only target that reaches it
          [rpc.port2, files.port2, control.port2, ...Object.values(core)],
        );
      },
      { once: true },
    );
    parent.append(iframe);
    let exitListener: ((reason: string) => void) | null = null;
    frame.call({ kind: 'exit' }).then(
      ({ reason }) => exitListener?.(reason),
      () => {}, // disposed: the worker was terminated
    );
    return {
      endpoint: rpc.port1,
      // Shared memory reaches the frame, not the app (a different agent cluster), so Stop goes
      // through the frame, and only where the frame is cross-origin isolated.
      interrupt: crossOriginIsolated
        ? (signal) => void frame.call({ kind: 'interrupt', signal }).catch(() => {})
        : null,
      terminate: () => {
        exitListener = null;
        frame.dispose();
        stopServingFiles();
        iframe.remove();
        for (const port of [rpc.port1, files.port1, control.port1]) port.close();
      },
      onExit: (listener) => {
        exitListener = listener;
      },
    };
  };
}
