import type { CacheCheck } from '../../shared/contracts/model-worker.ts';
import { AppError } from '../../shared/errors.ts';

/** Stored model files, checked on every read: a truncated or corrupted entry is never used. */
export interface FileCache {
  get(url: string): Promise<Uint8Array | null>;
  put(url: string, bytes: Uint8Array): Promise<void>;
  delete(url: string): Promise<boolean>;
  /** Every stored URL with its size. */
  list(): Promise<Array<{ url: string; bytes: number }>>;
  /** Reads and checks one entry; a corrupt one is deleted, so the next read fetches it again. */
  verify(url: string): Promise<CacheCheck>;
}

export type { CacheCheck };

const SIZE = 'X-Content-Size';
const HASH = 'X-Content-SHA256';

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Cache Storage, shared with the service worker so a model file is stored once. Each entry
 * carries its size and SHA-256 as headers; a mismatch on read deletes the entry and reports
 * it, and the loader downloads the file again.
 */
export class CacheStorageFileCache implements FileCache {
  constructor(
    private readonly storage: CacheStorage,
    private readonly onCorrupt: (url: string, why: string) => void = () => {},
    readonly name = 'codegen-models-v1',
  ) {}

  async get(url: string): Promise<Uint8Array | null> {
    const entry = await this.read(url);
    if ('reason' in entry) this.onCorrupt(url, entry.reason);
    return 'bytes' in entry ? entry.bytes : null;
  }

  async verify(url: string): Promise<CacheCheck> {
    const entry = await this.read(url);
    if ('bytes' in entry) return { status: 'ok', bytes: entry.bytes.byteLength };
    return 'reason' in entry ? { status: 'corrupt', reason: entry.reason } : { status: 'missing' };
  }

  /** The entry's bytes when size and SHA-256 match its headers; otherwise it is deleted. */
  private async read(
    url: string,
  ): Promise<{ bytes: Uint8Array } | { reason: string } | { missing: true }> {
    const cache = await this.storage.open(this.name);
    const response = await cache.match(url);
    if (!response) return { missing: true };
    const bytes = new Uint8Array(await response.arrayBuffer());
    const size = Number(response.headers.get(SIZE));
    const reason =
      bytes.byteLength !== size
        ? `stored ${bytes.byteLength} bytes, expected ${size}`
        : (await sha256Hex(bytes)) !== response.headers.get(HASH)
          ? 'its SHA-256 does not match what was stored'
          : null;
    if (reason === null) return { bytes };
    await cache.delete(url);
    return { reason };
  }

  async put(url: string, bytes: Uint8Array): Promise<void> {
    const cache = await this.storage.open(this.name);
    const headers = {
      'Content-Type': 'application/octet-stream',
      [SIZE]: String(bytes.byteLength),
      [HASH]: await sha256Hex(bytes),
    };
    try {
      await cache.put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers }));
    } catch (error) {
      if (error instanceof DOMException && error.name === 'QuotaExceededError') {
        throw new AppError(
          'storage-quota',
          `No room to store ${url.split('/').pop() ?? url} (${bytes.byteLength} bytes): the browser's storage quota is full.`,
          {
            cause: error,
            hint: 'Delete cached models you no longer need in the model manager, or allow the site more storage.',
          },
        );
      }
      throw error;
    }
  }

  async delete(url: string): Promise<boolean> {
    return (await this.storage.open(this.name)).delete(url);
  }

  async list(): Promise<Array<{ url: string; bytes: number }>> {
    const cache = await this.storage.open(this.name);
    const out: Array<{ url: string; bytes: number }> = [];
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      out.push({ url: request.url, bytes: Number(response?.headers.get(SIZE) ?? 0) });
    }
    return out;
  }
}
