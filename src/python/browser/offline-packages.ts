import type { FileCache } from '../../engine/loader/file-cache.ts';
import { AbortedError, AppError, isAppError } from '../../shared/errors.ts';
import { BENCHMARK_PACKAGES, benchmarkPackageFiles, parseLockFile } from './package-lock.ts';
import type { PackageFile, PyodideLock } from './package-lock.ts';
import { packageIndex } from './package-index.ts';
import type { PackageIndex } from './package-index.ts';
import { loadLockFile, packageCache, PackageStore } from './package-store.ts';

/**
 * The MTPB benchmark offline: the wheels its programs import (numpy, pandas, scikit-learn and
 * all they depend on), fetched ahead into the very store the sandbox reads (PackageStore,
 * Cache Storage 'python-packages-v1'), so each wheel is kept once.
 */
export interface PrefetchProgress {
  /** Files stored so far, those already there included. */
  done: number;
  total: number;
  /** Bytes downloaded by this prefetch so far (files already stored count nothing). */
  bytes: number;
  /** The file being fetched, or the one just counted. */
  file: string;
}

export interface PythonPackagesStatus {
  /** Wheel file names the benchmark needs, sorted by package. */
  needed: string[];
  cached: string[];
  missing: string[];
  /**
   * Each package the benchmark imports (numpy, pandas, scikit-learn) with the wheels of it and
   * its dependencies that are not stored: with any missing, importing it fails offline.
   */
  packages: Array<{ name: string; missing: string[] }>;
}

/** Where packages come from and go: the page's index and Cache Storage, unless a test says. */
export interface PackageSite {
  index: PackageIndex;
  cache: FileCache | null;
}

export const pageSite = (): PackageSite => ({ index: packageIndex(), cache: packageCache() });

/**
 * Fetches what the benchmark needs and is not stored yet; every wheel is checked against the
 * lock file's SHA-256 before it is kept. A wheel that cannot be had (not at the index, damaged,
 * a dropped network) does not stop the others: each one stored is one less problem left
 * unavailable, and the error at the end names every file that failed. Rejects with AppError
 * 'storage-quota' at once when the browser has no room, 'aborted' when `signal` fires (files
 * already stored stay stored).
 */
export async function prefetchPythonPackages(
  opts: { signal: AbortSignal; onProgress: (p: PrefetchProgress) => void },
  site: PackageSite = pageSite(),
): Promise<{ files: number; bytes: number }> {
  const { store, needed } = await openPackageSite(site);
  const stored = await store.stored();
  const total = needed.length;
  const failures: AppError[] = [];
  let done = 0;
  let files = 0;
  let bytes = 0;
  for (const { fileName } of needed) {
    if (opts.signal.aborted) throw new AbortedError('Fetching the Python packages was cancelled.');
    const url = store.urlOf(fileName);
    if (!stored.has(url)) {
      const before = bytes;
      try {
        bytes += await store.store(url, {
          signal: opts.signal,
          onProgress: (loaded) =>
            opts.onProgress({ done, total, bytes: before + loaded, file: fileName }),
        });
        files++;
      } catch (error) {
        if (opts.signal.aborted)
          throw new AbortedError('Fetching the Python packages was cancelled.');
        if (isAppError(error, 'storage-quota') || isAppError(error, 'aborted')) throw error;
        failures.push(isAppError(error) ? error : new AppError('download', String(error)));
      }
    }
    done++;
    opts.onProgress({ done, total, bytes, file: fileName });
  }
  const [first] = failures;
  if (first) {
    throw new AppError(
      first.code,
      `${failures.length} of ${total} Python package files could not be stored: ${failures
        .map((f) => f.message)
        .join('; ')}`,
      { hint: first.hint, cause: first },
    );
  }
  return { files, bytes };
}

/** Which of the benchmark's wheels are stored, for the offline status display. */
export async function pythonPackagesStatus(
  site: PackageSite = pageSite(),
): Promise<PythonPackagesStatus> {
  const { store, needed, lock } = await openPackageSite(site);
  const stored = await store.stored();
  const names = needed.map((f) => f.fileName);
  return {
    needed: names,
    cached: names.filter((name) => stored.has(store.urlOf(name))),
    missing: names.filter((name) => !stored.has(store.urlOf(name))),
    packages: missingPerPackage(lock, (name) => stored.has(store.urlOf(name))),
  };
}

/** Each benchmark package with the files of its closure that `has` does not have. */
export function missingPerPackage(
  lock: PyodideLock,
  has: (fileName: string) => boolean,
): PythonPackagesStatus['packages'] {
  return BENCHMARK_PACKAGES.map((name) => ({
    name,
    missing: benchmarkPackageFiles(lock, [name])
      .map((f) => f.fileName)
      .filter((fileName) => !has(fileName)),
  }));
}

/** The index's lock file (the stored copy first), its store, and the wheels the benchmark needs. */
export async function openPackageSite(
  site: PackageSite,
): Promise<{ store: PackageStore; needed: PackageFile[]; lock: PyodideLock }> {
  const lock = parseLockFile(await loadLockFile(site.index.lockFileURL, site.cache));
  const store = PackageStore.fromLockFile(site.index.packageBaseUrl, lock, site.cache);
  return { store, needed: benchmarkPackageFiles(lock), lock };
}
