import { useEffect, useRef, useState } from 'react';
import type { Dtype, ModelEntry } from '../../engine/registry/types.ts';
import { AbortedError } from '../../shared/errors.ts';
import type { AppError } from '../../shared/errors.ts';
import { formatBytes } from '../../shared/format.ts';
import type { ModelStore } from '../model-store.ts';
import { ErrorNotice } from '../../ui/ErrorNotice.tsx';
import { packagesDetail, packagesShort } from '../../offline/package-readiness.ts';
import type { PackagesReadiness } from '../../offline/package-readiness.ts';
import { asAppError } from './as-app-error.ts';
import { DeletableModels } from './DeletableModels.tsx';
import { ModelFilesProgress, PythonPackagesProgress } from './OfflineProgress.tsx';
import type { PreparePython, PythonPrepareProgress } from './prepare-python.ts';
import { QuotaError } from './QuotaError.tsx';
import { bytesToFetch, fileSetKey, offlineState } from './readiness.ts';
import { checkSpace, readStorage, requestPersistence } from './storage.ts';
import type { StorageInfo } from './storage.ts';
import './offline.css';

export interface MakeOfflineProps {
  store: ModelStore;
  entry: ModelEntry;
  dtype: Dtype;
  /** Every model the panel lists: the quota error offers their cached files for deletion. */
  models: readonly ModelEntry[];
  /** The Python stage; without it only the model files are fetched, and they alone make it ready. */
  preparePython?: PreparePython;
}

type Step =
  | { kind: 'idle' }
  | { kind: 'checking' }
  /** The download will not fit: go on only if the user says so. */
  | { kind: 'confirm'; needed: number; free: number }
  | { kind: 'model' }
  | { kind: 'python'; progress: PythonPrepareProgress | null }
  | { kind: 'done'; python: { files: number; bytes: number } | null }
  | { kind: 'python-error'; error: AppError };

/**
 * "Make available offline" for one model and dtype: asks for persistent storage, warns when
 * the download will not fit, fetches the model files into the cache (no session), then the
 * Python packages the benchmark needs. "Offline-ready" only when both are stored: with model
 * files but not every package it says what is missing, which problems that costs, and offers
 * to fetch the packages again. Mount it keyed by model and dtype.
 */
export function MakeOffline({ store, entry, dtype, models, preparePython }: MakeOfflineProps) {
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [storage, setStorage] = useState<StorageInfo | null>(null);
  const pythonAbort = useRef<AbortController | null>(null);
  const [packages, setPackages] = useState<PackagesReadiness | null>(null);
  const files = store.offlineFiles(entry, dtype);
  const prefetch = store.prefetchState;
  // The page's prefetch, when it is for these files (it goes on if the selection changes).
  const mine = prefetch.status !== 'idle' && prefetch.key === fileSetKey(files) ? prefetch : null;
  const state = offlineState(store.isOfflineReady(entry, dtype), preparePython && packages);
  const needed = store.cachedUrls
    ? bytesToFetch(entry, dtype, files.baseUrl, store.cachedUrls)
    : null;
  const busy =
    mine?.status === 'running' ||
    step.kind === 'checking' ||
    step.kind === 'model' ||
    step.kind === 'python';

  useEffect(() => {
    let live = true;
    readStorage().then(
      (info) => {
        if (live) setStorage(info);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    let live = true;
    preparePython?.readiness().then(
      (next) => {
        if (live) setPackages(next);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [preparePython]);

  const fetchPython = async (python: PreparePython): Promise<void> => {
    const abort = new AbortController();
    pythonAbort.current = abort;
    setStep({ kind: 'python', progress: null });
    try {
      const result = await python.prepare({
        signal: abort.signal,
        onProgress: (progress) => {
          if (!abort.signal.aborted) setStep({ kind: 'python', progress });
        },
      });
      if (abort.signal.aborted) throw new AbortedError();
      setStep({ kind: 'done', python: result });
    } catch (error) {
      setStep({ kind: 'python-error', error: asAppError(error) });
    } finally {
      // Whatever was stored before a failure stays: read what there is now.
      setPackages(await python.readiness().catch(() => null));
    }
  };

  const download = async (): Promise<void> => {
    setStep({ kind: 'model' });
    if (!(await store.prefetch(files))) return setStep({ kind: 'idle' }); // the store has the error
    if (!preparePython) return setStep({ kind: 'done', python: null });
    await fetchPython(preparePython);
  };

  const start = async (): Promise<void> => {
    setStep({ kind: 'checking' });
    // Asked first, on the click: Firefox shows a prompt only for a user gesture.
    const persisted = await requestPersistence();
    const info = await readStorage().catch((): StorageInfo => ({
      usage: null,
      quota: null,
      persisted: null,
    }));
    const current = { ...info, persisted: persisted ?? info.persisted };
    setStorage(current);
    const space = checkSpace(needed?.bytes ?? null, current);
    if (space.fits === 'no') return setStep({ kind: 'confirm', ...space });
    await download();
  };

  const cancel = (): void => {
    store.cancelPrefetch();
    pythonAbort.current?.abort();
  };

  const error =
    step.kind === 'python-error'
      ? step.error
      : step.kind === 'idle' && mine?.status === 'error'
        ? mine.error
        : null;

  return (
    <div className="offline" data-testid="make-offline-panel">
      <div className="offline-row">
        <button
          type="button"
          onClick={() => void start()}
          disabled={busy}
          data-testid="make-offline"
        >
          Make available offline
        </button>
        {state === 'ready' && !busy && (
          <span className="offline-badge" data-testid="offline-ready">
            Offline-ready
          </span>
        )}
        {state === 'model-only' && !busy && (
          <span className="offline-badge partial" data-testid="offline-model-ready">
            Model files stored · Python packages: {packages ? packagesShort(packages) : 'checking…'}
          </span>
        )}
        {needed && needed.bytes > 0 && !busy && (
          <span className="muted">
            {needed.exact ? '' : '≈'}
            {formatBytes(needed.bytes)} to download
            {storage && storage.quota !== null && storage.usage !== null
              ? ` · ${formatBytes(Math.max(0, storage.quota - storage.usage))} free`
              : ''}
          </span>
        )}
        {storage && storage.persisted !== null && (
          <span
            className="muted"
            data-testid="offline-storage"
            data-persisted={String(storage.persisted)}
          >
            {storage.persisted
              ? 'Storage is persistent.'
              : 'Storage is best-effort: the browser may clear it when space runs low.'}
          </span>
        )}
      </div>
      {step.kind === 'confirm' && (
        <div className="notice warn" role="alert" data-testid="space-warning">
          <strong>This will probably not fit.</strong> {files.label} needs{' '}
          {formatBytes(step.needed)} more, and the browser leaves this site {formatBytes(step.free)}
          . Delete cached models you do not need, or allow the site more storage.
          <DeletableModels store={store} models={models} />
          <div className="form-row">
            <button type="button" onClick={() => void download()}>
              Download anyway
            </button>
            <button type="button" onClick={() => setStep({ kind: 'idle' })}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {mine?.status === 'running' && (
        <ModelFilesProgress
          progress={mine.progress}
          fileCount={mine.files.paths.length}
          onCancel={cancel}
        />
      )}
      {step.kind === 'python' && (
        <PythonPackagesProgress progress={step.progress} onCancel={cancel} />
      )}
      {/* A warning once storing was tried (or got part way); before that the badge says it. */}
      {state === 'model-only' &&
        preparePython &&
        packages &&
        (packages.kind === 'partial' || step.kind === 'python-error') &&
        !busy && (
          <div className="notice warn" data-testid="offline-python-missing">
            <strong>Not ready offline for the benchmark.</strong> {files.label}: model files stored.
            Python packages: {packagesDetail(packages)}{' '}
            <button
              type="button"
              onClick={() => void fetchPython(preparePython)}
              data-testid="offline-python-retry"
            >
              Fetch the Python packages again
            </button>
          </div>
        )}
      {step.kind === 'done' && (
        <p className="notice ok" data-testid="offline-done">
          {files.label} is stored for offline use
          {mine?.status === 'done' && ` (${downloaded(mine.result.files)})`}
          {step.python &&
            `; Python packages: ${step.python.files} files, ${formatBytes(step.python.bytes)}`}
          .
        </p>
      )}
      {error?.code === 'aborted' && (
        <p className="muted" data-testid="offline-cancelled">
          Cancelled. Files already stored are kept: Make available offline resumes.
        </p>
      )}
      {error?.code === 'storage-quota' && (
        <QuotaError error={error} store={store} models={models} onRetry={() => void start()} />
      )}
      {error && error.code !== 'aborted' && error.code !== 'storage-quota' && (
        <ErrorNotice error={error} testId="offline-error" />
      )}
    </div>
  );
}

function downloaded(files: ReadonlyArray<{ fromCache: boolean }>): string {
  const n = files.filter((f) => !f.fromCache).length;
  return n === 0
    ? 'every file was cached already'
    : `${n} ${n === 1 ? 'file' : 'files'} downloaded`;
}
