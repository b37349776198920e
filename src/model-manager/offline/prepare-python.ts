import type { PackagesReadiness } from '../../offline/package-readiness.ts';

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

/** The Python stage of "Make available offline", supplied by the app. */
export interface PreparePython {
  /**
   * Stores every package not stored yet; resolves when all are, rejects with an AbortError or
   * AbortedError when `signal` aborts, and otherwise naming each file that could not be stored.
   */
  prepare: (options: {
    signal: AbortSignal;
    onProgress: (progress: PythonPrepareProgress) => void;
  }) => Promise<{ files: number; bytes: number }>;
  /** What is stored now: a model is offline-ready for the benchmark only with all of it. */
  readiness: () => Promise<PackagesReadiness>;
}
