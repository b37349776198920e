import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PythonSandbox } from '../core/sandbox.ts';
import type { SandboxOptions } from '../core/sandbox.ts';
import { nodeWorkerHosts } from './node-worker.node.ts';

/** The Pyodide core under Node: the installed package, read from disk. */
export const PYODIDE_DIR = fileURLToPath(
  new URL('../../../node_modules/pyodide/', import.meta.url),
);

const pyodideVersion = (
  createRequire(import.meta.url)('pyodide/package.json') as { version: string }
).version;

/** The index the page uses by default (browser/package-index.ts): Pyodide's own, this version. */
export const OFFICIAL_NODE_PACKAGE_INDEX = `https://cdn.jsdelivr.net/pyodide/v${pyodideVersion}/full/`;

export interface NodeSandboxOptions extends Partial<Omit<SandboxOptions, 'boot'>> {
  /** Where wheels come from: an http(s) URL or a folder ending in '/'. Default: the official index. */
  packageBaseUrl?: string;
  /** Default: the lock file of the installed core. */
  lockFileURL?: string;
  /** Where downloaded wheels are kept. Default: a new temporary folder. */
  packageCacheDir?: string;
  /** Default: 512 MiB. */
  memoryLimitBytes?: number;
}

/**
 * The Python sandbox under Node (worker_threads), for the command line and benchmarks: the same
 * interpreter workers, limits and verdicts as the page, but no isolation boundary — it runs our
 * own programs or the user's.
 */
export function createNodeSandbox(options: NodeSandboxOptions = {}): PythonSandbox {
  const { packageBaseUrl, lockFileURL, packageCacheDir, memoryLimitBytes, ...rest } = options;
  return new PythonSandbox(nodeWorkerHosts, {
    ...rest,
    boot: {
      indexURL: PYODIDE_DIR,
      packageBaseUrl: packageBaseUrl ?? OFFICIAL_NODE_PACKAGE_INDEX,
      ...(lockFileURL === undefined ? {} : { lockFileURL }),
      packageCacheDir: packageCacheDir ?? `${mkdtempSync(join(tmpdir(), 'codegen-wheels-'))}/`,
      memoryLimitBytes: memoryLimitBytes ?? 512 * 2 ** 20,
    },
  });
}
