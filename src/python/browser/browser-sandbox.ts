// The node project (scripts/, e2e/) reaches this file through imports; it needs the declaration too.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./worker-source.d.ts" />
import workerSource from 'virtual:python-sandbox-worker';
import { AppError } from '../../shared/errors.ts';
import { PythonSandbox } from '../core/sandbox.ts';
import type { SandboxOptions } from '../core/sandbox.ts';
import { frameWorkerHosts } from './frame-worker-host.ts';
import { packageIndex, pyodideCoreUrl } from './package-index.ts';
import { loadLockFile, PackageStore } from './package-store.ts';

const CORE_FILES = [
  'pyodide.mjs',
  'pyodide.asm.mjs',
  'pyodide.asm.wasm',
  'python_stdlib.zip',
] as const;

export interface BrowserSandboxOptions extends Partial<Omit<SandboxOptions, 'boot'>> {
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
 * The Python sandbox of a page: interpreter workers in sandboxed iframes (no storage, no
 * network, no eval), one active and one booted spare, with the official MTPB verdict. Reads the
 * Pyodide core once; resolves when the first worker has booted. The app makes one per page
 * (shared-sandbox.ts); Stop interrupts a program only where the page is cross-origin isolated,
 * and otherwise replaces its worker.
 */
export async function createBrowserSandbox(
  options: BrowserSandboxOptions = {},
): Promise<PythonSandbox> {
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
  const hosts = frameWorkerHosts({
    workerSource,
    core,
    packages: PackageStore.fromLockFile(packageBaseUrl, lockFile),
  });
  const sandbox = new PythonSandbox(hosts, {
    ...options,
    boot: {
      indexURL,
      lockFileURL,
      packageBaseUrl,
      memoryLimitBytes: options.memoryLimitBytes ?? 2 ** 30,
      ...(options.exposeWorkerGlobals ? { exposeWorkerGlobals: true } : {}),
    },
  });
  try {
    await sandbox.ready();
  } catch (error) {
    sandbox.dispose();
    throw error;
  }
  return sandbox;
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
