import { describe, expect, it } from 'vitest';
import { EtaEstimator } from '../../src/mtpb/eta.ts';
import { estimateMtpbMs, mtpbEstimates } from './mtpb-estimate.ts';
import type { MtpbPlan } from './mtpb-estimate.ts';
import { configResult, measurement } from './test-fixtures.ts';
import type { Measurement } from './types.ts';

const plan: MtpbPlan = {
  problems: [
    { id: 'p1', rows: 5, budgets: [10, 10] },
    { id: 'p2', rows: 5, budgets: [10] },
  ],
  firstPromptTokens: 20,
};

describe('estimateMtpbMs', () => {
  it("is the first turn at the measured rates plus the ETA estimator's rest", () => {
    const rates = { batch: 5, msPerStep: 100, prefillTokPerS: 50 };
    // 5 rows × 20 tokens at 50 tok/s = 2 s of prefill, then 10 steps of 100 ms.
    const turnMs = 2000 + 1000;
    const eta = new EtaEstimator(plan.problems);
    eta.turnStarted('p1', 0);
    eta.turnEnded('p1', 50, turnMs);
    expect(estimateMtpbMs(plan, rates)).toBe(turnMs + (eta.remainingMs(turnMs) ?? NaN));
    // The rest: p1's second turn (50 tokens at 60 ms/token, the turn's rate plus the
    // estimator's 25% growth per turn), p2's turn at the first turn's rate; p1's cases
    // execute while p2 generates, p2's 5 after it, at the estimator's prior 0.5 s each.
    expect(estimateMtpbMs(plan, rates)).toBeCloseTo(turnMs + 50 * 75 + 50 * 60 + 5 * 500, 6);
  });

  it('scales the step to the first problem’s rows and refuses missing rates', () => {
    const one = estimateMtpbMs(plan, { batch: 1, msPerStep: 20, prefillTokPerS: 50 });
    expect(one).toBe(estimateMtpbMs(plan, { batch: 5, msPerStep: 100, prefillTokPerS: 50 }));
    expect(estimateMtpbMs(plan, { batch: 5, msPerStep: 100, prefillTokPerS: 0 })).toBeNull();
    expect(
      estimateMtpbMs(
        { problems: [], firstPromptTokens: 0 },
        { batch: 5, msPerStep: 1, prefillTokPerS: 1 },
      ),
    ).toBeNull();
  });
});

describe('mtpbEstimates', () => {
  const run = (batch: number, msPerStep: number, prefillTokPerS: number): Measurement =>
    measurement(batch, {
      prefillMs: 1,
      prefillTokPerS,
      decodeMs: 3 * msPerStep,
      decodeTokPerS: 1,
      msPerStep,
      medianStepMs: msPerStep,
      stepMs: [],
    });
  it('takes the largest batch’s step and the best prefill rate', () => {
    const config = configResult('node-wgsl', 'q4', [
      { status: 'ok', ...run(1, 40, 50) },
      { status: 'ok', ...run(5, 100, 30) },
    ]);
    const [estimate] = mtpbEstimates([config], plan);
    expect(estimate?.rates).toEqual({ batch: 5, msPerStep: 100, prefillTokPerS: 50 });
    expect(estimate?.fullMtpbMs).toBe(
      estimateMtpbMs(plan, { batch: 5, msPerStep: 100, prefillTokPerS: 50 }),
    );
    expect(mtpbEstimates([{ ...config, runs: [{ status: 'error', message: 'x' }] }], plan)).toEqual(
      [],
    );
  });
});
