import { useState } from 'react';
import { formatBytes } from '../shared/format.ts';
import { packagesDetail, packagesShort } from './package-readiness.ts';
import type { PackagesReadiness } from './package-readiness.ts';
import type { ServiceWorkerClient, ServiceWorkerState } from './service-worker.ts';
import { useOnline, useServiceWorker, useStorageState } from './use-offline-state.ts';
import './offline.css';

/** What is stored for use without a network, as the header shows it. */
export interface OfflineInventory {
  /** Models whose files are all cached: "label (dtype)", and "id dtype" for the header line. */
  models: Array<{ label: string; short: string }>;
  /** The Python wheels the benchmark needs. */
  packages: PackagesReadiness;
}

function shellSummary(sw: ServiceWorkerState): { text: string; ready: boolean } {
  switch (sw.kind) {
    case 'unsupported':
      return { text: 'App: not stored for offline use', ready: false };
    case 'registering':
    case 'installing':
      return { text: 'App: storing for offline use…', ready: false };
    case 'ready':
      return sw.status && sw.status.precached < sw.status.total
        ? {
            text: `App: storing (${sw.status.precached} of ${sw.status.total} files)…`,
            ready: false,
          }
        : { text: 'App: ready offline', ready: true };
    case 'update-ready':
      return { text: 'App: ready offline, update available', ready: true };
    case 'error':
      return { text: 'App: not available offline', ready: false };
  }
}

/** The header line's word on models: which are ready offline, by id and dtype. */
function modelsSummary(models: OfflineInventory['models']): string {
  if (models.length === 0) return 'Models: none offline';
  if (models.length > 2) return `${models.length} models ready offline`;
  return `${models.length === 1 ? 'Model' : 'Models'} ${models.map((m) => m.short).join(', ')}: ready offline`;
}

/**
 * Always in the header: online or offline, whether the app itself is stored, and (opened)
 * what else is: models, Python packages, storage used and whether it is persistent.
 */
export function OfflineStatus({
  serviceWorker,
  inventory,
  onOpen,
}: {
  serviceWorker: ServiceWorkerClient;
  inventory: OfflineInventory | null;
  /** Called when the details open, to refresh the inventory. */
  onOpen: () => void;
}) {
  const online = useOnline();
  const sw = useServiceWorker(serviceWorker);
  const [open, setOpen] = useState(false);
  const storage = useStorageState(open ? inventory : null);
  const shell = shellSummary(sw);

  return (
    <details
      className="offline-status"
      data-testid="offline-status"
      data-online={String(online)}
      data-shell={sw.kind}
      data-shell-ready={String(shell.ready)}
      data-packages={inventory?.packages.kind ?? 'checking'}
      open={open}
      onToggle={(e) => {
        const next = e.currentTarget.open;
        setOpen(next);
        if (next) onOpen();
      }}
    >
      <summary>
        <span className={`dot ${online ? 'online' : 'offline'}`} aria-hidden="true" />
        <strong>{online ? 'Online' : 'Offline'}</strong> ·{' '}
        <span data-testid="offline-summary-shell">{shell.text}</span>
        {inventory && (
          <>
            {' · '}
            <span data-testid="offline-summary-models">{modelsSummary(inventory.models)}</span>
            {' · '}
            <span
              data-testid="offline-summary-packages"
              className={inventory.packages.kind === 'ready' ? undefined : 'offline-missing'}
            >
              Python packages: {packagesShort(inventory.packages)}
            </span>
          </>
        )}
      </summary>
      <div className="offline-details" data-testid="offline-details">
        <dl className="offline-facts">
          <dt>Network</dt>
          <dd>
            {online
              ? 'Connected. Downloads (models, Python packages) are possible.'
              : 'No network. Everything stored below still works.'}
          </dd>
          <dt>App</dt>
          <dd data-testid="offline-shell">
            {sw.kind === 'unsupported' && sw.reason}
            {sw.kind === 'error' && sw.message}
            {sw.kind === 'installing' && 'Storing the app, Pyodide and onnxruntime-web…'}
            {sw.kind === 'registering' && 'Starting the service worker…'}
            {sw.kind === 'ready' &&
              (sw.status
                ? `${sw.status.precached} of ${sw.status.total} files stored (${formatBytes(sw.status.bytes)}): the page, Monaco, Pyodide and onnxruntime-web.`
                : 'Stored.')}
            {sw.kind === 'update-ready' && (
              <>
                A new version is ready.{' '}
                <button type="button" onClick={sw.apply} data-testid="apply-update">
                  Reload to update
                </button>
              </>
            )}
          </dd>
          <dt>Cross-origin isolated</dt>
          <dd data-testid="offline-isolated">
            {crossOriginIsolated
              ? 'Yes: WASM threads, and Stop interrupts Python at once.'
              : 'No: one WASM thread, and Stop restarts Python.'}
          </dd>
          <dt>Models</dt>
          <dd data-testid="offline-models">
            {inventory === null
              ? 'Checking…'
              : inventory.models.length === 0
                ? 'None stored for offline use yet: use "Make available offline" in the model manager.'
                : inventory.models.map((m) => m.label).join(', ')}
          </dd>
          <dt>Python packages</dt>
          <dd data-testid="offline-packages">
            {inventory === null ? 'Checking…' : packagesDetail(inventory.packages)}
          </dd>
          <dt>Storage</dt>
          <dd data-testid="offline-storage">
            {storage === null
              ? 'Checking…'
              : `${storage.usage === null ? 'Unknown use' : formatBytes(storage.usage)}${
                  storage.quota === null ? '' : ` of ${formatBytes(storage.quota)}`
                }; ${
                  storage.persisted
                    ? 'persistent (the browser will not evict it).'
                    : 'not persistent: the browser may evict it when space runs low.'
                }`}
          </dd>
        </dl>
      </div>
    </details>
  );
}
