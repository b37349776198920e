import type { PyValue } from '../python/core/pyvalue.ts';
import type { Mode, Turn } from './protocol.ts';

/** The verdict classes a test case ends in; `unavailable` is neither pass nor fail. */
export type CaseStatus = 'pass' | 'fail' | 'timeout' | 'error' | 'unavailable';

export const CASE_STATUSES: readonly CaseStatus[] = [
  'pass',
  'fail',
  'timeout',
  'error',
  'unavailable',
];

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
  /**
   * The test case's inputs and gold output as Python values, exactly as the dataset or the
   * imported samples file has them (10.0 stays a float, big ints stay exact, key order kept),
   * so an export writes them back verbatim. Stored as is: structured clone keeps bigint.
   */
  input: PyValue;
  goldOutput: PyValue;
  /** Each turn's filled prompt and the completion kept after truncation. */
  turns: Turn[];
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

/** The number an id ends with (MTPB's "12", HumanEval's "HumanEval/12"), for ordering. */
const idNumber = (id: string): number => Number(/(\d+)$/.exec(id)?.[1] ?? NaN);

/** Problems in benchmark order: by the number their id ends with, then by text. */
export const byProblemId = (a: string, b: string): number =>
  idNumber(a) - idNumber(b) || a.localeCompare(b);
