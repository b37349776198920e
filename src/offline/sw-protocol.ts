/**
 * Messages between the page and the service worker (workers/service-worker/sw.ts). The page
 * asks; the worker answers on the MessagePort sent with the question.
 */

export interface OfflineStatusRequest {
  type: 'offline-status';
}

export interface OfflineStatusReply {
  /** Files of the app shell (HTML, scripts, Pyodide core, onnxruntime-web) stored so far. */
  precached: number;
  /** Files the shell has in all. */
  total: number;
  /** Their bytes as stored. */
  bytes: number;
  /** Whether the worker adds COOP/COEP to what it serves (so the page can be isolated). */
  addsIsolationHeaders: boolean;
}

/** Sent by workbox-window's messageSkipWaiting(): the user accepted an update. */
export interface SkipWaitingRequest {
  type: 'SKIP_WAITING';
}

export type ServiceWorkerRequest = OfflineStatusRequest | SkipWaitingRequest;
