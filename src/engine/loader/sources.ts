import { AppError } from '../../shared/errors.ts';
import { download } from './download.ts';
import type { FileCache } from './file-cache.ts';

export interface ReadOptions {
  signal?: AbortSignal;
  onProgress?: (loaded: number, total: number | null) => void;
}

export interface ReadResult {
  bytes: Uint8Array;
  fromCache: boolean;
}

/** Where a model's files come from: the hub, a same-origin path, or a folder the user picked. */
export interface FileSource {
  readonly label: string;
  read(path: string, options?: ReadOptions): Promise<ReadResult>;
  /** How a message names one of its files, e.g. "Xenova/codegen-350M-mono/config.json". */
  describe(path: string): string;
}

/**
 * A short name for a file URL: a hub URL `{hub}/{owner}/{name}/resolve/{revision}/{path}`
 * (the hub may sit under a path, as a test hub does) becomes "owner/name/path", with
 * "@revision" unless it is main; any other URL its path.
 */
export function describeUrl(url: string): string {
  const { pathname } = new URL(url, 'http://localhost/');
  const hub = /\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(pathname);
  if (!hub) return decodeURIComponent(pathname);
  const [, repo = '', revision = '', path = ''] = hub;
  const rev = decodeURIComponent(revision);
  return `${repo}${rev === 'main' ? '' : `@${rev}`}/${decodeURIComponent(path)}`;
}

/** The URL of `path` inside the folder at `baseUrl`; it is also the file's cache key. */
export function urlInFolder(baseUrl: string, path: string): string {
  return new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).href;
}

/**
 * Files behind URLs (the Hugging Face hub or a same-origin folder), read through the cache
 * when there is one: the second load makes no request. `onCacheWriteFailed` may rethrow to
 * fail the read (a prefetch must, a load must not).
 */
export class HttpSource implements FileSource {
  constructor(
    readonly label: string,
    private readonly urlFor: (path: string) => string,
    private readonly cache: FileCache | null,
    private readonly onCacheWriteFailed: (error: unknown) => void = () => {},
  ) {}

  describe(path: string): string {
    return describeUrl(this.urlFor(path));
  }

  async read(path: string, options: ReadOptions = {}): Promise<ReadResult> {
    const url = this.urlFor(path);
    const cached = await this.cache?.get(url);
    // No progress for a cached file: it is not downloaded, and counting it as received
    // bytes would make the download speed jump.
    if (cached) return { bytes: cached, fromCache: true };
    const bytes = await download(url, options);
    if (this.cache) {
      // A full quota must not cost the user the download they just made: use the bytes now,
      // and report that they could not be kept.
      await this.cache.put(url, bytes).catch(this.onCacheWriteFailed);
    }
    return { bytes, fromCache: false };
  }
}

/** Files from a local folder (directory picker or drag and drop), keyed by relative path. */
export class BlobSource implements FileSource {
  constructor(
    readonly label: string,
    private readonly files: ReadonlyMap<string, Blob>,
  ) {}

  describe(path: string): string {
    return `${this.label}/${path}`;
  }

  async read(path: string, options: ReadOptions = {}): Promise<ReadResult> {
    const blob = this.files.get(path);
    if (!blob) {
      throw new AppError('not-found', `The folder "${this.label}" has no ${path}.`, {
        hint: 'Pick the model folder itself: the one holding config.json, tokenizer.json and onnx/.',
      });
    }
    const bytes = new Uint8Array(await blob.arrayBuffer());
    options.onProgress?.(bytes.byteLength, bytes.byteLength);
    return { bytes, fromCache: false };
  }
}
