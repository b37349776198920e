/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import type { WorkboxPlugin } from 'workbox-core';
import {
  addPlugins,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { isConnectMessage } from '../../src/shared/contracts/service-worker.ts';
import type {
  OfflineStatusReply,
  ServiceWorkerContract,
} from '../../src/shared/contracts/service-worker.ts';
import { serveRpc } from '../../src/shared/rpc/index.ts';
import type { Handlers } from '../../src/shared/rpc/index.ts';
import { MODEL_CACHE, PACKAGE_CACHE, RUNTIME_CACHE } from '../../src/shared/cache-names.ts';
import { withIsolationHeaders } from './isolation.ts';

/**
 * The offline service worker. What it keeps and where:
 * - the app shell, Pyodide's core and onnxruntime-web's default (JSEP) build: precached at
 *   install, from the list the build injects into `self.__WB_MANIFEST`;
 * - onnxruntime-web's other builds (?ort=asyncify|wasm): cached the first time they are used;
 * - model files and Python wheels: never stored here. The engine's loader and the app's
 *   package store write them to their own caches; this worker only answers from those caches,
 *   so each file is stored once.
 * Everything same-origin it serves gets COOP/COEP (see isolation.ts).
 */
declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<{ url: string; revision: string | null }>;
};

const manifest = self.__WB_MANIFEST;
const isolation: WorkboxPlugin = {
  handlerWillRespond: ({ response }) => Promise.resolve(withIsolationHeaders(response)),
};

// The first worker takes over the open page at once (it has nothing to replace); an update
// waits until the user accepts it, so a running benchmark is never cut off by a new version.
clientsClaim();
addPlugins([isolation]);
// Hashed file names carry their version; query strings (?instance=N on onnxruntime-web's
// module, ?hub= on the page) never name a different file.
precacheAndRoute(manifest, { ignoreURLParametersMatching: [/.*/] });
cleanupOutdatedCaches();

const sameOrigin = (url: URL): boolean => url.origin === self.location.origin;

// Any page URL (?hub=…, #benchmark) is the one-page app; a file URL is not a page.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [/\/[^/?#]+\.[^/?#]+(?:[?#]|$)/],
  }),
);

registerRoute(
  ({ url }) => sameOrigin(url) && url.pathname.includes('/vendor/'),
  new CacheFirst({ cacheName: RUNTIME_CACHE, plugins: [isolation] }),
);

// Model files and wheels the app stored, then the network; nothing is added to any cache.
registerRoute(
  ({ url, request }) => sameOrigin(url) && request.method === 'GET',
  async ({ request }) => {
    const stored =
      (await (await caches.open(MODEL_CACHE)).match(request)) ??
      (await (await caches.open(PACKAGE_CACHE)).match(request));
    return withIsolationHeaders(stored ?? (await fetch(request)));
  },
);

/** One session's handlers; `answered` is called when its call has its result. */
function sessionHandlers(answered: () => void): Handlers<ServiceWorkerContract> {
  return {
    'offline-status': () => precacheStatus().finally(answered),
    'skip-waiting': () =>
      self
        .skipWaiting()
        .then(() => null)
        .finally(answered),
  };
}

// Each page call arrives on a port of its own (see src/offline/service-worker.ts): the worker
// serves that port for one call and is kept alive (waitUntil) until the answer is posted.
self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const port = event.ports[0];
  if (!isConnectMessage(event.data) || !port) return;
  let answered = (): void => {};
  const done = new Promise<void>((resolve) => (answered = resolve));
  const stop = serveRpc<ServiceWorkerContract>(port, sessionHandlers(answered));
  event.waitUntil(
    // serveRpc posts the result right after the handler settles: one task later it is sent.
    done
      .then(() => new Promise((resolve) => setTimeout(resolve)))
      .then(() => {
        stop();
        port.close();
      }),
  );
});

async function precacheStatus(): Promise<OfflineStatusReply> {
  const names = await caches.keys();
  const name = names.find((n) => n.startsWith('workbox-precache'));
  let precached = 0;
  let bytes = 0;
  if (name) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      precached++;
      const length = (await cache.match(request))?.headers.get('Content-Length');
      bytes += Number(length ?? 0);
    }
  }
  // The build may list a file twice; the cache holds it once.
  const total = new Set(manifest.map((entry) => (typeof entry === 'string' ? entry : entry.url)))
    .size;
  return { precached, total, bytes, addsIsolationHeaders: true };
}
