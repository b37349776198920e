import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EtaEstimator, replayRemainingMs } from './eta.ts';
import type { EtaTimeline } from './eta-timeline.node.ts';

// A real run, recorded by scripts/bench/mtpb-timeline.ts: MTPB problems 1–8 on the tiny
// model (fp32, Node WASM, Pyodide), 31 turns over 48.6 s, on a machine shared with other
// work — its turn times wander by 2×, as a student's laptop's would.
const recorded: EtaTimeline = JSON.parse(
  readFileSync(new URL('./fixtures/eta-timeline.json', import.meta.url), 'utf8'),
) as EtaTimeline;

/** The estimate every `stepMs` of the recorded run, fed its events as the controller would. */
function replay(timeline: EtaTimeline, stepMs: number): Array<{ at: number; eta: number | null }> {
  const eta = new EtaEstimator(timeline.problems);
  // At one instant, a turn ends before the next starts (the runner's order).
  const events: Array<{ at: number; order: number; apply: () => void }> = [];
  for (const turn of timeline.turns) {
    events.push({
      at: turn.startMs,
      order: 3,
      apply: () => eta.turnStarted(turn.problem, turn.startMs),
    });
    for (const [at, tokens] of turn.progress)
      events.push({ at, order: 0, apply: () => eta.progress(tokens) });
    events.push({
      at: turn.endMs,
      order: 1,
      apply: () => eta.turnEnded(turn.problem, turn.tokens, turn.endMs),
    });
  }
  for (const c of timeline.cases)
    events.push({
      at: c.endMs,
      order: 2,
      apply: () => eta.caseExecuted(c.problem, c.endMs - c.startMs),
    });
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  const readings: Array<{ at: number; eta: number | null }> = [];
  let next = 0;
  for (let at = 0; at < timeline.endMs; at += stepMs) {
    while (next < events.length && (events[next]?.at ?? Infinity) <= at) events[next++]?.apply();
    readings.push({ at, eta: eta.remainingMs(at) });
  }
  return readings;
}

describe('EtaEstimator against a recorded run', () => {
  const readings = replay(recorded, 1000);
  const truth = (at: number): number => recorded.endMs - at;

  it('gives an estimate from the first second, before any problem has finished', () => {
    expect(readings[0]?.eta).toBeNull(); // nothing generated yet
    const firstProblemEnds = recorded.cases[0]?.endMs ?? 0;
    expect(firstProblemEnds).toBeGreaterThan(5000);
    for (const r of readings.filter((r) => r.at >= 1000)) expect(r.eta).not.toBeNull();
  });

  it('is within 30 % + 3 s of the true time left from the second turn on', () => {
    for (const { at, eta } of readings.filter((r) => r.at >= 2000)) {
      const error = Math.abs((eta ?? 0) - truth(at));
      expect(error, `at ${at} ms: ${eta} vs ${truth(at)}`).toBeLessThanOrEqual(
        0.3 * truth(at) + 3000,
      );
    }
  });

  it('does not climb while you watch: at most +5 % of the time left per second, and lower every 10 s', () => {
    const settled = readings.filter((r) => r.at >= 3000);
    settled.forEach((r, i) => {
      const next = settled[i + 1];
      if (next)
        expect((next.eta ?? 0) - (r.eta ?? 0), `at ${r.at} ms`).toBeLessThanOrEqual(
          0.05 * truth(r.at),
        );
      const later = settled[i + 10];
      if (later) expect(later.eta ?? 0, `from ${r.at} ms`).toBeLessThan(r.eta ?? 0);
    });
  });
});

describe('EtaEstimator', () => {
  it('is exact when the rate and the share of the budget used are steady', () => {
    // Two problems of 2 turns × 4 rows × 100 tokens; rows use half their budget at 2 ms per
    // token; a case executes in 10 ms, overlapped with the next problem's generation.
    const eta = new EtaEstimator([
      { id: 'a', rows: 4, budgets: [100, 100] },
      { id: 'b', rows: 4, budgets: [100, 100] },
    ]);
    eta.turnStarted('a', 0);
    eta.progress(200);
    // Before any turn has finished, rows are assumed to use their whole budget: long, not short.
    expect(eta.remainingMs(400)).toBeGreaterThan(400 + 800 + 40);
    eta.turnEnded('a', 200, 400);
    eta.turnStarted('a', 400);
    eta.turnEnded('a', 200, 800);
    for (let c = 0; c < 4; c++) eta.caseExecuted('a', 10);
    eta.turnStarted('b', 800);
    eta.progress(100);
    // b: 300 tokens left at 2 ms, then its 4 cases at 10 ms.
    expect(eta.remainingMs(1000)).toBe(640);
    eta.progress(200);
    expect(eta.remainingMs(1200)).toBe(440);
    eta.turnEnded('b', 200, 1200);
    eta.turnStarted('b', 1200);
    eta.progress(100);
    expect(eta.remainingMs(1400)).toBe(240);
  });

  it('keeps the finished turns of a resumed problem out of what is left', () => {
    const fresh = new EtaEstimator([{ id: 'a', rows: 1, budgets: [10, 10, 10, 10] }]);
    const resumed = new EtaEstimator([
      { id: 'a', rows: 1, budgets: [10, 10, 10, 10], turnsDone: 2 },
    ]);
    for (const eta of [fresh, resumed]) {
      eta.turnStarted('a', 0);
      eta.progress(10);
    }
    // Turn positions 0 and 2 at the same rate: the resumed run has 2 turns left, not 4.
    const left = (eta: EtaEstimator): number => eta.remainingMs(10) ?? 0;
    expect(left(resumed)).toBeLessThan(left(fresh));
  });

  it('says nothing before the first tokens', () => {
    const eta = new EtaEstimator([{ id: 'a', rows: 5, budgets: [128] }]);
    expect(eta.remainingMs(0)).toBeNull();
    eta.turnStarted('a', 0);
    expect(eta.remainingMs(500)).toBeNull();
  });

  it('paces a replay by its finished cases', () => {
    expect(replayRemainingMs(10, 0, 1000)).toBeNull();
    expect(replayRemainingMs(10, 5, 1000)).toBe(2000);
  });
});
