/**
 * Cache Storage in memory for unit tests under Node, which has none: exact URL keys, stored
 * headers, and an optional quota that rejects a put as Chromium does (QuotaExceededError).
 * The browser's own Cache Storage is exercised by the end-to-end tests.
 */
export class MemoryCacheStorage implements CacheStorage {
  private readonly caches = new Map<string, MemoryCache>();

  constructor(readonly quotaBytes = Infinity) {}

  /** Bytes stored across every cache. */
  used(): number {
    let n = 0;
    for (const cache of this.caches.values()) n += cache.bytes();
    return n;
  }

  /** Replaces a stored body and keeps its headers: a damaged copy. */
  tamper(cacheName: string, url: string, body: Uint8Array): void {
    const cache = this.caches.get(cacheName);
    if (!cache) throw new Error(`no cache named ${cacheName}`);
    cache.tamper(url, body);
  }

  open(name: string): Promise<Cache> {
    const cache = this.caches.get(name) ?? new MemoryCache(this);
    this.caches.set(name, cache);
    return Promise.resolve(cache);
  }

  has(name: string): Promise<boolean> {
    return Promise.resolve(this.caches.has(name));
  }

  delete(name: string): Promise<boolean> {
    return Promise.resolve(this.caches.delete(name));
  }

  keys(): Promise<string[]> {
    return Promise.resolve([...this.caches.keys()]);
  }

  async match(request: RequestInfo | URL): Promise<Response | undefined> {
    for (const cache of this.caches.values()) {
      const found = await cache.match(request);
      if (found) return found;
    }
    return undefined;
  }
}

interface Stored {
  body: Uint8Array;
  headers: [string, string][];
}

const keyOf = (request: RequestInfo | URL): string =>
  typeof request === 'string' ? request : request instanceof URL ? request.href : request.url;

export class MemoryCache implements Cache {
  private readonly entries = new Map<string, Stored>();

  constructor(private readonly storage: MemoryCacheStorage) {}

  bytes(): number {
    let n = 0;
    for (const entry of this.entries.values()) n += entry.body.byteLength;
    return n;
  }

  tamper(url: string, body: Uint8Array): void {
    const entry = this.entries.get(url);
    if (!entry) throw new Error(`nothing stored at ${url}`);
    this.entries.set(url, { ...entry, body });
  }

  match(request: RequestInfo | URL): Promise<Response | undefined> {
    const entry = this.entries.get(keyOf(request));
    return Promise.resolve(entry && new Response(entry.body.slice(), { headers: entry.headers }));
  }

  async matchAll(request?: RequestInfo | URL): Promise<readonly Response[]> {
    const urls = request === undefined ? [...this.entries.keys()] : [keyOf(request)];
    const found = await Promise.all(urls.map((url) => this.match(url)));
    return found.filter((response) => response !== undefined);
  }

  async put(request: RequestInfo | URL, response: Response): Promise<void> {
    const url = keyOf(request);
    const body = new Uint8Array(await response.arrayBuffer());
    const replaced = this.entries.get(url)?.body.byteLength ?? 0;
    if (this.storage.used() - replaced + body.byteLength > this.storage.quotaBytes) {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    this.entries.set(url, { body, headers: [...response.headers] });
  }

  delete(request: RequestInfo | URL): Promise<boolean> {
    return Promise.resolve(this.entries.delete(keyOf(request)));
  }

  keys(): Promise<readonly Request[]> {
    return Promise.resolve([...this.entries.keys()].map((url) => new Request(url)));
  }

  add(): Promise<void> {
    return Promise.reject(new Error('MemoryCache does not fetch: use put'));
  }

  addAll(): Promise<void> {
    return Promise.reject(new Error('MemoryCache does not fetch: use put'));
  }
}
