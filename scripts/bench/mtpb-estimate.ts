// How long the full MTPB (115 problems, multi-turn) would take on a runtime, from the engine
// benchmark's rates: the app's own ETA estimator (src/mtpb/eta.ts) is given the whole plan
// and one turn timed at those rates, as it would be after a real run's first turn, and its
// answer is taken as is. No second estimator.

import { EtaEstimator } from '../../src/mtpb/eta.ts';
import type { EtaProblem } from '../../src/mtpb/eta.ts';
import type { Problem } from '../../src/mtpb/dataset.ts';
import { historyOf, turnsFor } from '../../src/mtpb/protocol.ts';
import type { BenchDtype, ConfigResult, Runtime } from './types.ts';

/** The estimator's plan for a whole run, and the first turn's prompt length in tokens. */
export interface MtpbPlan {
  problems: EtaProblem[];
  firstPromptTokens: number;
}

export function mtpbPlan(
  problems: readonly Problem[],
  countTokens: (text: string) => number,
): MtpbPlan {
  const first = problems[0];
  const firstTurn = first ? turnsFor(first, 0, 'multi')[0] : undefined;
  return {
    problems: problems.map((p) => ({
      id: p.id,
      rows: p.inputs.length,
      budgets: turnsFor(p, 0, 'multi').map((t) => t.budget),
    })),
    firstPromptTokens: firstTurn ? countTokens(historyOf([], firstTurn.prompt)) : 0,
  };
}

/** What a configuration measured: a decode step at `batch` rows, and a prefill rate. */
export interface MeasuredRates {
  batch: number;
  msPerStep: number;
  /** Prompt tokens per second, all rows together. */
  prefillTokPerS: number;
}

/**
 * Milliseconds for the whole plan. The first problem's first turn is timed at the measured
 * rates (its rows' prompts prefilled, then its budget of steps, a step taken to scale
 * linearly with rows as the benchmark's fit() does), and the estimator extrapolates the rest
 * with its own rules: every row uses its whole budget (random weights never stop early),
 * later turns cost more per token (its slope prior), a case executes in its prior 0.5 s.
 * An upper bound for a real model, whose rows stop at EOS.
 */
export function estimateMtpbMs(plan: MtpbPlan, rates: MeasuredRates): number | null {
  const first = plan.problems[0];
  const budget = first?.budgets[0];
  if (!first || budget === undefined) return null;
  if (!(rates.msPerStep > 0) || !(rates.prefillTokPerS > 0)) return null;
  const prefillMs = (first.rows * plan.firstPromptTokens * 1000) / rates.prefillTokPerS;
  const turnMs = prefillMs + (budget * rates.msPerStep * first.rows) / rates.batch;
  const eta = new EtaEstimator(plan.problems);
  eta.turnStarted(first.id, 0);
  eta.turnEnded(first.id, budget * first.rows, turnMs);
  const rest = eta.remainingMs(turnMs);
  return rest === null ? null : turnMs + rest;
}

export interface MtpbEstimate {
  runtime: Runtime;
  dtype: BenchDtype;
  rates: MeasuredRates;
  /** Null when the configuration measured no decode step or no prefill. */
  fullMtpbMs: number | null;
}

/**
 * Each configuration's estimate from its throughput runs: the decode step of the largest
 * batch measured (MTPB batches a problem's test cases, usually 5) and the best prefill rate.
 */
export function mtpbEstimates(configs: readonly ConfigResult[], plan: MtpbPlan): MtpbEstimate[] {
  return configs.flatMap((config) => {
    const runs = config.runs.flatMap((run) =>
      run.status === 'ok' && run.purpose === 'throughput' ? [run] : [],
    );
    const decode = runs.filter((run) => run.decodeSteps > 0).sort((a, b) => b.batch - a.batch)[0];
    const prefill = Math.max(0, ...runs.map((run) => run.prefillTokPerS).filter(Number.isFinite));
    if (!decode) return [];
    const rates = { batch: decode.batch, msPerStep: decode.msPerStep, prefillTokPerS: prefill };
    return [
      {
        runtime: config.runtime,
        dtype: config.dtype,
        rates,
        fullMtpbMs: estimateMtpbMs(plan, rates),
      },
    ];
  });
}
