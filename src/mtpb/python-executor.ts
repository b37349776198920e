import type { CaseResult, PythonRunner } from '../python/core/runner.ts';
import type { PyValue } from '../python/core/pyvalue.ts';
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

/** What the executor needs of a Python runner: the browser sandbox and the Node runner both fit. */
export interface CheckedRunner {
  run: (program: string, expected: PyValue, signal: AbortSignal) => Promise<CaseResult>;
  endProblem: () => void;
}

/** The Node runner (worker_threads) as a CheckedRunner. */
export function fromPythonRunner(runner: PythonRunner): CheckedRunner {
  return {
    run: (program, expected, signal) => runner.runCase({ program, expected, signal }),
    endProblem: () => runner.endProblem(),
  };
}

/** Runs each case's program in the Python sandbox with the official checker. */
export function pythonExecutor(runner: CheckedRunner): CaseExecutor {
  return {
    run: async (program, gold, signal) => {
      const { outcome, verdict, wallMs } = await runner.run(program, gold, signal);
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
    endProblem: () => runner.endProblem(),
  };
}
