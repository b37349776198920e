import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NUMPY_PRELUDE } from '../core/program.ts';
import { parsePyJson } from '../core/pyjson.ts';
import type { CaseResult, PythonSandbox, SandboxOptions } from '../core/sandbox.ts';
import { createNodeSandbox, PYODIDE_DIR } from './node-sandbox.node.ts';

export { PYODIDE_DIR };

/**
 * A folder with no wheels: package loads fail at once, as they do offline with an empty cache.
 * (Tests never reach the CDN.)
 */
export function emptyPackageDir(): string {
  const dir = join(tmpdir(), 'codegen-playground-no-wheels');
  mkdirSync(dir, { recursive: true });
  return `${dir}/`;
}

/** A Node sandbox for tests: no package index (see emptyPackageDir). */
export function createNodeRunner(
  options: Partial<Omit<SandboxOptions, 'boot'>> = {},
  memoryLimitBytes = 512 * 2 ** 20,
): PythonSandbox {
  const empty = emptyPackageDir();
  return createNodeSandbox({
    ...options,
    packageBaseUrl: empty,
    packageCacheDir: empty,
    memoryLimitBytes,
  });
}

/** Runs `body` after the official prefix against a gold value written as JSON. */
export function runBody(sandbox: PythonSandbox, body: string, gold: string): Promise<CaseResult> {
  return sandbox.runCase({ program: `${NUMPY_PRELUDE}${body}\n`, expected: parsePyJson(gold) });
}
