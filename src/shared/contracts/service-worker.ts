import type { Contract } from '../rpc/index.ts';

/**
 * The page ↔ offline service worker contract (workers/service-worker/sw.ts). A service worker
 * has no per-page channel of its own, so the page opens one: it posts a `ConnectMessage` with
 * one MessagePort, and the worker serves this contract on that port through src/shared/rpc,
 * like every other worker boundary.
 */
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

export type ServiceWorkerRequest =
  /** How much of the app shell is stored. */
  | { kind: 'offline-status' }
  /** The user accepted an update: the waiting worker takes over (the page then reloads). */
  | { kind: 'skip-waiting' };

export interface ServiceWorkerContract extends Contract {
  request: ServiceWorkerRequest;
  results: { 'offline-status': OfflineStatusReply; 'skip-waiting': null };
  event: never;
}

/** Posted to the service worker with the port that will carry one RPC session. */
export interface ConnectMessage {
  kind: 'connect-rpc';
}

export const CONNECT_MESSAGE: ConnectMessage = { kind: 'connect-rpc' };

export function isConnectMessage(data: unknown): data is ConnectMessage {
  return typeof data === 'object' && data !== null && 'kind' in data && data.kind === 'connect-rpc';
}
