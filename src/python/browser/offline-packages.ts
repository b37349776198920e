import type { FileCache } from '../../engine/loader/file-cache.ts';
import { AbortedError } from '../../shared/errors.ts';
import { benchmarkPackageFiles, parseLockFile } from './package-lock.ts';
import type { PackageFile } from './package-lock.ts';
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
}

/** Where packages come from and go: the page's index and Cache Storage, unless a test says. */
export interface PackageSite {
  index: PackageIndex;
  cache: FileCache | null;
}

const pageSite = (): PackageSite => ({ index: packageIndex(), cache: packageCache() });

/**
 * Fetches what the benchmark needs and is not stored yet; every wheel is checked against the
 * lock file's SHA-256 before it is kept. Rejects with AppError 'storage-quota' when the
 * browser has no room, 'aborted' when `signal` fires (files already stored stay stored).
 */
export async function prefetchPythonPackages(
  opts: { signal: AbortSignal; onProgress: (p: PrefetchProgress) => void },
  site: PackageSite = pageSite(),
): Promise<{ files: number; bytes: number }> {
  const { store, needed } = await open(site);
  const stored = await store.stored();
  const total = needed.length;
  let done = 0;
  let files = 0;
  let bytes = 0;
  for (const { fileName } of needed) {
    if (opts.signal.aborted) throw new AbortedError('Fetching the Python packages was cancelled.');
    const url = store.urlOf(fileName);
    if (!stored.has(url)) {
      const before = bytes;
      bytes += await store.store(url, {
        signal: opts.signal,
        onProgress: (loaded) =>
          opts.onProgress({ done, total, bytes: before + loaded, file: fileName }),
      });
      files++;
    }
    done++;
    opts.onProgress({ done, total, bytes, file: fileName });
  }
  return { files, bytes };
}

/** Which of the benchmark's wheels are stored, for the offline status display. */
export async function pythonPackagesStatus(
  site: PackageSite = pageSite(),
): Promise<PythonPackagesStatus> {
  const { store, needed } = await open(site);
  const stored = await store.stored();
  const names = needed.map((f) => f.fileName);
  return {
    needed: names,
    cached: names.filter((name) => stored.has(store.urlOf(name))),
    missing: names.filter((name) => !stored.has(store.urlOf(name))),
  };
}

async function open(site: PackageSite): Promise<{ store: PackageStore; needed: PackageFile[] }> {
  const lock = parseLockFile(await loadLockFile(site.index.lockFileURL, site.cache));
  const store = PackageStore.fromLockFile(site.index.packageBaseUrl, lock, site.cache);
  return { store, needed: benchmarkPackageFiles(lock) };
}
