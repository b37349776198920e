import type { FileRequest, FileResponse } from '../core/sandbox-init.ts';
import type { WorkerFactory, WorkerHandle } from '../core/runner.ts';
import { FRAME_DOCUMENT } from './frame-document.ts';
import type { PackageStore } from './package-store.ts';

export interface SandboxAssets {
  /** The bundled worker script (virtual:python-sandbox-worker). */
  workerSource: string;
  /** Pyodide core files by absolute URL, lock file included. */
  core: Record<string, ArrayBuffer>;
  packages: PackageStore;
}

/**
 * Python workers, each in an iframe of its own: removing the iframe is the hard kill. The app
 * talks to the worker over a MessageChannel; the frame keeps only a control port.
 */
export function sandboxedWorkerFactory(
  assets: SandboxAssets,
  parent: HTMLElement = document.body,
): WorkerFactory {
  return (): WorkerHandle => {
    const rpc = new MessageChannel();
    const files = new MessageChannel();
    const control = new MessageChannel();
    serveFiles(files.port1, assets.packages);
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
        iframe.contentWindow?.postMessage(
          {
            type: 'python-sandbox-start',
            workerSource: assets.workerSource,
            core,
            rpc: rpc.port2,
            files: files.port2,
            control: control.port2,
          },
          '*', // the frame's origin is opaque: '*' is the only target that reaches it
          [rpc.port2, files.port2, control.port2, ...Object.values(core)],
        );
      },
      { once: true },
    );
    parent.append(iframe);
    let exitListener: ((reason: string) => void) | null = null;
    control.port1.onmessage = (event: MessageEvent<{ type?: unknown; message?: unknown }>) => {
      if (event.data.type === 'worker-error') exitListener?.(String(event.data.message));
    };
    return {
      endpoint: rpc.port1,
      // Shared memory reaches the frame, not the app (a different agent cluster), so Stop goes
      // through the frame, and only where the frame is cross-origin isolated.
      interrupt: crossOriginIsolated
        ? (signal) => control.port1.postMessage({ interrupt: signal })
        : null,
      terminate: () => {
        exitListener = null;
        iframe.remove();
        for (const port of [rpc.port1, files.port1, control.port1]) port.close();
      },
      onExit: (listener) => {
        exitListener = listener;
      },
    };
  };
}

function serveFiles(port: MessagePort, packages: PackageStore): void {
  port.onmessage = async (event: MessageEvent<FileRequest>) => {
    const { id, url } = event.data;
    let response: FileResponse;
    try {
      response = { id, bytes: await packages.get(String(url)) };
    } catch (error) {
      response = { id, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(response, 'bytes' in response ? [response.bytes] : []);
  };
}
