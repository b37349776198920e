/** One problem a run still has to generate or execute, as the estimator plans it. */
export interface EtaProblem {
  id: string;
  /** Rows of each turn's batch: the test cases × samples still to run. */
  rows: number;
  /** Each turn's token budget per row (max new tokens). */
  budgets: readonly number[];
  /** Turns already generated (a resumed problem keeps its finished turns). */
  turnsDone?: number;
}

/** Before the first case has run: a warm sandbox judges a case in well under a second. */
const EXEC_PRIOR_MS = 500;
/** Growth of the time per token from one turn to the next, until two positions are measured. */
const SLOPE_PRIOR = 0.25;

interface ProblemState {
  rows: number;
  budgets: readonly number[];
  turnsDone: number;
  executed: number;
}

/**
 * Remaining time of a run, from what it has measured so far: the generation rate (time per
 * token, per turn position, the turn in progress included), the share of each turn's budget
 * rows actually use before they stop, and the execution time per case. The remaining budget
 * (turns left × max new tokens × rows) times that share, at those rates, gives the
 * generation still to come; problems execute while the next one generates, as the runner
 * does. Until a turn has finished, every row is assumed to use its whole budget.
 *
 * Later turns are slower (each step attends over a longer history): the rate is kept per
 * turn position, and a position not seen yet is extrapolated from the last two seen, so the
 * first problem's later turns do not make the estimate climb.
 *
 * Pure: times are passed in (performance.now() in the app, recorded times in tests).
 */
export class EtaEstimator {
  private readonly problems = new Map<string, ProblemState>();
  private readonly order: string[] = [];
  private finished = { tokens: 0, budget: 0 };
  /** Tokens and generation time of finished turns, by turn position (0 = first turn). */
  private byTurn: Array<{ tokens: number; ms: number }> = [];
  private current: {
    problemId: string;
    turn: number;
    startedAt: number;
    tokens: number;
  } | null = null;
  private exec = { cases: 0, ms: 0 };

  constructor(plan: readonly EtaProblem[]) {
    for (const p of plan) {
      this.order.push(p.id);
      this.problems.set(p.id, {
        rows: p.rows,
        budgets: p.budgets,
        turnsDone: p.turnsDone ?? 0,
        executed: 0,
      });
    }
  }

  turnStarted(problemId: string, at: number): void {
    const turn = this.problems.get(problemId)?.turnsDone ?? 0;
    this.current = { problemId, turn, startedAt: at, tokens: 0 };
  }

  /** The turn in progress has generated `tokens` so far, over all its rows. */
  progress(tokens: number): void {
    if (this.current) this.current.tokens = tokens;
  }

  turnEnded(problemId: string, tokens: number, at: number): void {
    const problem = this.problems.get(problemId);
    const started = this.current?.problemId === problemId ? this.current.startedAt : at;
    this.current = null;
    if (!problem) return;
    const budget = (problem.budgets[problem.turnsDone] ?? 0) * problem.rows;
    const seen = this.byTurn[problem.turnsDone] ?? { tokens: 0, ms: 0 };
    this.byTurn[problem.turnsDone] = { tokens: seen.tokens + tokens, ms: seen.ms + at - started };
    problem.turnsDone++;
    this.finished = {
      tokens: this.finished.tokens + tokens,
      budget: this.finished.budget + budget,
    };
  }

  /** Time per token at each turn position, the turn in progress counted with its own. */
  private rates(at: number): number[] {
    const sums = this.byTurn.map((s) => ({ ...s }));
    // A turn in progress tells its position's rate only when no finished turn has, and once
    // half through: before that its time is too much the prompt's prefill.
    const current = this.current;
    const problem = current && this.problems.get(current.problemId);
    if (current && problem && !sums[current.turn]) {
      const budget = (problem.budgets[current.turn] ?? 0) * problem.rows;
      if (current.tokens > 0 && current.tokens >= budget / 2)
        sums[current.turn] = { tokens: current.tokens, ms: at - current.startedAt };
    }
    return Array.from(sums, (s) => (s && s.tokens > 0 ? s.ms / s.tokens : Number.NaN));
  }

  /** One case of `problemId` was judged in `ms` (wall time of the sandbox call). */
  caseExecuted(problemId: string, ms: number): void {
    const problem = this.problems.get(problemId);
    if (problem) problem.executed++;
    this.exec = { cases: this.exec.cases + 1, ms: this.exec.ms + ms };
  }

  /** Milliseconds left at time `at`; null until the first tokens have been counted. */
  remainingMs(at: number): number | null {
    const current = this.current;
    const rates = this.rates(at);
    const seen = rates.flatMap((rate, turn) => (Number.isNaN(rate) ? [] : [turn]));
    const last = seen.at(-1);
    if (last === undefined) return null;
    const before = seen.at(-2);
    const lastRate = rates[last] ?? 0;
    // Growth per turn position, from the last two seen (never negative, never wild); with
    // one seen, a guess of a quarter more per turn, as a longer history costs more per step.
    const slope =
      before === undefined
        ? lastRate * SLOPE_PRIOR
        : Math.max(0, ((rates[last] ?? 0) - (rates[before] ?? 0)) / (last - before));
    const msPerToken = (turn: number): number => {
      const rate = rates[turn];
      if (rate !== undefined && !Number.isNaN(rate)) return rate;
      if (turn < last) return lastRate;
      return Math.min(lastRate + slope * (turn - last), lastRate * 3);
    };
    const share = this.finished.budget > 0 ? this.finished.tokens / this.finished.budget : 1;
    const execPerCase = this.exec.cases > 0 ? this.exec.ms / this.exec.cases : EXEC_PRIOR_MS;

    // The pipeline as the runner drives it: problem i generates after problem i-1 has
    // generated and problem i-2 has executed; it executes after it has generated and
    // problem i-1 has executed.
    let genEnd = 0;
    let execEnd = 0;
    let execEndBefore = 0;
    for (const id of this.order) {
      const p = this.problems.get(id);
      if (!p || p.executed >= p.rows) continue;
      let genMs = 0;
      for (let turn = p.turnsDone; turn < p.budgets.length; turn++) {
        let tokens = (p.budgets[turn] ?? 0) * p.rows * share;
        if (current?.problemId === id && turn === current.turn)
          tokens = Math.max(0, tokens - current.tokens);
        genMs += tokens * msPerToken(turn);
      }
      const genStart = Math.max(genEnd, execEndBefore);
      genEnd = genStart + genMs;
      execEndBefore = execEnd;
      execEnd = Math.max(genEnd, execEnd) + (p.rows - p.executed) * execPerCase;
    }
    return Math.max(genEnd, execEnd);
  }
}

/**
 * A replay generates nothing: its time left is its remaining cases at this session's pace
 * per case; null until a case has finished.
 */
export function replayRemainingMs(
  remainingCases: number,
  sessionCases: number,
  elapsedMs: number,
): number | null {
  if (sessionCases === 0 || elapsedMs <= 0) return null;
  return (remainingCases * elapsedMs) / sessionCases;
}
