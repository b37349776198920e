import type { Mode } from './protocol.ts';

/** The verdict classes a test case ends in; `unavailable` is neither pass nor fail. */
export type CaseStatus = 'pass' | 'fail' | 'timeout' | 'error' | 'unavailable';

/** What running a case's final program gave. */
export interface ExecResult {
  status: CaseStatus;
  passed: boolean;
  /** repr() of the value the checker compared (the first argument of the last print). */
  printed: string | null;
  stdout: string;
  error: string | null;
  /** e.g. "passed, but timed out after printing". */
  detail: string;
  execMs: number;
}

/** One finished test case (one sample of it): everything the UI, storage and export need. */
export interface CaseRecord extends ExecResult {
  problemId: string;
  caseIndex: number;
  sample: number;
  mode: Mode;
  input: unknown;
  goldOutput: unknown;
  /** Each turn's filled prompt and the completion kept after truncation. */
  turns: Array<{ prompt: string; completion: string }>;
  /** The whole program: the official `completions` field. */
  program: string;
  /** The official `prompts_completions`: prefix, then each wrapped prompt and kept completion. */
  promptsCompletions: string[];
  /** Set when a turn's prompt no longer fit the model's context. */
  contextOverflow: boolean;
  genTokens: number;
}

export const caseKey = (problemId: string, caseIndex: number, sample: number): string =>
  `${problemId}/${caseIndex}/${sample}`;

export interface RunSummary {
  cases: number;
  passed: number;
  byStatus: Record<CaseStatus, number>;
  /** Pass rate over cases that could run (unavailable ones are counted apart). */
  passRate: number;
}

export function summarize(records: Iterable<CaseRecord>): RunSummary {
  const byStatus: Record<CaseStatus, number> = {
    pass: 0,
    fail: 0,
    timeout: 0,
    error: 0,
    unavailable: 0,
  };
  let cases = 0;
  for (const record of records) {
    byStatus[record.status]++;
    cases++;
  }
  const judged = cases - byStatus.unavailable;
  return {
    cases,
    passed: byStatus.pass,
    byStatus,
    passRate: judged === 0 ? 0 : byStatus.pass / judged,
  };
}
