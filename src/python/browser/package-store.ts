import { AppError } from '../../shared/errors.ts';

/**
 * Package wheels for the sandbox, fetched by the app (the sandbox has no network) and kept in
 * Cache Storage so numpy and friends work offline once loaded. Only files that the lock file
 * lists under the configured base URL are served: the sandbox cannot make the app fetch
 * anything else.
 */
export class PackageStore {
  constructor(
    private readonly baseUrl: string,
    private readonly fileNames: ReadonlySet<string>,
    private readonly cacheName = 'python-packages-v1',
  ) {}

  static fromLockFile(baseUrl: string, lockFile: ArrayBuffer): PackageStore {
    const lock = JSON.parse(new TextDecoder().decode(lockFile)) as {
      packages?: Record<string, { file_name?: unknown }>;
    };
    const names = Object.values(lock.packages ?? {})
      .map((p) => p.file_name)
      .filter((name): name is string => typeof name === 'string');
    return new PackageStore(baseUrl, new Set(names));
  }

  allows(url: string): boolean {
    return url.startsWith(this.baseUrl) && this.fileNames.has(url.slice(this.baseUrl.length));
  }

  async get(url: string): Promise<ArrayBuffer> {
    if (!this.allows(url))
      throw new AppError('bad-input', `Not a package file of the index: ${url}`);
    const cache = typeof caches === 'undefined' ? null : await caches.open(this.cacheName);
    const cached = await cache?.match(url);
    if (cached) return cached.arrayBuffer();
    const response = await fetch(url);
    if (!response.ok) throw new AppError('download', `${url}: HTTP ${response.status}`);
    await cache?.put(url, response.clone());
    return response.arrayBuffer();
  }
}
