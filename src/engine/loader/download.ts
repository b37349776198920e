import { AbortedError, AppError } from '../../shared/errors.ts';

export interface DownloadOptions {
  signal?: AbortSignal;
  /** Bytes received so far and the full size when the server says it. */
  onProgress?: (loaded: number, total: number | null) => void;
  /** How many times a broken transfer is resumed (HTTP Range) before giving up. */
  retries?: number;
  fetch?: typeof fetch;
  /** Whether the browser believes it has a network (navigator.onLine where there is one). */
  isOnline?: () => boolean;
}

const browserOnline = (): boolean =>
  typeof navigator === 'undefined' || (navigator as { onLine?: boolean }).onLine !== false;

/**
 * Streams one file. A transfer that breaks off is resumed from the last byte received
 * with a Range request (a server that ignores Range restarts it from zero); 404 and other
 * HTTP errors are reported as such, never as a corrupt model. Cross-origin requests use
 * CORS mode, which COEP require-corp allows.
 */
export async function download(url: string, options: DownloadOptions = {}): Promise<Uint8Array> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const retries = options.retries ?? 3;
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  let total: number | null = null;
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) throw new AbortedError('The download was cancelled.');
    try {
      const headers: Record<string, string> = loaded > 0 ? { Range: `bytes=${loaded}-` } : {};
      const response = await doFetch(url, {
        signal: options.signal ?? null,
        headers,
        mode: 'cors',
        credentials: 'omit',
      });
      if (response.status === 404) {
        throw new AppError('not-found', `Not found (404): ${url}`, {
          hint: 'Check the model id, revision and dtype: this file does not exist there.',
        });
      }
      if (!response.ok) {
        throw new AppError(
          'download',
          `The server answered ${response.status} ${response.statusText} for ${url}`,
          {
            hint:
              response.status === 401 || response.status === 403
                ? 'The repository may be private or gated.'
                : 'Try again later.',
          },
        );
      }
      if (loaded > 0 && response.status !== 206) {
        chunks.length = 0; // the server ignored Range: start over
        loaded = 0;
      }
      total ??= totalSize(response, loaded);
      if (!response.body) throw new AppError('download', `The response for ${url} has no body.`);
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.byteLength;
        options.onProgress?.(loaded, total);
      }
      if (total !== null && loaded !== total) {
        throw new TypeError(`connection closed after ${loaded} of ${total} bytes`);
      }
      return concat(chunks, loaded);
    } catch (error) {
      if (options.signal?.aborted) throw new AbortedError('The download was cancelled.');
      if (error instanceof AppError) throw error;
      // Known offline: retrying cannot help, and the user needs to hear why.
      if (!(options.isOnline ?? browserOnline)()) {
        throw new AppError(
          'download',
          `You are offline, and ${url} is not stored on this device.`,
          {
            cause: error,
            hint: 'Without a network only what was made available offline works: pick a model marked Offline-ready, or connect and try again.',
          },
        );
      }
      if (attempt >= retries) {
        throw new AppError(
          'download',
          `Downloading ${url} failed after ${attempt + 1} attempts: ${error instanceof Error ? error.message : String(error)}`,
          {
            cause: error,
            hint: 'Check the network connection and retry: the bytes already stored are kept.',
          },
        );
      }
      await delay(250 * 2 ** attempt, options.signal);
    }
  }
}

function totalSize(response: Response, alreadyLoaded: number): number | null {
  const range = response.headers.get('Content-Range'); // bytes 100-199/200
  const whole = range ? /\/(\d+)$/.exec(range)?.[1] : undefined;
  if (whole) return Number(whole);
  const length = response.headers.get('Content-Length');
  // Content-Length of a compressed response is not the file size; only trust it uncompressed.
  if (length && !response.headers.get('Content-Encoding')) return Number(length) + alreadyLoaded;
  return null;
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]?.byteLength === size) return chunks[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
