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

interface ProblemState {
  rows: number;
  budgets: readonly number[];
  turnsDone: number;
  executed: number;
}

/**
 * Remaining time of a run, from what it has measured so far: the generation rate (tokens
 * per second over this session's turns, the turn in progress included), the share of each
 * turn's budget rows actually use before they stop, and the execution time per case. The
 * remaining budget (turns left × max new tokens × rows) times that share, at that rate,
 * gives the generation still to come; problems execute while the next one generates, as
 * the runner does. Until a turn has finished, every row is assumed to use its whole budget,
 * so the first estimates err long and then settle rather than grow.
 *
 * Pure: times are passed in (performance.now() in the app, recorded times in tests).
 */
export class EtaEstimator {
  private readonly problems = new Map<string, ProblemState>();
  private readonly order: string[] = [];
  private finished = { tokens: 0, budget: 0, ms: 0 };
  private current: { problemId: string; startedAt: number; tokens: number } | null = null;
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
    this.current = { problemId, startedAt: at, tokens: 0 };
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
    problem.turnsDone++;
    this.finished = {
      tokens: this.finished.tokens + tokens,
      budget: this.finished.budget + budget,
      ms: this.finished.ms + (at - started),
    };
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
    const tokens = this.finished.tokens + (current?.tokens ?? 0);
    const genMs = this.finished.ms + (current ? at - current.startedAt : 0);
    if (tokens <= 0 || genMs <= 0) return null;
    const msPerToken = genMs / tokens;
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
      let tokensLeft = 0;
      for (let turn = p.turnsDone; turn < p.budgets.length; turn++)
        tokensLeft += (p.budgets[turn] ?? 0) * p.rows * share;
      if (current?.problemId === id) tokensLeft = Math.max(0, tokensLeft - current.tokens);
      const genStart = Math.max(genEnd, execEndBefore);
      genEnd = genStart + tokensLeft * msPerToken;
      execEndBefore = execEnd;
      execEnd = Math.max(genEnd, execEnd) + (p.rows - p.executed) * execPerCase;
    }
    return Math.max(genEnd, execEnd);
  }
}
