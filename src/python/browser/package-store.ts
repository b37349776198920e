import { download } from '../../engine/loader/download.ts';
import type { DownloadOptions } from '../../engine/loader/download.ts';
import { CacheStorageFileCache, sha256Hex } from '../../engine/loader/file-cache.ts';
import type { FileCache } from '../../engine/loader/file-cache.ts';
import { PACKAGE_CACHE } from '../../shared/cache-names.ts';
import { AppError, isAppError } from '../../shared/errors.ts';
import { parseLockFile } from './package-lock.ts';
import type { PyodideLock } from './package-lock.ts';

/** The app's store of wheels (Cache Storage), or null where the page has no Cache Storage. */
export function packageCache(): FileCache | null {
  if (typeof caches === 'undefined') return null;
  return new CacheStorageFileCache(
    caches,
    (url, why) =>
      console.warn(`Stored Python package ${url} was damaged (${why}); fetching it again.`),
    PACKAGE_CACHE,
  );
}

/**
 * Package wheels for the sandbox, fetched by the app (the sandbox has no network) and kept in
 * Cache Storage so numpy and friends work offline once loaded. Only files that the lock file
 * lists under the configured base URL are served (the sandbox cannot make the app fetch
 * anything else), and a download is stored only when its SHA-256 is the lock file's.
 */
export class PackageStore {
  constructor(
    private readonly baseUrl: string,
    /** file name → hex SHA-256 from the lock file ('' when it gives none) */
    private readonly files: ReadonlyMap<string, string>,
    private readonly cache: FileCache | null = packageCache(),
  ) {}

  static fromLockFile(
    baseUrl: string,
    lockFile: ArrayBuffer | PyodideLock,
    cache: FileCache | null = packageCache(),
  ): PackageStore {
    const lock = lockFile instanceof ArrayBuffer ? parseLockFile(lockFile) : lockFile;
    const files = new Map(
      Object.values(lock.packages)
        .filter((p) => p.file_name !== '')
        .map((p) => [p.file_name, p.sha256]),
    );
    return new PackageStore(baseUrl, files, cache);
  }

  urlOf(fileName: string): string {
    return this.baseUrl + fileName;
  }

  allows(url: string): boolean {
    return url.startsWith(this.baseUrl) && this.files.has(url.slice(this.baseUrl.length));
  }

  /**
   * For the sandbox: the stored copy, else a checked download, stored on the way. A full
   * quota does not cost the running program its package: it gets the bytes all the same.
   */
  async get(url: string): Promise<ArrayBuffer> {
    this.checked(url);
    const cached = await this.cache?.get(url);
    if (cached) return ownBuffer(cached);
    // No retries: offline, a program waits for its verdict ('unavailable'), not for backoff.
    const bytes = await this.download(url, { retries: 0 });
    await this.cache?.put(url, bytes).catch((error: unknown) => {
      console.warn(`Python package ${url} could not be stored:`, error);
    });
    return ownBuffer(bytes);
  }

  /**
   * For offline use: downloads one file, checks it and stores it; the byte count it stored.
   * A full quota is an error here (AppError 'storage-quota').
   */
  async store(
    url: string,
    options: Pick<DownloadOptions, 'signal' | 'onProgress'> = {},
  ): Promise<number> {
    if (!this.cache) {
      throw new AppError('storage-quota', 'This page has no Cache Storage to keep packages in.', {
        hint: 'Open the app over https:// (or from localhost): browsers offer storage only there.',
      });
    }
    const bytes = await this.download(url, options);
    await this.cache.put(url, bytes);
    return bytes.byteLength;
  }

  /** The URLs of this index's files that the cache holds. */
  async stored(): Promise<Set<string>> {
    const entries = (await this.cache?.list()) ?? [];
    return new Set(entries.map((e) => e.url).filter((url) => this.allows(url)));
  }

  private async download(url: string, options: DownloadOptions = {}): Promise<Uint8Array> {
    const fileName = this.checked(url).slice(this.baseUrl.length);
    let bytes: Uint8Array;
    try {
      bytes = await download(url, options);
    } catch (error) {
      if (!isAppError(error, 'not-found')) throw error;
      throw new AppError('not-found', error.message, {
        hint: 'The package index does not have this file; check ?packages= in the address.',
      });
    }
    const expected = this.files.get(fileName) ?? '';
    const actual = expected === '' ? '' : await sha256Hex(bytes);
    if (actual !== expected) {
      throw new AppError(
        'download',
        `${fileName} is not the file the lock file names (SHA-256 ${actual}, expected ${expected}); it was not stored.`,
        { hint: 'The download was damaged or the index changed. Try again.' },
      );
    }
    return bytes;
  }

  private checked(url: string): string {
    if (!this.allows(url))
      throw new AppError('bad-input', `Not a package file of the index: ${url}`);
    return url;
  }
}

/**
 * The lock file at `url`: the copy the last successful load kept, else the network. A lock
 * file belongs to one Pyodide version and names every wheel by hash, so a stored copy does not
 * go stale; reading it first also keeps an index named by ?packages= (another origin, which the
 * service worker does not keep) working offline, including on a network that is up in name only
 * (navigator.onLine says true, requests hang or fail).
 */
export async function loadLockFile(
  url: string,
  cache: FileCache | null = packageCache(),
): Promise<ArrayBuffer> {
  const kept = await cache?.get(url);
  if (kept) return ownBuffer(kept);
  let failure: string;
  try {
    const response = await fetch(url, { mode: 'cors', credentials: 'omit' });
    if (response.ok) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      await cache?.put(url, bytes).catch(() => {}); // the offline copy is a convenience
      return ownBuffer(bytes);
    }
    failure = `HTTP ${response.status}`;
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  throw new AppError('download', `Could not load the Python package list ${url}: ${failure}`, {
    hint: 'Check the network connection, or the ?packages= address.',
  });
}

/** An ArrayBuffer holding exactly these bytes (transferable to the sandbox). */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer } = bytes;
  return buffer instanceof ArrayBuffer &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === buffer.byteLength
    ? buffer
    : bytes.slice().buffer;
}
