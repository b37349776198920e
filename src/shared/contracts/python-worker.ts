import type { Contract } from '../rpc/contract.ts';
import type { CaseOutcome } from '../../python/core/outcome.ts';
import type { GoldType } from '../../python/core/pyvalue.ts';
import type { Harness } from '../../python/core/verdict.ts';

/**
 * The Python sandbox's worker boundaries, all typed RPC (src/shared/rpc/):
 *
 * - `PythonWorkerContract`, app → interpreter worker: boot Pyodide once, then run programs one
 *   at a time (browser and Node).
 * - `PythonFilesContract`, interpreter worker → app: the package files the worker may read
 *   (browser only: the worker has no network; the app serves only what the lock file lists).
 * - `PythonFrameContract`, app → sandbox frame: Stop, and the news that the worker died
 *   (browser only: the frame owns the worker and the shared interrupt buffer).
 *
 * Plus the two one-shot hand-overs that set the channels up (`FrameStart`, `WorkerStart`).
 */

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

/** One program: an MTPB test case (with the gold's type) or a plain playground program. */
export interface RunProgramRequest {
  kind: 'run';
  /** The whole assembled program, prefix included. */
  program: string;
  /** The gold output's Python type, or null for a plain run (no verdict). */
  expected: GoldType | null;
  /** Whose execution semantics (default 'mtpb'; 'humaneval' runs the program as given). */
  harness?: Harness;
  timeLimitMs: number;
  /** How long after the time limit a program that swallowed it gets the harder signal. */
  hardStopMs: number;
  /** Packages the host already knows it cannot provide; not tried again. */
  unavailable: string[];
  /**
   * Stream what the program prints as `output` events while it runs (the playground's
   * console). Off for the benchmark, which reads the outcome's stdout and pays nothing.
   */
  stream?: boolean;
}

export interface BootInfo {
  pyodideVersion: string;
  pythonVersion: string;
  bootMs: number;
  heapBytes: number;
}

/**
 * Text a program printed since the previous `output` event of its run (`stream: true` only),
 * batched: at most one event per interval, and no more than the stream's cap per run.
 */
export interface OutputEvent {
  kind: 'output';
  stdout: string;
  stderr: string;
  /** Characters printed beyond the cap so far in this run (a running total, not streamed). */
  droppedChars: number;
}

/** What a run streams before its outcome. */
export type SandboxEvent =
  | { kind: 'phase'; phase: 'loading-packages'; packages: string[] }
  | { kind: 'phase'; phase: 'running' }
  | OutputEvent;

export interface PythonWorkerContract extends Contract {
  request: BootRequest | RunProgramRequest;
  results: { boot: BootInfo; run: CaseOutcome };
  event: SandboxEvent;
}

/** A package file by absolute URL; the app answers with its bytes, checked against the lock file. */
export interface FileRequest {
  kind: 'file';
  url: string;
}

export interface PythonFilesContract extends Contract {
  request: FileRequest;
  results: { file: ArrayBuffer };
  event: never;
}

/** Raise a signal (watchdog.ts SIGNALS) in the running program; false where the frame cannot. */
export interface InterruptRequest {
  kind: 'interrupt';
  signal: number;
}

/** Answered only when the worker dies on its own (a crash, an out-of-memory abort). */
export interface WorkerExitRequest {
  kind: 'exit';
}

export interface PythonFrameContract extends Contract {
  request: InterruptRequest | WorkerExitRequest;
  results: { interrupt: boolean; exit: { reason: string } };
  event: never;
}

/** App → sandbox frame (window.postMessage), once: the worker script, the core and the channels. */
export interface FrameStart {
  kind: 'python-sandbox-start';
  workerSource: string;
  /** Pyodide core files by absolute URL, lock file included. */
  core: Record<string, ArrayBuffer>;
  /** PythonWorkerContract, the app's end stays with the app. */
  rpc: MessagePort;
  /** PythonFilesContract. */
  files: MessagePort;
  /** PythonFrameContract, served by the frame itself. */
  control: MessagePort;
}

/**
 * Frame → interpreter worker, once. Everything the worker may read from outside comes in here:
 * it has no network of its own.
 */
export interface WorkerStart {
  kind: 'python-sandbox-init';
  /** The worker's end of PythonWorkerContract. */
  rpc: MessagePort;
  /** The worker's end of PythonFilesContract (it calls, the app serves). */
  files: MessagePort;
  /** The Pyodide core files by URL: pyodide.mjs, pyodide.asm.mjs/.wasm, stdlib, lock file. */
  core: Record<string, ArrayBuffer>;
  /** Written by the frame when the app asks for Stop; null where memory cannot be shared. */
  interruptBuffer: Int32Array | null;
}

export function isWorkerStart(data: unknown): data is WorkerStart {
  return (
    typeof data === 'object' &&
    data !== null &&
    'kind' in data &&
    data.kind === 'python-sandbox-init'
  );
}
