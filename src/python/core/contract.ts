import type { Contract } from '../../shared/rpc/index.ts';
import type { CaseOutcome } from './outcome.ts';
import type { GoldType } from './pyvalue.ts';

/** The Python worker's contract: boot Pyodide once, then run programs one at a time. */
export interface BootRequest {
  kind: 'boot';
  /** Absolute URL (or, under Node, directory path ending in /) of the Pyodide core files. */
  indexURL: string;
  /** Where package wheels are fetched from; defaults to the official index of this version. */
  packageBaseUrl?: string;
  /** A lock file other than the core one (tests serve their own small wheel this way). */
  lockFileURL?: string;
  /**
   * Under Node only: where downloaded wheels are kept. Pyodide's default is the package base,
   * which for an http URL becomes a relative folder named "http:" in the working directory.
   */
  packageCacheDir?: string;
  /** Shared with the host when the page is cross-origin isolated, to deliver Stop at once. */
  interruptBuffer?: Int32Array;
  /** The wasm heap size at which a running program gets a MemoryError. */
  memoryLimitBytes: number;
  /**
   * Tests only: let `import js` reach the worker's real global scope, to prove that the sandbox
   * (not the empty `js` module) is what keeps programs from storage and network.
   */
  exposeWorkerGlobals?: boolean;
}

export interface RunRequest {
  kind: 'run';
  /** The whole assembled program, prefix included. */
  program: string;
  /** The gold output's Python type, or null for a plain run (no verdict). */
  expected: GoldType | null;
  timeLimitMs: number;
  /** How long after the time limit a program that swallowed it gets the harder signal. */
  hardStopMs: number;
  /** Packages the host already knows it cannot provide; not tried again. */
  unavailable: string[];
}

export interface BootInfo {
  pyodideVersion: string;
  pythonVersion: string;
  bootMs: number;
  heapBytes: number;
}

export type PythonEvent =
  | { type: 'phase'; phase: 'loading-packages'; packages: string[] }
  | { type: 'phase'; phase: 'running' };

export interface PythonContract extends Contract {
  request: BootRequest | RunRequest;
  results: { boot: BootInfo; run: CaseOutcome };
  event: PythonEvent;
}
