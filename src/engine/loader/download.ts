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
      if (!response.ok) throw httpError(url, response);
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
      const offline = !(options.isOnline ?? browserOnline)();
      if (offline || attempt >= retries) throw networkError(url, error, offline, attempt + 1);
      await delay(250 * 2 ** attempt, options.signal);
    }
  }
}

/**
 * What an HTTP error answer means for the user. 404: the repository, revision or file does not
 * exist. 401/403: the hub refuses; it answers 401 for a repository that does not exist as well
 * as for a private or gated one (so as not to reveal which), and says which in X-Error-Code.
 * Anything else: the server's trouble, worth a retry later.
 */
export function httpError(url: string, response: Response): AppError {
  const { status } = response;
  const hubCode = response.headers.get('X-Error-Code');
  if (status === 404) {
    return new AppError('not-found', `Not found (404): ${url}`, {
      hint:
        hubCode === 'RepoNotFound'
          ? 'There is no such repository: check the repository id (owner/name).'
          : hubCode === 'RevisionNotFound'
            ? 'The repository has no such revision (branch, tag or commit).'
            : 'Check the model id, revision and dtype: this file does not exist there.',
    });
  }
  if (status === 401 || status === 403) {
    const what =
      hubCode === 'RepoNotFound'
        ? 'the repository does not exist, or it is private'
        : hubCode === 'GatedRepo'
          ? 'the repository is gated: its owner must grant access'
          : 'the repository does not exist, or it is private or gated';
    return new AppError('no-access', `Access refused (${status}) to ${url}: ${what}.`, {
      hint: 'Check the repository id. Private and gated repositories need a sign-in this app does not do: use a public copy, or download the files and load the folder from disk.',
    });
  }
  return new AppError(
    'download',
    `The server answered ${status} ${response.statusText} for ${url}`,
    {
      hint: 'The server has a problem: try again later.',
    },
  );
}

/** A request that got no answer at all: offline, DNS, a refused or dropped connection, CORS. */
function networkError(url: string, cause: unknown, offline: boolean, attempts: number): AppError {
  if (offline) {
    return new AppError('network', `You are offline, and ${url} is not stored on this device.`, {
      cause,
      hint: 'Without a network only what was made available offline works: pick a model marked Offline-ready, or connect and try again.',
    });
  }
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new AppError(
    'network',
    `Could not reach ${new URL(url).host}: downloading ${url} failed after ${attempts} attempts (${detail}).`,
    {
      cause,
      hint: 'Check the network connection (and a mirror named by ?hub= or ?packages=, if the address has one) and retry: the bytes already stored are kept.',
    },
  );
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
