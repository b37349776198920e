import { AppError, isAppError } from '../shared/errors.ts';
import type { BenchmarkId, RunSettings } from './protocol.ts';
import { caseKey } from './records.ts';
import type { CaseRecord } from './records.ts';
import { BenchmarkRunner, resumableTurns } from './runner.ts';
import type {
  CaseExecutor,
  GenerationGate,
  Job,
  ProblemPlan,
  RunEvent,
  TurnGenerator,
} from './runner.ts';
import type { TimelineSpan } from './timeline.ts';
import { EtaEstimator } from './eta.ts';
import { modelDifferences } from './run-model.ts';
import type { RunModel } from './run-model.ts';
import type {
  ComparisonLink,
  RunDescription,
  RunMeta,
  RunStore,
  TurnProgress,
} from './storage/run-store.ts';

export type CellView =
  | { kind: 'queued' }
  /** `tokens` generated so far in this turn, of at most `budget`. */
  | { kind: 'generating'; turn: number; turns: number; tokens: number; budget: number }
  | { kind: 'executing' }
  | { kind: 'done'; record: CaseRecord };

export interface RunSnapshot {
  phase: 'idle' | 'running' | 'paused' | 'done' | 'stopped' | 'error';
  run: RunMeta | null;
  cells: ReadonlyMap<string, CellView>;
  records: readonly CaseRecord[];
  error: AppError | null;
  /** Wall time of the current session of this run, for ETA and rates. */
  sessionStartedAt: number;
  sessionCases: number;
  tokens: number;
  /**
   * This session's remaining-time estimator (fed as turns and cases finish); the view asks
   * it for the time left on each tick. Null for a replay or a run not running.
   */
  eta: EtaEstimator | null;
  /**
   * This session's turns and executions, in ms since `sessionStartedAt` (kept in memory only:
   * a reopened run has none).
   */
  timeline: readonly TimelineSpan[];
}

/**
 * A loaded benchmark as runs need it: its label and how it plans a run's problems (MTPB's
 * file, HumanEval's; src/mtpb/suite.ts and src/humaneval/suite.ts).
 */
export interface RunSuite {
  benchmark: BenchmarkId;
  label: string;
  /** The selected problems of a run with these settings, in order. */
  plan(settings: RunSettings): ProblemPlan[];
  /** Rows generated together at most (a problem's samples split into batches above it). */
  maxBatch?: number;
}

export interface LiveRunOptions extends RunSettings {
  suite: RunSuite;
  /** What is loaded, as the model worker reported it. */
  model: RunModel;
  appVersion: string;
  generator: TurnGenerator;
  executor: CaseExecutor;
  /** One of the two runs of a comparison: stored with the run. */
  comparison?: ComparisonLink;
  /** Held around each problem's generation (the comparison's turn-taking). */
  gate?: GenerationGate;
}

/** How a resume goes on: with the model loaded now, and whether its differences were accepted. */
export interface ResumeOptions {
  model: RunModel;
  /** The user chose to continue although the loaded model differs from the run's. */
  acceptDifferences: boolean;
}

/** The part of a run written beside its export (and read back on import). */
export function describeRun(meta: RunMeta): RunDescription {
  const { id, kind, createdAt, state, model, settings, appVersion, resumes, datasetLabel } = meta;
  return {
    id,
    kind,
    createdAt,
    state,
    model,
    settings,
    appVersion,
    resumes,
    datasetLabel,
    totalCases: meta.totalCases,
  };
}

/** Why a resume on `loaded` needs the user's word, or an empty list when it does not. */
export function resumeDifferences(meta: RunMeta, loaded: RunModel): string[] {
  return meta.model ? modelDifferences(meta.model, loaded) : [];
}

/** Before any run: what the view shows while nothing has started. */
export const IDLE_SNAPSHOT: RunSnapshot = {
  phase: 'idle',
  run: null,
  cells: new Map(),
  records: [],
  error: null,
  sessionStartedAt: 0,
  sessionCases: 0,
  tokens: 0,
  eta: null,
  timeline: [],
};

/**
 * One benchmark run at a time, as state the UI subscribes to (useSyncExternalStore): cells
 * per test case, records saved to the store as each case finishes, pause/resume/stop, resume
 * after a reload, and replay of an imported samples file.
 */
export class RunController {
  private snapshot: RunSnapshot = IDLE_SNAPSHOT;
  private readonly listeners = new Set<() => void>();
  private runner: BenchmarkRunner | null = null;
  private abort: AbortController | null = null;
  /** When the case executing now started (for the ETA's time per case and the timeline). */
  private executingSince = 0;
  /** When the turn generating now started (for the timeline). */
  private generatingSince = 0;
  /** Store writes in order: a case's write never lands after the run's final state. */
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly store: RunStore) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): RunSnapshot => this.snapshot;

  /** The turn generating now: its cells show the count of each row. */
  private turn: { problemId: string; keys: readonly string[] } | null = null;

  /**
   * Counts generated tokens for the tokens/s readout, the ETA and the generating cells'
   * counts (`rows`: this turn's count per row, in the batch's order), without notifying:
   * too frequent; the view re-reads every second.
   */
  countTokens = (added = 1, rows: readonly number[] = []): void => {
    const { cells, eta } = this.snapshot;
    let next = cells;
    const turn = this.turn;
    if (turn && rows.length > 0) {
      const copy = new Map(cells);
      turn.keys.forEach((key, r) => {
        const view = copy.get(key);
        if (view?.kind === 'generating') copy.set(key, { ...view, tokens: rows[r] ?? 0 });
      });
      next = copy;
      eta?.progress(rows.reduce((n, t) => n + t, 0));
    }
    this.snapshot = { ...this.snapshot, cells: next, tokens: this.snapshot.tokens + added };
  };

  async start(options: LiveRunOptions): Promise<void> {
    const meta: RunMeta = {
      id: crypto.randomUUID(),
      kind: 'live',
      createdAt: Date.now(),
      updatedAt: Date.now(),
      state: 'running',
      model: options.model,
      appVersion: options.appVersion,
      resumes: [],
      source: null,
      settings: {
        benchmark: options.suite.benchmark,
        ...(options.temperatures ? { temperatures: options.temperatures } : {}),
        ...(options.maxNewTokens ? { maxNewTokens: options.maxNewTokens } : {}),
        mode: options.mode,
        seed: options.seed,
        n: options.n,
        k: options.k,
        temperature: options.temperature,
        topP: options.topP,
        problemIds: options.problemIds,
      },
      datasetLabel: options.suite.label,
      stats: { genTokens: 0, genMs: 0, execMs: 0 },
      totalCases: 0,
      ...(options.comparison ? { comparison: options.comparison } : {}),
    };
    meta.totalCases = countCases(options.suite.plan(meta.settings), options.n);
    await this.store.saveRun(meta);
    await this.execute(
      meta,
      [],
      new Map(),
      options.suite,
      options.generator,
      options.executor,
      options.gate,
    );
  }

  /**
   * Continues a stored run where it stopped: finished cases are kept, and so are the
   * finished turns of the problems that were generating. Refuses a loaded model that differs
   * from the run's (model, revision, dtype, backend, engine) unless the user accepted it;
   * either way the resume is recorded with the model it continued on.
   */
  async resume(
    runId: string,
    suite: RunSuite,
    generator: TurnGenerator,
    executor: CaseExecutor,
    { model, acceptDifferences }: ResumeOptions,
    /** A comparison's turn-taking, when the run is one of its two. */
    gate?: GenerationGate,
  ): Promise<void> {
    const meta = await this.store.run(runId);
    if (!meta) throw new AppError('bad-input', 'That run no longer exists.');
    const differences = resumeDifferences(meta, model);
    if (differences.length > 0 && !acceptDifferences)
      throw new AppError(
        'bad-input',
        `This run was made with a different model than the one loaded (${differences.join('; ')}).`,
        {
          hint: 'Load the run’s model to resume it exactly, or choose “Continue anyway” to finish it on the loaded one (the run records the switch).',
        },
      );
    const kept = new Map(
      (await this.store.turns(runId)).map((row): [string, TurnProgress] => [
        caseKey(row.problemId, row.caseIndex, row.sample),
        row,
      ]),
    );
    await this.execute(
      {
        ...meta,
        state: 'running',
        resumes: [...meta.resumes, { at: Date.now(), model, differences }],
      },
      await this.store.records(runId),
      kept,
      suite,
      generator,
      executor,
      gate,
    );
  }

  /** Shows a stored run without running anything. */
  async open(runId: string): Promise<void> {
    const meta = await this.store.run(runId);
    if (!meta) return;
    const records = await this.store.records(runId);
    this.set({
      ...IDLE_SNAPSHOT,
      phase: meta.state === 'done' ? 'done' : 'stopped',
      run: meta,
      records,
      cells: this.cellsFrom(records),
    });
  }

  /**
   * Re-executes imported samples (from the official mtpb_sample.py, a HumanEval samples file,
   * or one of ours) and shows verdicts.
   */
  async replay(
    label: string,
    jobs: readonly Job[],
    executor: CaseExecutor,
    source: RunDescription | null = null,
    benchmark: BenchmarkId = 'mtpb',
    /** HumanEval samples that said which temperature drew them: the grid's columns. */
    temperatures: readonly number[] = [],
  ): Promise<void> {
    const abort = this.begin();
    const meta: RunMeta = {
      id: crypto.randomUUID(),
      kind: 'replay',
      createdAt: Date.now(),
      updatedAt: Date.now(),
      state: 'running',
      model: null,
      appVersion: source?.appVersion ?? 'unknown',
      resumes: [],
      source,
      settings: {
        benchmark,
        mode: benchmark === 'mtpb' ? 'multi' : 'single',
        seed: 0,
        n: Math.max(1, ...jobs.map((j) => j.sample + 1)),
        k: 1,
        temperature: temperatures[0] ?? 0,
        ...(temperatures.length > 0 ? { temperatures: [...temperatures] } : {}),
        topP: 1,
        problemIds: [...new Set(jobs.map((j) => j.problemId))],
      },
      datasetLabel: label,
      stats: { genTokens: 0, genMs: 0, execMs: 0 },
      totalCases: jobs.length,
    };
    await this.store.saveRun(meta);
    this.set({
      ...IDLE_SNAPSHOT,
      phase: 'running',
      run: meta,
      sessionStartedAt: performance.now(),
    });
    const runner = new BenchmarkRunner(
      { generate: () => Promise.reject(new Error('a replay generates nothing')) },
      executor,
      (event) => void this.onRunEvent(meta, event),
    );
    this.runner = runner;
    try {
      await runner.replay(jobs, new Set(), abort.signal);
      await this.finish(meta, 'done');
    } catch (error) {
      await this.fail(meta, error);
    } finally {
      this.runner = null;
    }
  }

  pause(): void {
    this.runner?.pause();
    const run = this.snapshot.run;
    if (run) void this.write(() => this.store.saveRun({ ...run, state: 'paused' }));
    this.set({ ...this.snapshot, phase: 'paused' });
  }

  resumePaused(): void {
    this.runner?.resume();
    const run = this.snapshot.run;
    if (run) void this.write(() => this.store.saveRun({ ...run, state: 'running' }));
    this.set({ ...this.snapshot, phase: 'running' });
  }

  stop(): void {
    this.runner?.resume();
    this.abort?.abort();
  }

  private async execute(
    meta: RunMeta,
    done: CaseRecord[],
    kept: ReadonlyMap<string, TurnProgress>,
    suite: RunSuite,
    generator: TurnGenerator,
    executor: CaseExecutor,
    gate?: GenerationGate,
  ): Promise<void> {
    const abort = this.begin();
    await this.write(() => this.store.saveRun(meta));
    const plans = suite.plan(meta.settings);
    const doneKeys = new Set(done.map((r) => caseKey(r.problemId, r.caseIndex, r.sample)));
    const keysOf = (plan: ProblemPlan): string[] =>
      Array.from({ length: plan.cases }, (_, c) =>
        Array.from({ length: meta.settings.n }, (_, s) => caseKey(plan.id, c, s)),
      ).flat();
    const eta = new EtaEstimator(
      plans.flatMap((plan) => {
        const left = keysOf(plan).filter((key) => !doneKeys.has(key));
        if (left.length === 0) return [];
        return [
          {
            id: plan.id,
            rows: left.length,
            budgets: plan.turns(0).map((t) => t.budget),
            turnsDone: resumableTurns(left, kept),
          },
        ];
      }),
    );
    const cells = this.cellsFrom(done);
    for (const plan of plans)
      for (const key of keysOf(plan)) if (!cells.has(key)) cells.set(key, { kind: 'queued' });
    this.set({
      ...IDLE_SNAPSHOT,
      phase: 'running',
      run: meta,
      records: done,
      cells,
      sessionStartedAt: performance.now(),
      eta,
    });
    const runner = new BenchmarkRunner(
      generator,
      executor,
      (event) => void this.onRunEvent(meta, event),
    );
    this.runner = runner;
    try {
      await runner.run(
        plans,
        {
          seed: meta.settings.seed,
          n: meta.settings.n,
          ...(suite.maxBatch ? { maxBatch: suite.maxBatch } : {}),
          ...(gate ? { gate } : {}),
        },
        doneKeys,
        abort.signal,
        kept,
      );
      await this.finish(meta, 'done');
    } catch (error) {
      await this.fail(meta, error);
    } finally {
      this.runner = null;
    }
  }

  private async onRunEvent(meta: RunMeta, event: RunEvent): Promise<void> {
    /** The rows of the batch generating now (others of the problem stay queued). */
    const forRows = (keys: readonly string[], view: CellView): void => {
      const cells = new Map(this.snapshot.cells);
      for (const key of keys) if (cells.get(key)?.kind !== 'done') cells.set(key, view);
      this.set({ ...this.snapshot, cells });
    };
    const eta = this.snapshot.eta;
    switch (event.kind) {
      case 'generating':
        this.turn = { problemId: event.problemId, keys: event.keys };
        this.generatingSince = performance.now();
        eta?.turnStarted(event.problemId, performance.now());
        return forRows(event.keys, {
          kind: 'generating',
          turn: event.turn,
          turns: event.turns,
          tokens: 0,
          budget: event.budget,
        });
      case 'turn-done':
        this.turn = null;
        eta?.turnEnded(event.problemId, event.tokens, performance.now());
        this.addSpan('generate', event.problemId, this.generatingSince, event.tokens);
        return this.write(() => this.store.saveTurns(meta.id, event.rows));
      case 'executing':
        this.executingSince = performance.now();
        return this.setCell(caseKey(event.problemId, event.caseIndex, event.sample), {
          kind: 'executing',
        });
      case 'case':
        eta?.caseExecuted(event.record.problemId, performance.now() - this.executingSince);
        this.addSpan('execute', event.record.problemId, this.executingSince, 0);
        return this.finishCase(meta, event.record);
      case 'generated':
        meta.stats.genTokens += event.tokens;
        meta.stats.genMs += event.ms;
        return;
      case 'problem-done':
        return;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  }

  /** A span from `since` to now, on the session's clock; shown with the next notification. */
  private addSpan(
    kind: TimelineSpan['kind'],
    problemId: string,
    since: number,
    tokens: number,
  ): void {
    const origin = this.snapshot.sessionStartedAt;
    const span = {
      kind,
      problemId,
      start: since - origin,
      end: performance.now() - origin,
      tokens,
    };
    this.snapshot = { ...this.snapshot, timeline: [...this.snapshot.timeline, span] };
  }

  private async finishCase(meta: RunMeta, record: CaseRecord): Promise<void> {
    meta.stats.execMs += record.execMs;
    const key = caseKey(record.problemId, record.caseIndex, record.sample);
    const records = [
      ...this.snapshot.records.filter((r) => caseKey(r.problemId, r.caseIndex, r.sample) !== key),
      record,
    ];
    const cells = new Map(this.snapshot.cells).set(key, { kind: 'done', record });
    this.set({ ...this.snapshot, records, cells, sessionCases: this.snapshot.sessionCases + 1 });
    await this.write(async () => {
      await this.store.addRecord(meta.id, record);
      await this.store.saveRun({ ...meta, stats: { ...meta.stats } });
    });
  }

  private write(task: () => Promise<void>): Promise<void> {
    this.writes = this.writes.then(task, task);
    return this.writes;
  }

  private begin(): AbortController {
    if (this.snapshot.phase === 'running' || this.snapshot.phase === 'paused') {
      throw new AppError('bad-input', 'A run is already in progress.', {
        hint: 'Stop it first, or wait for it to finish.',
      });
    }
    this.abort = new AbortController();
    return this.abort;
  }

  private async finish(meta: RunMeta, state: 'done' | 'stopped'): Promise<void> {
    const final = { ...meta, state };
    await this.write(() => this.store.saveRun(final));
    this.turn = null;
    this.set({ ...this.snapshot, phase: state, run: final, cells: this.settledCells() });
  }

  /** When a run ends, a cell it left generating or executing has not run (its turns are kept). */
  private settledCells(): Map<string, CellView> {
    const cells = new Map(this.snapshot.cells);
    for (const [key, view] of cells)
      if (view.kind === 'generating' || view.kind === 'executing')
        cells.set(key, { kind: 'queued' });
    return cells;
  }

  private async fail(meta: RunMeta, error: unknown): Promise<void> {
    if (isAppError(error, 'aborted')) return this.finish(meta, 'stopped');
    const appError = isAppError(error)
      ? error
      : new AppError('internal', error instanceof Error ? error.message : String(error));
    await this.write(() => this.store.saveRun({ ...meta, state: 'stopped' }));
    this.turn = null;
    this.set({
      ...this.snapshot,
      cells: this.settledCells(),
      phase: 'error',
      error: appError,
      run: { ...meta, state: 'stopped' },
    });
  }

  private cellsFrom(records: readonly CaseRecord[]): Map<string, CellView> {
    return new Map(
      records.map((record) => [
        caseKey(record.problemId, record.caseIndex, record.sample),
        { kind: 'done', record },
      ]),
    );
  }

  private setCell(key: string, view: CellView): void {
    this.set({ ...this.snapshot, cells: new Map(this.snapshot.cells).set(key, view) });
  }

  private set(snapshot: RunSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of this.listeners) listener();
  }
}

/** Cases a run of these plans judges in all: cases × samples. */
export function countCases(plans: readonly ProblemPlan[], n: number): number {
  return plans.reduce((sum, plan) => sum + plan.cases * n, 0);
}
