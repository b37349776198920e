import { CASE_STATUSES } from '../../src/mtpb/records.ts';
import type { CaseRecord } from '../../src/mtpb/records.ts';
import { percent, runMetrics, UNAVAILABLE_NOTE } from '../../src/mtpb/metrics.ts';
import type { RunMetrics } from '../../src/mtpb/metrics.ts';

export interface SummaryOptions {
  /** The k of pass@k, and the samples per test case asked for. */
  k: number;
  n: number;
  categoriesOf?: ReadonlyMap<string, readonly string[]>;
  seconds?: number;
}

/**
 * The rows of the command line's summary table, from the same `runMetrics` the Benchmark view
 * shows: counts per status, the pass rate and pass@k over judged cases, per category.
 */
export function summaryRows(
  records: readonly CaseRecord[],
  options: SummaryOptions,
): Array<[string, string]> {
  return metricsRows(runMetrics(records, options.k, options.categoriesOf), options);
}

export function metricsRows(
  metrics: RunMetrics,
  options: Omit<SummaryOptions, 'categoriesOf'>,
): Array<[string, string]> {
  const { summary, passAtK, categories } = metrics;
  const figure = (rate: number, passed: number, judged: number): string =>
    `${percent(rate, 2)} (${passed}/${judged})`;
  const rows: Array<[string, string]> = [
    ['cases', String(summary.cases)],
    ...CASE_STATUSES.map((status): [string, string] => [status, String(summary.byStatus[status])]),
    ['pass rate (excl. unavailable)', figure(summary.rate, summary.passed, summary.judged)],
    [
      `pass@${options.k} (n=${options.n}, excl. unavailable)`,
      passAtK === null ? '—' : `${percent(passAtK.value, 2)} over ${passAtK.cases} test cases`,
    ],
    ...(categories.length > 0
      ? [['per category (excl. unavailable)', ''] as [string, string]]
      : []),
    ...categories.map((c): [string, string] => [
      `  ${c.category}`,
      figure(c.rate, c.passed, c.judged),
    ]),
  ];
  if (options.seconds !== undefined) rows.push(['wall time', `${options.seconds.toFixed(1)} s`]);
  return rows;
}

/** The table as printed: labels padded to one column, then a note on what is counted. */
export function formatSummary(rows: ReadonlyArray<[string, string]>): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return `${rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n')}\n(${UNAVAILABLE_NOTE}: they are left out of every rate)\n`;
}
