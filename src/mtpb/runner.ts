import { AbortedError } from '../shared/errors.ts';
import type { PyValue } from '../python/core/pyvalue.ts';
import type { Problem } from './dataset.ts';
import { dictOf } from './dataset.ts';
import { replayedRecord } from './export.ts';
import type { ImportedLine } from './export.ts';
import { historyOf, historyParts, turnsFor } from './protocol.ts';
import type { RunSettings, Turn } from './protocol.ts';
import { caseKey } from './records.ts';
import type { CaseRecord, ExecResult } from './records.ts';
import type { TurnProgress } from './storage/run-store.ts';

/** Continues a batch of histories by one turn; each completion already truncated. */
export interface TurnGenerator {
  generate(
    histories: string[],
    budget: number,
    seed: number,
    signal: AbortSignal,
  ): Promise<Array<{ completion: string; tokens: number; contextOverflow: boolean }>>;
}

export interface CaseExecutor {
  run(program: string, gold: PyValue, signal: AbortSignal): Promise<ExecResult>;
  /** Module state leaks across namespaces: a fresh interpreter for the next problem. */
  endProblem(): void;
}

/** What the runner needs of a run's settings (sampling itself is the generator's). */
export type RunnerSettings = Pick<RunSettings, 'mode' | 'seed' | 'n'>;

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
interface Job {
  caseIndex: number;
  sample: number;
  program: string;
  gold: PyValue | undefined;
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

/**
 * Runs MTPB problems: the test cases (× samples) of a problem generate as one batch, turn by
 * turn, and problem k executes while problem k+1 generates. Pause holds before the next
 * turn (or, in a replay, the next problem); stop aborts at once. Records already done (a
 * resumed run) are skipped. A replay (an imported samples file) goes through the same
 * execution loop, without generation.
 */
export class MtpbRunner {
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
   * `kept`: turns samples finished before a reload, by caseKey; a problem whose every row
   * kept the same turns continues from the next turn (each turn's seed depends only on the
   * run seed, problem and turn, and its prompt on the kept turns, so nothing changes).
   */
  async run(
    problems: readonly Problem[],
    settings: RunnerSettings,
    done: ReadonlySet<string>,
    signal: AbortSignal,
    kept: ReadonlyMap<string, TurnProgress> = new Map(),
  ): Promise<void> {
    let executing: Promise<void> = Promise.resolve();
    try {
      for (const problem of problems) {
        const rows = this.rowsToRun(problem, settings, done, kept);
        if (rows.length === 0) continue;
        await this.generateProblem(problem, rows, settings, signal);
        await executing; // at most one problem executes while the next one generates
        executing = this.executeProblem(problem.id, this.jobsOf(problem, rows, settings), signal);
      }
    } finally {
      await executing.catch(() => undefined);
    }
    await executing;
  }

  /** Re-judges imported samples, problem by problem in file order; done ones are skipped. */
  async replay(
    lines: readonly ImportedLine[],
    done: ReadonlySet<string>,
    signal: AbortSignal,
  ): Promise<void> {
    const problems: Array<{ id: string; jobs: Job[] }> = [];
    for (const line of lines) {
      if (done.has(caseKey(line.sample.id, line.caseIndex, line.sampleIndex))) continue;
      const job: Job = {
        caseIndex: line.caseIndex,
        sample: line.sampleIndex,
        program: line.sample.completions,
        gold: line.sample.gold_output,
        overflow: false,
        record: (exec) => replayedRecord(line, exec),
      };
      const last = problems.at(-1);
      if (last?.id === line.sample.id) last.jobs.push(job);
      else problems.push({ id: line.sample.id, jobs: [job] });
    }
    for (const { id, jobs } of problems) {
      await this.paused?.promise;
      await this.executeProblem(id, jobs, signal);
    }
  }

  private rowsToRun(
    problem: Problem,
    settings: RunnerSettings,
    done: ReadonlySet<string>,
    kept: ReadonlyMap<string, TurnProgress>,
  ): Row[] {
    const rows: Row[] = [];
    problem.inputs.forEach((_, caseIndex) => {
      for (let sample = 0; sample < settings.n; sample++) {
        if (!done.has(caseKey(problem.id, caseIndex, sample)))
          rows.push({ caseIndex, sample, turns: [], tokens: 0, overflow: false });
      }
    });
    const keys = rows.map((row) => caseKey(problem.id, row.caseIndex, row.sample));
    if (resumableTurns(keys, kept) > 0)
      rows.forEach((row, r) => {
        const saved = kept.get(keys[r] ?? '');
        if (!saved) return;
        row.turns = [...saved.turns];
        row.tokens = saved.tokens;
        row.overflow = saved.overflow;
      });
    return rows;
  }

  private async generateProblem(
    problem: Problem,
    rows: Row[],
    settings: RunnerSettings,
    signal: AbortSignal,
  ): Promise<void> {
    const plans = rows.map((row) => turnsFor(problem, row.caseIndex, settings.mode));
    const turns = plans[0]?.length ?? 0;
    const started = performance.now();
    const keys = rows.map((row) => caseKey(problem.id, row.caseIndex, row.sample));
    let generated = 0;
    for (let turn = rows[0]?.turns.length ?? 0; turn < turns; turn++) {
      await this.paused?.promise;
      if (signal.aborted) throw new AbortedError('The run was stopped.');
      const histories = rows.map((row, r) => historyOf(row.turns, plans[r]?.[turn]?.prompt ?? ''));
      const budget = plans[0]?.[turn]?.budget ?? problem.maxGenLength;
      this.onEvent({ kind: 'generating', problemId: problem.id, turn, turns, budget, keys });
      const results = await this.generator.generate(
        histories,
        budget,
        turnSeed(settings.seed, problem.id, turn),
        signal,
      );
      rows.forEach((row, r) => {
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
        problemId: problem.id,
        turn,
        tokens,
        rows: rows.map((row) => ({
          problemId: problem.id,
          caseIndex: row.caseIndex,
          sample: row.sample,
          turns: [...row.turns],
          tokens: row.tokens,
          overflow: row.overflow,
        })),
      });
    }
    this.onEvent({
      kind: 'generated',
      problemId: problem.id,
      tokens: generated,
      ms: performance.now() - started,
    });
  }

  private jobsOf(problem: Problem, rows: readonly Row[], settings: RunnerSettings): Job[] {
    return rows.map((row) => {
      const inputs = problem.inputs[row.caseIndex];
      const gold = problem.outputs[row.caseIndex];
      const program = historyOf(row.turns);
      return {
        caseIndex: row.caseIndex,
        sample: row.sample,
        program,
        gold,
        overflow: row.overflow,
        record: (exec) => ({
          ...exec,
          problemId: problem.id,
          caseIndex: row.caseIndex,
          sample: row.sample,
          mode: settings.mode,
          input: inputs ? dictOf(inputs) : { t: 'none' },
          goldOutput: gold ?? { t: 'none' },
          turns: row.turns,
          program,
          promptsCompletions: historyParts(row.turns),
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
          : job.gold
            ? await this.executor.run(job.program, job.gold, signal)
            : notRun('No gold output', 'no gold output');
        this.onEvent({ kind: 'case', record: job.record(exec) });
      }
      this.onEvent({ kind: 'problem-done', problemId });
    } finally {
      this.executor.endProblem();
    }
  }
}
