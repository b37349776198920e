import type { CaseRecord, CaseStatus } from './records.ts';

/**
 * The benchmark's figures, computed one way for the Benchmark view, the CSV and the command
 * line. `unavailable` cases (a package the sandbox cannot have) are no evidence either way:
 * they are counted per status but left out of every denominator — pass rates, category rates
 * and pass@k's n and c alike.
 */

/** Shown wherever a figure is: how `unavailable` cases are treated. */
export const UNAVAILABLE_NOTE = 'unavailable cases are not counted';

export interface Rate {
  passed: number;
  /** Cases with a verdict (all but unavailable). */
  judged: number;
  /** passed / judged; 0 when nothing was judged. */
  rate: number;
}

export interface RunSummary extends Rate {
  cases: number;
  byStatus: Record<CaseStatus, number>;
}

const rateOf = (passed: number, judged: number): Rate => ({
  passed,
  judged,
  rate: judged === 0 ? 0 : passed / judged,
});

const isJudged = (record: CaseRecord): boolean => record.status !== 'unavailable';

/** Counts per status and the pass rate over judged cases. */
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
  return { cases, byStatus, ...rateOf(byStatus.pass, cases - byStatus.unavailable) };
}

/** The unbiased pass@k estimator of Chen et al. (2021): 1 − C(n−c, k) / C(n, k). */
export function passAtK(n: number, c: number, k: number): number {
  if (
    !(Number.isInteger(n) && Number.isInteger(c) && Number.isInteger(k)) ||
    n < 1 ||
    k < 1 ||
    c < 0 ||
    c > n ||
    k > n
  ) {
    throw new RangeError(`pass@k needs 0 ≤ c ≤ n and 1 ≤ k ≤ n (got n=${n}, c=${c}, k=${k})`);
  }
  if (n - c < k) return 1;
  // The product form avoids huge binomials: C(n−c, k)/C(n, k) = Π_{i=n−c+1..n} (1 − k/i).
  let fail = 1;
  for (let i = n - c + 1; i <= n; i++) fail *= 1 - k / i;
  return 1 - fail;
}

export interface PassAtK {
  k: number;
  /** The mean over the test cases used. */
  value: number;
  /** Test cases used: those with at least k judged samples. */
  cases: number;
}

/**
 * pass@k per test case, averaged over test cases. A case's samples are the estimator's n, and
 * only judged samples count: n and c leave unavailable samples out, and a case with fewer
 * than k judged samples (none at all, typically) is left out. Null when no case qualifies.
 */
export function meanPassAtK(records: readonly CaseRecord[], k: number): PassAtK | null {
  const groups = new Map<string, { n: number; c: number }>();
  for (const record of records) {
    if (!isJudged(record)) continue;
    const key = `${record.problemId}/${record.caseIndex}`;
    const group = groups.get(key) ?? { n: 0, c: 0 };
    group.n++;
    if (record.passed) group.c++;
    groups.set(key, group);
  }
  let sum = 0;
  let cases = 0;
  for (const { n, c } of groups.values()) {
    if (n < k) continue;
    sum += passAtK(n, c, k);
    cases++;
  }
  return cases === 0 ? null : { k, value: sum / cases, cases };
}

export const UNCATEGORIZED = 'uncategorized';

/** Pass rate per category over judged cases; a problem with several categories counts in each. */
export function categoryRates(
  records: readonly CaseRecord[],
  categoriesOf: ReadonlyMap<string, readonly string[]>,
): Array<{ category: string } & Rate> {
  const totals = new Map<string, { passed: number; judged: number }>();
  for (const record of records) {
    if (!isJudged(record)) continue;
    const names = categoriesOf.get(record.problemId);
    for (const category of names && names.length > 0 ? names : [UNCATEGORIZED]) {
      const total = totals.get(category) ?? { passed: 0, judged: 0 };
      total.judged++;
      if (record.passed) total.passed++;
      totals.set(category, total);
    }
  }
  return [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, t]) => ({ category, ...rateOf(t.passed, t.judged) }));
}

/** A set of records' judged pass rate (for comparing runs problem by problem). */
export function judgedRate(records: readonly CaseRecord[]): Rate {
  return rateOf(records.filter((r) => r.passed).length, records.filter(isJudged).length);
}

/** Everything a run's summary shows, from one call: the view and the command line use it. */
export interface RunMetrics {
  summary: RunSummary;
  passAtK: PassAtK | null;
  categories: Array<{ category: string } & Rate>;
}

export function runMetrics(
  records: readonly CaseRecord[],
  k: number,
  categoriesOf: ReadonlyMap<string, readonly string[]> = new Map(),
): RunMetrics {
  return {
    summary: summarize(records),
    passAtK: meanPassAtK(records, k),
    categories: categoryRates(records, categoriesOf),
  };
}

/** problem id → categories, as categoryRates takes them. */
export const categoriesOf = (
  problems: ReadonlyArray<{ id: string; category: readonly string[] }>,
): Map<string, readonly string[]> => new Map(problems.map((p) => [p.id, p.category]));

export const percent = (value: number, digits = 1): string => `${(value * 100).toFixed(digits)} %`;
