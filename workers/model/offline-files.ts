import type { FileCache } from '../../src/engine/loader/file-cache.ts';
import { HttpSource, urlInFolder } from '../../src/engine/loader/sources.ts';
import type {
  CachedFileCheck,
  ModelWorkerEvent,
  PrefetchRequest,
  PrefetchResult,
} from '../../src/shared/contracts/model-worker.ts';
import { AbortedError, AppError } from '../../src/shared/errors.ts';
import type { CallContext } from '../../src/shared/rpc/server.ts';

type Context = CallContext<ModelWorkerEvent>;

/** Without Cache Storage (an insecure page, some private modes) nothing can be kept. */
export function requireCache(cache: FileCache | null): FileCache {
  if (cache) return cache;
  throw new AppError('internal', 'This browser gives the page no Cache Storage to keep files in.', {
    hint: 'Cache Storage needs a secure page (https or localhost) and is off in some private windows.',
  });
}

/**
 * Downloads each file into the model cache through the loader's own path (resume, progress,
 * the cache's size and SHA-256), without creating a session. One file at a time, in order:
 * the weights come last and take longest, and a cancel stops between and inside files.
 */
export async function prefetchFiles(
  cache: FileCache,
  request: PrefetchRequest,
  { emit, signal }: Context,
): Promise<PrefetchResult> {
  const { source } = request;
  const files = new HttpSource(
    source.label,
    (path) => urlInFolder(source.baseUrl, path),
    cache,
    // load() keeps going when a file cannot be stored; a prefetch exists to store it.
    (error) => {
      throw error;
    },
  );
  const out: PrefetchResult['files'] = [];
  for (const path of request.paths) {
    if (signal.aborted) throw new AbortedError('Making the model available offline was cancelled.');
    const result = await files.read(path, {
      signal,
      onProgress: (loaded, total) =>
        emit({ kind: 'file', path, loaded, total, fromCache: false, done: false }),
    });
    const bytes = result.bytes.byteLength;
    emit({
      kind: 'file',
      path,
      loaded: bytes,
      total: bytes,
      fromCache: result.fromCache,
      done: true,
    });
    out.push({ path, bytes, fromCache: result.fromCache });
  }
  return { files: out };
}

/** Reads back each URL and checks its size and SHA-256; a corrupt entry is deleted. */
export async function verifyCachedFiles(
  cache: FileCache,
  urls: readonly string[],
  { signal }: Context,
): Promise<{ files: CachedFileCheck[] }> {
  const files: CachedFileCheck[] = [];
  for (const url of urls) {
    if (signal.aborted) throw new AbortedError('Checking the cached files was cancelled.');
    files.push({ url, ...(await cache.verify(url)) });
  }
  return { files };
}
