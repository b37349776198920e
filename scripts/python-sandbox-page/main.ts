/**
 * A bare page around the browser's Python sandbox for the browser tests and `npm run bench:python`: the
 * sandbox is driven through `window.sandboxPage` (see SandboxPageApi).
 */
import { createBrowserSandbox } from '../../src/python/browser/browser-sandbox.ts';
import type { BrowserSandboxOptions } from '../../src/python/browser/browser-sandbox.ts';
import type { PythonSandbox } from '../../src/python/core/sandbox.ts';
import { parseDataset } from '../../src/mtpb/dataset.ts';
import type { Problem } from '../../src/mtpb/dataset.ts';
import { parsePyJson } from '../../src/python/core/pyjson.ts';
import { describeVerdict } from '../../src/python/core/verdict.ts';
import { referenceProgram } from '../../src/mtpb/reference-solutions/assemble.ts';
import { referenceSolutions } from '../../src/mtpb/reference-solutions/index.ts';
import type { CaseSummary, SandboxPageApi } from './api.ts';

let sandbox: PythonSandbox | null = null;
let problems: Problem[] | null = null;

function current(): PythonSandbox {
  if (!sandbox) throw new Error('call boot() first');
  return sandbox;
}

const api: SandboxPageApi = {
  async boot(options: BrowserSandboxOptions = {}) {
    sandbox?.dispose();
    const started = performance.now();
    sandbox = await createBrowserSandbox(options);
    return {
      isolated: crossOriginIsolated,
      bootMs: performance.now() - started,
      workerBootMs: (await sandbox.ready()).bootMs,
    };
  },
  async run(program, goldJson, timeoutAbortMs) {
    const controller = new AbortController();
    if (timeoutAbortMs !== undefined) setTimeout(() => controller.abort(), timeoutAbortMs);
    try {
      const { verdict, outcome, wallMs } = await current().runCase({
        program,
        expected: goldJson === null ? null : parsePyJson(goldJson),
        signal: controller.signal,
      });
      return {
        state: verdict?.state ?? 'none',
        reason: verdict?.state === 'fail' ? verdict.reason : null,
        verdict: verdict ? describeVerdict(verdict) : '',
        status: outcome.status,
        error: outcome.error,
        stdout: outcome.stdout.slice(0, 2000),
        blocked: outcome.blocked,
        wallMs,
      } satisfies CaseSummary;
    } catch (error) {
      return {
        state: 'error',
        reason: null,
        verdict: String(error),
        status: 'thrown',
        error: String(error),
        stdout: '',
        blocked: [],
        wallMs: 0,
      };
    }
  },
  endProblem() {
    current().endProblem();
  },
  async referenceProblemIds() {
    problems ??= parseDataset(await (await fetch('/mtpb.jsonl')).text()).problems;
    return problems.map((p) => p.id);
  },
  async runReference(id) {
    problems ??= parseDataset(await (await fetch('/mtpb.jsonl')).text()).problems;
    const problem = problems.find((p) => p.id === id);
    const solution = referenceSolutions[id];
    if (!problem || !solution) throw new Error(`No problem ${id}`);
    const results: CaseSummary[] = [];
    for (const [i, gold] of problem.outputs.entries()) {
      const { verdict, outcome, wallMs } = await current().runCase({
        program: referenceProgram(problem, i, solution),
        expected: gold,
      });
      results.push({
        state: verdict?.state ?? 'none',
        reason: verdict?.state === 'fail' ? verdict.reason : null,
        verdict: verdict ? describeVerdict(verdict) : '',
        status: outcome.status,
        error: outcome.error,
        stdout: '',
        blocked: outcome.blocked,
        wallMs,
      });
    }
    current().endProblem();
    return results;
  },
};

(window as unknown as { sandboxPage: SandboxPageApi }).sandboxPage = api;
const status = document.getElementById('status');
if (status) status.textContent = 'ready';
