/**
 * A real run's timeline, as scripts/bench/mtpb-timeline.ts records it: when each turn
 * started and ended with the worker's throttled token counts inside it, and each case's
 * execution. The ETA estimator's test replays it (fixtures/eta-timeline.json).
 */
export interface EtaTimeline {
  /** When, what model and where. */
  recorded: string;
  /** In run order: test cases (rows of each turn's batch) and each turn's token budget. */
  problems: Array<{ id: string; rows: number; budgets: number[] }>;
  turns: Array<{
    problem: string;
    turn: number;
    startMs: number;
    endMs: number;
    /** Tokens the turn generated over all rows. */
    tokens: number;
    /** [ms, tokens so far over all rows], about every 100 ms. */
    progress: Array<[number, number]>;
  }>;
  cases: Array<{ problem: string; startMs: number; endMs: number }>;
  endMs: number;
}
