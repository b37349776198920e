import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  CachedFileCheck,
  ModelWorkerContract,
  PrefetchResult,
} from '../../shared/contracts/model-worker.ts';
import { AbortedError, AppError, isAppError } from '../../shared/errors.ts';
import type { RpcClient } from '../../shared/rpc/client.ts';
import { ProgressTracker } from '../progress.ts';
import type { ProgressSummary } from '../progress.ts';
import { fileSetKey } from './readiness.ts';
import type { FileSet } from './readiness.ts';

/** The page's one prefetch; `key` (fileSetKey) says which files it is for. */
export type PrefetchState =
  | { status: 'idle' }
  | { status: 'running'; key: string; files: FileSet; progress: ProgressSummary }
  | { status: 'done'; key: string; files: FileSet; result: PrefetchResult }
  | { status: 'error'; key: string; files: FileSet; error: AppError };

export interface OfflineFiles {
  /** URLs in the model cache as last listed; null before the first listing answers. */
  cachedUrls: ReadonlySet<string> | null;
  /** Lists the model cache (and remembers it in `cachedUrls`). */
  cachedFiles: () => Promise<Array<{ url: string; bytes: number }>>;
  /** Deletes every cached file whose URL starts with `urlPrefix`; how many went. */
  deleteCached: (urlPrefix: string) => Promise<number>;
  prefetchState: PrefetchState;
  /** Fetches the files into the cache, no session; null when it failed or was cancelled. */
  prefetch: (files: FileSet) => Promise<PrefetchResult | null>;
  cancelPrefetch: () => void;
  /** Checks size and SHA-256 of each URL's entry; corrupt entries are deleted. */
  verifyCached: (urls: string[]) => Promise<CachedFileCheck[]>;
}

/**
 * The model cache as the page sees it: what it holds, filling it ahead of use and checking
 * it. Listed on start and whenever `changed` changes (e.g. a load finished).
 */
export function useOfflineFiles(
  client: RpcClient<ModelWorkerContract>,
  changed: unknown,
): OfflineFiles {
  const [cachedUrls, setCachedUrls] = useState<ReadonlySet<string> | null>(null);
  const [prefetchState, setPrefetchState] = useState<PrefetchState>({ status: 'idle' });
  const controller = useRef<AbortController | null>(null);

  const cachedFiles = useCallback(async () => {
    const files = await client.call({ kind: 'cachedFiles' });
    setCachedUrls((known) => sameOrNew(known, files));
    return files;
  }, [client]);

  useEffect(() => {
    let live = true;
    client.call({ kind: 'cachedFiles' }).then(
      (files) => {
        if (live) setCachedUrls((known) => sameOrNew(known, files));
      },
      () => {}, // no listing: readiness stays unknown
    );
    return () => {
      live = false;
    };
  }, [client, changed]);

  const deleteCached = useCallback(
    async (urlPrefix: string) => {
      const { deleted } = await client.call({ kind: 'deleteCached', urlPrefix });
      await cachedFiles();
      return deleted;
    },
    [client, cachedFiles],
  );

  const prefetch = useCallback(
    async (files: FileSet): Promise<PrefetchResult | null> => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      const key = fileSetKey(files);
      const tracker = new ProgressTracker();
      setPrefetchState({ status: 'running', key, files, progress: tracker.summary(now()) });
      try {
        const result = await client.call(
          {
            kind: 'prefetch',
            source: { kind: 'url', label: files.label, baseUrl: files.baseUrl },
            paths: [...files.paths],
          },
          {
            signal: abort.signal,
            onEvent: (event) => {
              if (abort.signal.aborted || event.kind !== 'file') return;
              const progress = tracker.update(event, now());
              setPrefetchState({ status: 'running', key, files, progress });
            },
          },
        );
        if (abort.signal.aborted) throw new AbortedError('Cancelled.');
        setPrefetchState({ status: 'done', key, files, result });
        return result;
      } catch (error) {
        if (controller.current === abort) {
          const appError = isAppError(error) ? error : new AppError('internal', String(error));
          setPrefetchState({ status: 'error', key, files, error: appError });
        }
        return null;
      } finally {
        // Files that arrived before a failure or cancel are kept: list them.
        cachedFiles().catch(() => {});
      }
    },
    [client, cachedFiles],
  );

  const cancelPrefetch = useCallback(() => controller.current?.abort(), []);

  const verifyCached = useCallback(
    async (urls: string[]) => {
      try {
        return (await client.call({ kind: 'verifyCached', urls })).files;
      } finally {
        cachedFiles().catch(() => {}); // corrupt entries were deleted
      }
    },
    [client, cachedFiles],
  );

  return {
    cachedUrls,
    cachedFiles,
    deleteCached,
    prefetchState,
    prefetch,
    cancelPrefetch,
    verifyCached,
  };
}

const now = (): number => performance.now();

/**
 * The listed URLs, as the same set when nothing changed: a listing is asked for on each
 * change of `cachedUrls`' users, and a new but equal set would ask again forever.
 */
function sameOrNew(
  known: ReadonlySet<string> | null,
  files: ReadonlyArray<{ url: string }>,
): ReadonlySet<string> {
  const next = new Set(files.map((f) => f.url));
  return known?.size === next.size && [...next].every((url) => known.has(url)) ? known : next;
}
