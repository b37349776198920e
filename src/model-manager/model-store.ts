import { useCallback, useRef, useState } from 'react';
import type { LoadPhase } from '../engine/loader/load-model.ts';
import { fileUrl } from '../engine/registry/urls.ts';
import type { Dtype, ModelEntry } from '../engine/registry/types.ts';
import type {
  BackendChoice,
  CachedFileCheck,
  EngineChoice,
  LoadedInfo,
  ModelLocation,
  ModelWorkerContract,
} from '../shared/contracts/model-worker.ts';
import { AppError, isAppError } from '../shared/errors.ts';
import type { RpcClient } from '../shared/rpc/client.ts';
import { isOfflineReady, offlineFileSet, urlsOf } from './offline/readiness.ts';
import type { FileSet } from './offline/readiness.ts';
import { useOfflineFiles } from './offline/use-offline-files.ts';
import type { OfflineFiles } from './offline/use-offline-files.ts';
import { ProgressTracker } from './progress.ts';
import type { ProgressSummary } from './progress.ts';

export interface LoadTarget {
  entry: ModelEntry;
  dtype: Dtype;
  backend: BackendChoice;
  engine: EngineChoice;
  /** Files picked from disk, keyed by path inside the folder; otherwise the entry's URLs. */
  files?: Map<string, Blob>;
}

/** A model the worker has loaded and serves. */
export interface ReadyModel {
  status: 'ready';
  target: LoadTarget;
  info: LoadedInfo;
}

/**
 * The latest load and where it stands. While a load runs, and after it failed, `previous` is
 * the model loaded before it: the worker keeps serving that one until a new one is ready.
 */
export type ModelState =
  | { status: 'empty' }
  | {
      status: 'loading';
      target: LoadTarget;
      phase: LoadPhase;
      progress: ProgressSummary;
      /** The WGSL engine's weights on the GPU so far (phase 'upload-weights'). */
      upload: { uploaded: number; total: number } | null;
      previous: ReadyModel | null;
    }
  | ReadyModel
  | { status: 'error'; target: LoadTarget; error: AppError; previous: ReadyModel | null };

/**
 * The model generation may use now: the ready one, or after a failed load the one loaded
 * before it. None while a load runs: it replaces the model as it ends.
 */
export function usableModel(state: ModelState): ReadyModel | null {
  if (state.status === 'ready') return state;
  return state.status === 'error' ? state.previous : null;
}

/** A required file of a model checked in the cache (see `verify`). */
export type VerifiedFile = CachedFileCheck & { path: string };

/**
 * The loaded model, and the model cache: listing, deleting, prefetching ("make available
 * offline", see OfflineFiles) and verifying.
 */
export interface ModelStore extends OfflineFiles {
  state: ModelState;
  notices: string[];
  load: (target: LoadTarget) => Promise<void>;
  cancel: () => void;
  /** Where an entry's files are downloaded from (its cache entries start with this). */
  urlPrefixOf: (entry: ModelEntry) => string;
  /** The files `dtype` needs offline, to pass to `prefetch`. */
  offlineFiles: (entry: ModelEntry, dtype: Dtype) => FileSet;
  /** All of those files are cached (presence only); null until the cache has been listed. */
  isOfflineReady: (entry: ModelEntry, dtype: Dtype) => boolean | null;
  /** Reads back each file `dtype` needs and checks size and SHA-256 (corrupt ones are deleted). */
  verify: (entry: ModelEntry, dtype: Dtype) => Promise<VerifiedFile[]>;
}

/** Where a registry entry's files are; `hubBaseUrl` lets tests point the hub at a local server. */
export function sourceFor(target: LoadTarget, hubBaseUrl: string | undefined): ModelLocation {
  if (target.files) return { kind: 'files', label: target.entry.label, files: target.files };
  const options = {
    ...(hubBaseUrl ? { hubBaseUrl } : {}),
    appBaseUrl: new URL(import.meta.env.BASE_URL, location.href).pathname,
  };
  const config = fileUrl(target.entry, 'config.json', options);
  return {
    kind: 'url',
    label: target.entry.label,
    baseUrl: new URL(config.slice(0, -'config.json'.length), location.href).href,
  };
}

/** The one loaded model of the page, with download progress, cancel and errors. */
export function useModelStore(
  client: RpcClient<ModelWorkerContract>,
  hubBaseUrl: string | undefined,
): ModelStore {
  const [state, setState] = useState<ModelState>({ status: 'empty' });
  const [notices, setNotices] = useState<string[]>([]);
  const controller = useRef<AbortController | null>(null);
  // The model the worker serves, whatever happened to the loads after it.
  const loaded = useRef<ReadyModel | null>(null);

  const load = useCallback(
    async (target: LoadTarget) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      const tracker = new ProgressTracker();
      let phase: LoadPhase = 'download';
      let upload: { uploaded: number; total: number } | null = null;
      const previous = loaded.current;
      setNotices([]);
      setState({
        status: 'loading',
        target,
        phase,
        progress: tracker.summary(performance.now()),
        upload,
        previous,
      });
      const variant = target.entry.dtypes[target.dtype];
      try {
        if (!variant)
          throw new AppError('bad-input', `${target.entry.label} has no ${target.dtype} weights.`);
        const info = await client.call(
          {
            kind: 'load',
            source: sourceFor(target, hubBaseUrl),
            onnxPath: variant.file.path,
            backend: target.backend,
            engine: target.engine,
            cache: target.files === undefined,
          },
          {
            signal: abort.signal,
            onEvent: (event) => {
              if (abort.signal.aborted) return;
              if (event.kind === 'phase') phase = event.phase;
              if (event.kind === 'upload')
                upload = { uploaded: event.uploaded, total: event.total };
              if (event.kind === 'notice') setNotices((list) => [...list, event.message]);
              const progress =
                event.kind === 'file'
                  ? tracker.update(event, performance.now())
                  : tracker.summary(performance.now());
              if (event.kind !== 'token')
                setState({ status: 'loading', target, phase, progress, upload, previous });
            },
          },
        );
        // The worker answered with a model: it serves this one now, even if the load was
        // cancelled or overtaken as it finished.
        const ready: ReadyModel = { status: 'ready', target, info };
        loaded.current = ready;
        if (controller.current === abort) setState(ready);
      } catch (error) {
        if (controller.current !== abort) return; // superseded by a newer load
        setState({
          status: 'error',
          target,
          error: isAppError(error) ? error : new AppError('internal', String(error)),
          previous: loaded.current,
        });
      }
    },
    [client, hubBaseUrl],
  );

  const cancel = useCallback(() => controller.current?.abort(), []);
  // A finished load may have added files to the cache.
  const offline = useOfflineFiles(client, state.status);
  const urlPrefixOf = useCallback(
    (entry: ModelEntry): string => {
      const source = sourceFor(
        { entry, dtype: 'fp32', backend: 'auto', engine: 'auto' },
        hubBaseUrl,
      );
      return source.kind === 'url' ? source.baseUrl : '';
    },
    [hubBaseUrl],
  );
  const offlineFiles = useCallback(
    (entry: ModelEntry, dtype: Dtype) => offlineFileSet(entry, dtype, urlPrefixOf(entry)),
    [urlPrefixOf],
  );
  const { cachedUrls, verifyCached } = offline;
  const isReady = useCallback(
    (entry: ModelEntry, dtype: Dtype) =>
      cachedUrls && isOfflineReady(entry, dtype, urlPrefixOf(entry), cachedUrls),
    [cachedUrls, urlPrefixOf],
  );
  const verify = useCallback(
    async (entry: ModelEntry, dtype: Dtype): Promise<VerifiedFile[]> => {
      const files = offlineFiles(entry, dtype);
      const checks = await verifyCached(urlsOf(files));
      return checks.map((check, i) => ({ ...check, path: files.paths[i] ?? check.url }));
    },
    [offlineFiles, verifyCached],
  );
  return {
    ...offline,
    state,
    notices,
    load,
    cancel,
    urlPrefixOf,
    offlineFiles,
    isOfflineReady: isReady,
    verify,
  };
}
