import { meanPassAtK } from '../mtpb/metrics.ts';
import type { CaseRecord } from '../mtpb/records.ts';
import { PAPER_KS } from './protocol.ts';

/** pass@k of one temperature: the mean over tasks of the unbiased estimator, as a fraction. */
export interface TemperaturePassAtK {
  temperature: number;
  /** By k; null where no task has k judged samples at this temperature. */
  passAt: Map<number, number | null>;
  tasks: number;
}

export interface HumanEvalMetrics {
  /** The k this run's n allows, of the paper's 1, 10, 100 (and n itself when smaller). */
  ks: number[];
  byTemperature: TemperaturePassAtK[];
  /** Per k, the best temperature's figure, as the paper reports it. */
  best: Array<{ k: number; value: number | null; temperature: number | null }>;
}

/** The k a run with n samples per temperature can report: the paper's, those ≤ n. */
export const reportableKs = (n: number): number[] => {
  const ks = PAPER_KS.filter((k) => k <= n) as number[];
  return ks.length > 0 ? ks : [1];
};

/**
 * HumanEval's figures from a run's records: each temperature is a case (caseIndex), its n
 * samples the estimator's n, averaged over tasks; then the best temperature per k.
 */
export function humanEvalMetrics(
  records: readonly CaseRecord[],
  temperatures: readonly number[],
  n: number,
): HumanEvalMetrics {
  const ks = reportableKs(n);
  const byTemperature = temperatures.map((temperature, caseIndex) => {
    const mine = records.filter((r) => r.caseIndex === caseIndex);
    const passAt = new Map(ks.map((k) => [k, meanPassAtK(mine, k)?.value ?? null]));
    return { temperature, passAt, tasks: new Set(mine.map((r) => r.problemId)).size };
  });
  const best = ks.map((k) => {
    let value: number | null = null;
    let temperature: number | null = null;
    for (const row of byTemperature) {
      const v = row.passAt.get(k) ?? null;
      if (v !== null && (value === null || v > value)) {
        value = v;
        temperature = row.temperature;
      }
    }
    return { k, value, temperature };
  });
  return { ks, byTemperature, best };
}
