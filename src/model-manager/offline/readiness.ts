import { urlInFolder } from '../../engine/loader/sources.ts';
import { availableDtypes } from '../../engine/registry/dtypes.ts';
import { expectedBytes, requiredFiles } from '../../engine/registry/urls.ts';
import type { Dtype, ModelEntry } from '../../engine/registry/types.ts';
import type { PackagesReadiness } from '../../offline/package-readiness.ts';

/** Files to keep in the model cache; each one's URL, and cache key, is `baseUrl` + path. */
export interface FileSet {
  label: string;
  baseUrl: string;
  paths: readonly string[];
}

/** Everything `entry` needs to run with `dtype` without a network, from `baseUrl`. */
export function offlineFileSet(entry: ModelEntry, dtype: Dtype, baseUrl: string): FileSet {
  return {
    label: `${entry.label} (${dtype})`,
    baseUrl,
    paths: requiredFiles(entry, dtype).map((f) => f.path),
  };
}

/** Equal for the same files from the same place: which prefetch a progress bar belongs to. */
export function fileSetKey(set: FileSet): string {
  return [set.baseUrl, ...set.paths].join('\n');
}

export function urlsOf(set: FileSet): string[] {
  return set.paths.map((path) => urlInFolder(set.baseUrl, path));
}

/** Paths of the set that the cache does not hold (by presence: verifyCached checks contents). */
export function missingPaths(set: FileSet, cachedUrls: ReadonlySet<string>): string[] {
  return set.paths.filter((path) => !cachedUrls.has(urlInFolder(set.baseUrl, path)));
}

/** "Offline-ready": every file `dtype` needs is in the cache. */
export function isOfflineReady(
  entry: ModelEntry,
  dtype: Dtype,
  baseUrl: string,
  cachedUrls: ReadonlySet<string>,
): boolean {
  return missingPaths(offlineFileSet(entry, dtype, baseUrl), cachedUrls).length === 0;
}

/**
 * What the model panel may say of a model and dtype: `ready` (Offline-ready) only when its
 * files and, where the benchmark's packages are part of it, every package are stored;
 * `model-only` when the files are but packages are missing (or not known yet); `unknown`
 * before the cache is listed.
 */
export type OfflineState = 'ready' | 'model-only' | 'not-stored' | 'unknown';

export function offlineState(
  modelReady: boolean | null,
  /** Null while being read; undefined where the panel has no Python stage. */
  packages: PackagesReadiness | null | undefined,
): OfflineState {
  if (modelReady === null) return 'unknown';
  if (!modelReady) return 'not-stored';
  return packages === undefined || packages?.kind === 'ready' ? 'ready' : 'model-only';
}

/** The dtypes of `entry` whose files are all cached. */
export function offlineReadyDtypes(
  entry: ModelEntry,
  baseUrl: string,
  cachedUrls: ReadonlySet<string>,
): Dtype[] {
  return availableDtypes(entry).filter((d) => isOfflineReady(entry, d, baseUrl, cachedUrls));
}

/** Every (model, dtype) of `models` that can run offline; `baseUrlOf` is where each is fetched from. */
export function offlineReadyModels(
  models: readonly ModelEntry[],
  baseUrlOf: (entry: ModelEntry) => string,
  cachedUrls: ReadonlySet<string>,
): Array<{ entry: ModelEntry; dtype: Dtype }> {
  return models
    .filter((m) => !m.id.startsWith('folder:')) // picked from disk: never cached
    .flatMap((entry) =>
      offlineReadyDtypes(entry, baseUrlOf(entry), cachedUrls).map((dtype) => ({ entry, dtype })),
    );
}

/**
 * Bytes still to download to make `dtype` offline-ready: the expected size of each missing
 * file (the small JSON files count as nothing). Null when missing weights have no known size.
 */
export function bytesToFetch(
  entry: ModelEntry,
  dtype: Dtype,
  baseUrl: string,
  cachedUrls: ReadonlySet<string>,
): { bytes: number; exact: boolean } | null {
  let bytes = 0;
  let exact = true;
  for (const file of requiredFiles(entry, dtype)) {
    if (cachedUrls.has(urlInFolder(baseUrl, file.path)) || file.role !== 'weights') continue;
    const size = expectedBytes(file.size);
    if (!size) return null;
    bytes += size.bytes;
    exact &&= size.exact;
  }
  return { bytes, exact };
}

/**
 * What to check for one cached model folder: every file it holds, plus every file that a
 * dtype whose weights are there needs (a missing tokenizer makes those weights useless).
 * `entry` is null for folders the app no longer knows (a custom model of an earlier visit).
 */
export function urlsToVerify(
  cachedUrls: readonly string[],
  entry: ModelEntry | null,
  baseUrl: string,
): string[] {
  const urls = new Set(cachedUrls);
  if (entry) {
    for (const dtype of availableDtypes(entry)) {
      const files = requiredFiles(entry, dtype);
      const weights = files.find((f) => f.role === 'weights');
      if (weights && urls.has(urlInFolder(baseUrl, weights.path))) {
        for (const f of files) urls.add(urlInFolder(baseUrl, f.path));
      }
    }
  }
  return [...urls].sort();
}

/** `url`'s path inside the folder at `baseUrl` (still URL-encoded), or null when outside it. */
export function pathInFolder(baseUrl: string, url: string): string | null {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return url.startsWith(base) && url.length > base.length ? url.slice(base.length) : null;
}
