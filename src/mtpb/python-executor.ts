import type { SandboxUser } from '../python/core/shared-sandbox.ts';
import type { PyValue } from '../python/core/pyvalue.ts';
import type { CaseResult, PythonSandbox } from '../python/core/sandbox.ts';
import { pyRepr } from '../python/core/pyvalue.ts';
import { describeVerdict } from '../python/core/verdict.ts';
import type { Verdict } from '../python/core/verdict.ts';
import type { CaseExecutor } from './runner.ts';
import type { CaseStatus } from './records.ts';

/** The benchmark's verdict classes from the checker's verdict. */
export function statusOf(verdict: Verdict | null): CaseStatus {
  if (!verdict) return 'error';
  switch (verdict.state) {
    case 'pass':
      return 'pass';
    case 'unavailable':
      return 'unavailable';
    case 'fail':
      switch (verdict.reason) {
        case 'timeout':
          return 'timeout';
        case 'wrong-answer':
        case 'no-output':
        case 'unsupported-type':
          return 'fail';
        default:
          return 'error';
      }
  }
}

/** What the executor needs of the Python sandbox: the page's and the Node one both fit. */
export interface CheckedSandbox {
  run: (program: string, expected: PyValue, signal: AbortSignal) => Promise<CaseResult>;
  endProblem: () => void;
}

/** A sandbox (the Node one, node/node-sandbox.node.ts; or the page's, for one user) as a CheckedSandbox. */
export function fromSandbox(sandbox: PythonSandbox | SandboxUser): CheckedSandbox {
  return {
    run: (program, expected, signal) =>
      'runCase' in sandbox
        ? sandbox.runCase({ program, expected, signal })
        : sandbox.run(program, { expected, signal }),
    endProblem: () => sandbox.endProblem(),
  };
}

/** Runs each case's program in the Python sandbox with the official checker. */
export function pythonExecutor(sandbox: CheckedSandbox): CaseExecutor {
  return {
    run: async (program, gold, signal) => {
      const { outcome, verdict, wallMs } = await sandbox.run(program, gold, signal);
      const check = outcome.check;
      return {
        status: statusOf(verdict),
        passed: verdict?.state === 'pass',
        printed: 'value' in check ? pyRepr(check.value) : null,
        stdout: outcome.stdout,
        error: outcome.error === null ? null : `${outcome.errorType ?? 'Error'}: ${outcome.error}`,
        detail: verdict ? describeVerdict(verdict) : (outcome.error ?? 'no verdict'),
        execMs: wallMs,
      };
    },
    endProblem: () => sandbox.endProblem(),
  };
}
