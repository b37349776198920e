// The node project (scripts/, e2e/) reaches this file through imports; it needs the declaration too.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./worker-source.d.ts" />
import workerSource from 'virtual:python-sandbox-worker';
import { AppError } from '../../shared/errors.ts';
import type { BootInfo, PythonEvent } from '../core/contract.ts';
import type { PyValue } from '../core/pyvalue.ts';
import { PythonRunner } from '../core/runner.ts';
import type { CaseResult, RunnerOptions } from '../core/runner.ts';
import { packageIndex, pyodideCoreUrl } from './package-index.ts';
import { loadLockFile, PackageStore } from './package-store.ts';
import { sandboxedWorkerFactory } from './sandboxed-worker.ts';

const CORE_FILES = [
  'pyodide.mjs',
  'pyodide.asm.mjs',
  'pyodide.asm.wasm',
  'python_stdlib.zip',
] as const;

export interface PythonSandboxOptions extends Partial<Omit<RunnerOptions, 'boot'>> {
  /** Where the Pyodide core is served, same-origin. Default: vendor/pyodide/ of the app. */
  indexURL?: string;
  /** A lock file other than the page's (package-index.ts); relative to indexURL. */
  lockFileURL?: string;
  /** Another package index than the page's (package-index.ts). */
  packageBaseUrl?: string;
  memoryLimitBytes?: number;
  /** Tests only, see BootRequest.exposeWorkerGlobals. */
  exposeWorkerGlobals?: boolean;
}

/**
 * Runs Python for the UI: generated programs go to workers in sandboxed iframes (no storage,
 * no network, no eval), one active and one booted spare, with the official MTPB verdict.
 */
export class PythonSandbox {
  private constructor(
    private readonly runner: PythonRunner,
    /** Whether Stop can interrupt a program; otherwise it replaces the worker. */
    readonly isolated: boolean,
    /** The first worker's boot: versions, and its own boot time. */
    readonly info: BootInfo,
  ) {}

  static async create(options: PythonSandboxOptions = {}): Promise<PythonSandbox> {
    const page = packageIndex();
    const indexURL = new URL(options.indexURL ?? pyodideCoreUrl(), location.href).href;
    const lockFileURL = new URL(options.lockFileURL ?? page.lockFileURL, indexURL).href;
    const packageBaseUrl = options.packageBaseUrl ?? page.packageBaseUrl;
    const coreUrls = CORE_FILES.map((file) => new URL(file, indexURL).href);
    const [lockFile, ...coreBytes] = await Promise.all([
      loadLockFile(lockFileURL),
      ...coreUrls.map(fetchBytes),
    ]);
    const core = Object.fromEntries(
      coreUrls.map((url, i) => [url, coreBytes[i] ?? new ArrayBuffer(0)]),
    );
    // The worker reads the lock file from here (it has no network), like the core files.
    core[lockFileURL] = lockFile;
    const factory = sandboxedWorkerFactory({
      workerSource,
      core,
      packages: PackageStore.fromLockFile(packageBaseUrl, lockFile),
    });
    const runner = new PythonRunner(factory, {
      ...options,
      boot: {
        indexURL,
        lockFileURL,
        packageBaseUrl,
        memoryLimitBytes: options.memoryLimitBytes ?? 2 ** 30,
        ...(options.exposeWorkerGlobals ? { exposeWorkerGlobals: true } : {}),
      },
    });
    return new PythonSandbox(runner, crossOriginIsolated, await runner.ready());
  }

  /** Runs one program; with `expected`, the verdict is the official MTPB one. */
  run(
    program: string,
    options: {
      expected?: PyValue;
      signal?: AbortSignal;
      onEvent?: (event: PythonEvent) => void;
    } = {},
  ): Promise<CaseResult> {
    return this.runner.runCase({
      program,
      expected: options.expected ?? null,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
  }

  /** Between problems: the next one gets a fresh interpreter. */
  endProblem(): void {
    this.runner.endProblem();
  }

  dispose(): void {
    this.runner.dispose();
  }
}

async function fetchBytes(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new AppError(
      'download',
      `Could not load the Python runtime: ${url} (HTTP ${response.status})`,
      {
        hint: 'The Pyodide files are copied into public/vendor/pyodide/ when the app starts; restart it.',
      },
    );
  }
  return response.arrayBuffer();
}
