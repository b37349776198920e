import { Workbox } from 'workbox-window';
import { CONNECT_MESSAGE } from '../shared/contracts/service-worker.ts';
import type {
  OfflineStatusReply,
  ServiceWorkerContract,
  ServiceWorkerRequest,
} from '../shared/contracts/service-worker.ts';
import { AppError } from '../shared/errors.ts';
import { RpcClient } from '../shared/rpc/index.ts';
import type { ResultOf } from '../shared/rpc/index.ts';

/** What the service worker does for this page, for the offline status. */
export type ServiceWorkerState =
  | { kind: 'unsupported'; reason: string }
  | { kind: 'registering' }
  /** Installing: the app shell is being stored. */
  | { kind: 'installing' }
  | { kind: 'ready'; status: OfflineStatusReply | null }
  /** A new version is installed and waits; `apply` switches to it and reloads. */
  | { kind: 'update-ready'; apply: () => void }
  | { kind: 'error'; message: string };

type Listener = (state: ServiceWorkerState) => void;

// Set once per tab: the reload that lets the service worker's headers isolate the page.
const ISOLATION_RELOAD_KEY = 'codegen-isolation-reload';

/**
 * Registers the offline service worker (production builds only: in `npm start` it would
 * cache files Vite is still changing) and keeps its state for the UI.
 */
export class ServiceWorkerClient {
  private state: ServiceWorkerState;
  private readonly listeners = new Set<Listener>();
  private workbox: Workbox | null = null;
  private registration: ServiceWorkerRegistration | null = null;

  constructor(private readonly scriptUrl: string) {
    this.state = !('serviceWorker' in navigator)
      ? {
          kind: 'unsupported',
          reason:
            'This browser (or its private mode) has no service workers: the app works, but not offline.',
        }
      : import.meta.env.DEV
        ? { kind: 'unsupported', reason: 'No service worker in development (npm start).' }
        : { kind: 'registering' };
  }

  get current(): ServiceWorkerState {
    return this.state;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.state.kind !== 'registering' || this.workbox) return;
    if (crossOriginIsolated) sessionStorage.removeItem(ISOLATION_RELOAD_KEY);
    const workbox = new Workbox(this.scriptUrl);
    this.workbox = workbox;
    workbox.addEventListener('installed', (event) => {
      if (!event.isUpdate) this.set({ kind: 'installing' });
    });
    workbox.addEventListener('activated', () => void this.refresh());
    // An install that fails (most often: no room for the app shell) discards the worker.
    // (Later, a replaced or failed update leaves the working version in place: not an error.)
    workbox.addEventListener('redundant', () => {
      if (this.state.kind !== 'registering' && this.state.kind !== 'installing') return;
      this.set({
        kind: 'error',
        message:
          'The app could not be stored for offline use: installing the service worker failed, most often because the browser gave this site too little storage. The app still works online; free some space (delete cached models) and reload to try again.',
      });
    });
    workbox.addEventListener('waiting', () =>
      this.set({
        kind: 'update-ready',
        apply: () => {
          workbox.addEventListener('controlling', () => location.reload());
          const waiting = this.registration?.waiting;
          if (waiting) void callServiceWorker(waiting, { kind: 'skip-waiting' });
        },
      }),
    );
    // The first worker has just taken over: a page served without COOP/COEP (a static host)
    // becomes cross-origin isolated on a reload through it. Once per tab, so a browser that
    // still refuses isolation does not reload forever.
    workbox.addEventListener('controlling', (event) => {
      if (event.isUpdate || crossOriginIsolated) return;
      if (sessionStorage.getItem(ISOLATION_RELOAD_KEY)) return;
      sessionStorage.setItem(ISOLATION_RELOAD_KEY, '1');
      location.reload();
    });
    workbox.register().then(
      async (registration) => {
        if (!registration) return;
        this.registration = registration;
        if (registration.installing) this.set({ kind: 'installing' });
        else if (registration.active) await this.refresh();
      },
      (error: unknown) =>
        this.set({
          kind: 'error',
          message: `The offline service worker could not be registered: ${error instanceof Error ? error.message : String(error)}`,
        }),
    );
  }

  /** Asks the worker how much of the app shell it holds. */
  async refresh(): Promise<void> {
    if (!this.workbox || this.state.kind === 'update-ready') return;
    try {
      const status = await callServiceWorker(await this.workbox.getSW(), {
        kind: 'offline-status',
      });
      this.set({ kind: 'ready', status });
    } catch {
      this.set({ kind: 'ready', status: null });
    }
  }

  private set(state: ServiceWorkerState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}

/** A worker of an older release may not speak this contract: it never answers. */
const SERVICE_WORKER_TIMEOUT_MS = 10_000;

/** One call to a service worker over a port of its own (the worker serves one call per port). */
async function callServiceWorker<R extends ServiceWorkerRequest>(
  worker: ServiceWorker,
  request: R,
): Promise<ResultOf<ServiceWorkerContract, R['kind']>> {
  const channel = new MessageChannel();
  const client = new RpcClient<ServiceWorkerContract>(channel.port1);
  const timer = setTimeout(
    () =>
      client.fail(
        new AppError('internal', 'The offline service worker did not answer.', {
          hint: 'Reload the page; if this stays, the stored app is from an older release.',
        }),
      ),
    SERVICE_WORKER_TIMEOUT_MS,
  );
  worker.postMessage(CONNECT_MESSAGE, [channel.port2]);
  try {
    return await client.call(request);
  } finally {
    clearTimeout(timer);
    client.dispose();
    channel.port1.close();
  }
}
