import { categoryRates, judgedRate, meanPassAtK } from '../metrics.ts';
import type { Rate } from '../metrics.ts';
import type { Mode } from '../protocol.ts';
import { byProblemId, caseKey } from '../records.ts';
import type { CaseRecord } from '../records.ts';
import { PAPER_MTPB } from '../view/reference.ts';

/**
 * The paper's comparison of one intent given turn by turn (multi) and at once (single), from
 * the records of two runs over the same problems, seed and settings. Only problems BOTH runs
 * finished are compared, so a comparison stopped half-way still compares like with like; the
 * others are `pending`.
 */

export const MODES: readonly Mode[] = ['multi', 'single'];

export const MODE_NAMES: Record<Mode, string> = { multi: 'Multi-turn', single: 'Single-turn' };

/**
 * Where a problem lands. A mode solves a problem when at least one of its judged test cases
 * passed (any sample): with five cases per problem, "all five" would hide every difference a
 * small model makes, and the pass rates beside each class keep the detail.
 */
export type ProblemClass = 'both' | 'multi-only' | 'single-only' | 'neither';

export const PROBLEM_CLASSES: readonly ProblemClass[] = [
  'both',
  'multi-only',
  'single-only',
  'neither',
];

export const CLASS_NAMES: Record<ProblemClass, string> = {
  both: 'Solved by both',
  'multi-only': 'Multi-turn only',
  'single-only': 'Single-turn only',
  neither: 'Neither',
};

/** What the comparison needs of a problem: its label and its test cases per run. */
export interface ComparedProblem {
  id: string;
  name: string;
  category: readonly string[];
  /** Test cases per sample (MTPB: 5). */
  cases: number;
}

export interface ProblemComparison {
  problemId: string;
  name: string;
  categories: readonly string[];
  multi: Rate;
  single: Rate;
  class: ProblemClass;
}

export interface CategoryDatum extends Rate {
  category: string;
  mode: Mode;
}

export interface PassAtKDatum {
  mode: Mode;
  k: number;
  /** Mean over test cases, a fraction. */
  value: number;
}

/** The paper's MTPB figures (%) for the loaded model, or the nearest published one. */
export interface PaperReference {
  model: string;
  multi: number;
  single: number;
  /** False when the loaded model is not one the paper reports: the figures are a yardstick. */
  matched: boolean;
}

export interface ComparisonAnalysis {
  /** Problems both modes finished, in benchmark order. */
  problems: ProblemComparison[];
  /** Problems at least one mode has not finished (left out of every figure). */
  pending: string[];
  overall: Record<Mode, Rate>;
  categories: CategoryDatum[];
  classes: Record<ProblemClass, number>;
  /** pass@k for k = 1..n per mode; empty when n = 1. */
  passAtK: PassAtKDatum[];
  paper: PaperReference | null;
  n: number;
}

export function classOf(multi: readonly CaseRecord[], single: readonly CaseRecord[]): ProblemClass {
  const m = multi.some((r) => r.passed);
  const s = single.some((r) => r.passed);
  return m && s ? 'both' : m ? 'multi-only' : s ? 'single-only' : 'neither';
}

/**
 * The paper's figures for a model label: the matching row of the paper's table, else the
 * smallest published model (labelled as such), so a random-weights model still has a yardstick.
 */
export function paperReference(modelLabel: string | null): PaperReference | null {
  const matched = modelLabel ? PAPER_MTPB.find((row) => row.matches(modelLabel)) : undefined;
  const row = matched ?? PAPER_MTPB[0];
  return row
    ? { model: row.model, multi: row.multi, single: row.single, matched: !!matched }
    : null;
}

const groupByProblem = (records: readonly CaseRecord[]): Map<string, CaseRecord[]> => {
  const groups = new Map<string, CaseRecord[]>();
  for (const record of records) {
    const list = groups.get(record.problemId) ?? [];
    list.push(record);
    groups.set(record.problemId, list);
  }
  return groups;
};

/** Whether a run holds every case × sample of a problem (one record per key). */
const finished = (records: readonly CaseRecord[] | undefined, cases: number, n: number): boolean =>
  !!records &&
  new Set(records.map((r) => caseKey(r.problemId, r.caseIndex, r.sample))).size >= cases * n;

export function compareRuns(
  problems: readonly ComparedProblem[],
  records: Record<Mode, readonly CaseRecord[]>,
  n: number,
  modelLabel: string | null,
): ComparisonAnalysis {
  const multi = groupByProblem(records.multi);
  const single = groupByProblem(records.single);
  const compared: ProblemComparison[] = [];
  const pending: string[] = [];
  const ordered = [...problems].sort((a, b) => byProblemId(a.id, b.id));
  for (const problem of ordered) {
    const m = multi.get(problem.id);
    const s = single.get(problem.id);
    if (!m && !s) continue;
    if (!finished(m, problem.cases, n) || !finished(s, problem.cases, n) || !m || !s) {
      pending.push(problem.id);
      continue;
    }
    compared.push({
      problemId: problem.id,
      name: problem.name,
      categories: problem.category,
      multi: judgedRate(m),
      single: judgedRate(s),
      class: classOf(m, s),
    });
  }
  const keep = new Set(compared.map((p) => p.problemId));
  const kept: Record<Mode, CaseRecord[]> = {
    multi: records.multi.filter((r) => keep.has(r.problemId)),
    single: records.single.filter((r) => keep.has(r.problemId)),
  };
  const categoriesOf = new Map(problems.map((p) => [p.id, p.category]));
  const classes = { both: 0, 'multi-only': 0, 'single-only': 0, neither: 0 };
  for (const p of compared) classes[p.class]++;
  const passAtK: PassAtKDatum[] = [];
  if (n > 1)
    for (const mode of MODES)
      for (let k = 1; k <= n; k++) {
        const value = meanPassAtK(kept[mode], k);
        if (value) passAtK.push({ mode, k, value: value.value });
      }
  return {
    problems: compared,
    pending,
    overall: { multi: judgedRate(kept.multi), single: judgedRate(kept.single) },
    categories: MODES.flatMap((mode) =>
      categoryRates(kept[mode], categoriesOf).map((rate) => ({ ...rate, mode })),
    ),
    classes,
    passAtK,
    paper: paperReference(modelLabel),
    n,
  };
}
