// The one test of the benchmark's figures: the same fixed records through runMetrics, the
// command line's summary table and the Benchmark view's figures.
import { describe, expect, it } from 'vitest';
import { metricsRows, summaryRows } from '../../scripts/cli/summary-table.ts';
import { categoryRates, meanPassAtK, passAtK, runMetrics, summarize } from './metrics.ts';
import { caseRecord } from './fixtures.node.ts';
import type { CaseRecord, CaseStatus } from './records.ts';
import { summaryFigures } from './view/summary-figures.ts';

const record = (problemId: string, caseIndex: number, sample: number, status: CaseStatus) =>
  caseRecord(problemId, caseIndex, sample, status);

/** n = 10 samples of one test case, by status, in order. */
function samples(
  problemId: string,
  caseIndex: number,
  counts: Partial<Record<CaseStatus, number>>,
) {
  const statuses = Object.entries(counts).flatMap(([status, count]) =>
    Array.from({ length: count }, () => status as CaseStatus),
  );
  expect(statuses).toHaveLength(10);
  return statuses.map((status, sample) => record(problemId, caseIndex, sample, status));
}

// Problem 1 (math), problem 2 (string, math), problem 3 (no category); 10 samples per case.
//              pass fail timeout error unavailable | judged n  c
// 1 case 0       3    5     1      1       0       |    10    3
// 1 case 1       4    4     0      0       2       |     8    4
// 2 case 0       0    0     0      0      10       |     0    0  (left out of pass@k)
// 2 case 1       1    2     0      1       6       |     4    1
// 3 case 0       0    9     1      0       0       |    10    0
const records: CaseRecord[] = [
  ...samples('1', 0, { pass: 3, fail: 5, timeout: 1, error: 1 }),
  ...samples('1', 1, { pass: 4, fail: 4, unavailable: 2 }),
  ...samples('2', 0, { unavailable: 10 }),
  ...samples('2', 1, { pass: 1, fail: 2, error: 1, unavailable: 6 }),
  ...samples('3', 0, { fail: 9, timeout: 1 }),
];
const categories = new Map<string, readonly string[]>([
  ['1', ['math']],
  ['2', ['string', 'math']],
  ['3', []],
]);

describe('the benchmark metrics (unavailable left out of every denominator)', () => {
  it('counts per status and rates over judged cases', () => {
    // 50 cases; pass 3+4+0+1+0 = 8, fail 5+4+0+2+9 = 20, timeout 2, error 2, unavailable 18.
    // judged = 50 − 18 = 32, pass rate = 8 / 32 = 0.25.
    expect(summarize(records)).toEqual({
      cases: 50,
      byStatus: { pass: 8, fail: 20, timeout: 2, error: 2, unavailable: 18 },
      passed: 8,
      judged: 32,
      rate: 0.25,
    });
  });

  it('rates each category, a problem counting in each of its categories', () => {
    // math = problems 1 and 2: judged 10 + 8 + 0 + 4 = 22, passed 3 + 4 + 1 = 8.
    // string = problem 2: judged 4, passed 1. Problem 3 has none: uncategorized, 0 of 10.
    expect(categoryRates(records, categories)).toEqual([
      { category: 'math', passed: 8, judged: 22, rate: 8 / 22 },
      { category: 'string', passed: 1, judged: 4, rate: 0.25 },
      { category: 'uncategorized', passed: 0, judged: 10, rate: 0 },
    ]);
  });

  it('estimates pass@k per test case over judged samples only', () => {
    // pass@1 = c/n per case with a judged sample: (3/10 + 4/8 + 1/4 + 0/10) / 4 = 1.05 / 4.
    expect(meanPassAtK(records, 1)).toMatchObject({ k: 1, cases: 4 });
    expect(meanPassAtK(records, 1)?.value).toBeCloseTo(0.2625, 12);
    // pass@5 over cases with n ≥ 5 (1/0, 1/1, 3/0):
    //   1/0: 1 − C(7,5)/C(10,5) = 1 − 21/252;  1/1: n − c = 4 < 5 → 1;  3/0: c = 0 → 0.
    //   mean = (231/252 + 1 + 0) / 3 = 483/756 = 23/36.
    expect(passAtK(10, 3, 5)).toBeCloseTo(1 - 21 / 252, 12);
    expect(meanPassAtK(records, 5)).toMatchObject({ k: 5, cases: 3 });
    expect(meanPassAtK(records, 5)?.value).toBeCloseTo(23 / 36, 12);
    // pass@10 over cases with n = 10 (1/0, 3/0): 1/0: n − c = 7 < 10 → 1; 3/0: 0. mean = 0.5.
    expect(meanPassAtK(records, 10)).toEqual({ k: 10, value: 0.5, cases: 2 });
    expect(
      meanPassAtK(
        records.filter((r) => r.status === 'unavailable'),
        1,
      ),
    ).toBeNull();
  });

  it('gives the command line table and the view the same figures, from runMetrics', () => {
    const metrics = runMetrics(records, 5, categories);
    const rows = summaryRows(records, { k: 5, n: 10, categoriesOf: categories });
    expect(rows).toEqual(metricsRows(metrics, { k: 5, n: 10 }));
    expect(rows).toEqual([
      ['cases', '50'],
      ['pass', '8'],
      ['fail', '20'],
      ['timeout', '2'],
      ['error', '2'],
      ['unavailable', '18'],
      ['pass rate (excl. unavailable)', '25.00 % (8/32)'],
      ['pass@5 (n=10, excl. unavailable)', '63.89 % over 3 test cases'],
      ['per category (excl. unavailable)', ''],
      ['  math', '36.36 % (8/22)'],
      ['  string', '25.00 % (1/4)'],
      ['  uncategorized', '0.00 % (0/10)'],
    ]);
    const figures = summaryFigures(metrics, 5);
    expect(figures.passRate).toBe('25.0 %');
    expect(figures.passRateNote).toBe('(8 of 32 judged; unavailable cases not counted)');
    expect(figures.passAtK.value).toBe('63.9 %');
    expect(figures.passAtK.note).toContain('3 test cases');
    expect(figures.categories.map((c) => [c.category, c.figure])).toEqual([
      ['math', '36.4 % (8/22)'],
      ['string', '25.0 % (1/4)'],
      ['uncategorized', '0.0 % (0/10)'],
    ]);
  });

  it('keeps the estimator exact at its edges', () => {
    expect(passAtK(1, 1, 1)).toBe(1);
    expect(passAtK(1, 0, 1)).toBe(0);
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 12);
    expect(passAtK(5, 4, 2)).toBe(1);
    expect(() => passAtK(3, 4, 1)).toThrow(RangeError);
  });
});
