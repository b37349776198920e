/** Progress of fetching the Python packages the benchmark needs into their cache. */
export interface PythonPrepareProgress {
  /** Packages stored so far, of `total`. */
  done: number;
  total: number;
  /** Bytes fetched so far. */
  bytes: number;
  /** The package file being fetched. */
  file: string;
}

/**
 * The Python stage of "Make available offline", supplied by the app: resolves when every
 * package is cached, rejects with an AbortError or AbortedError when `signal` aborts.
 */
export type PreparePython = (options: {
  signal: AbortSignal;
  onProgress: (progress: PythonPrepareProgress) => void;
}) => Promise<{ files: number; bytes: number }>;
