import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MTPB_PREFIX } from '../core/program.ts';
import { parsePyJson } from '../core/pyjson.ts';
import { PythonRunner } from '../core/runner.ts';
import type { CaseResult, RunnerOptions } from '../core/runner.ts';
import { nodeWorkerFactory } from './node-worker.node.ts';

export const PYODIDE_DIR = fileURLToPath(
  new URL('../../../node_modules/pyodide', import.meta.url),
);

/**
 * A folder with no wheels: package loads fail at once, as they do offline with an empty cache.
 * (Pyodide's default under Node is the CDN, which this machine cannot reach.)
 */
export function emptyPackageDir(): string {
  const dir = join(tmpdir(), 'codegen-playground-no-wheels');
  mkdirSync(dir, { recursive: true });
  return `${dir}/`;
}

export function createNodeRunner(
  options: Partial<Omit<RunnerOptions, 'boot'>> = {},
  memoryLimitBytes = 512 * 2 ** 20,
): PythonRunner {
  return new PythonRunner(nodeWorkerFactory, {
    boot: { indexURL: PYODIDE_DIR, packageBaseUrl: emptyPackageDir(), memoryLimitBytes },
    ...options,
  });
}

/** Runs `body` after the official prefix against a gold value written as JSON. */
export function runBody(runner: PythonRunner, body: string, gold: string): Promise<CaseResult> {
  return runner.runCase({ program: `${MTPB_PREFIX}${body}\n`, expected: parsePyJson(gold) });
}
