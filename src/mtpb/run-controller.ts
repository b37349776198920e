import { AppError, isAppError } from '../shared/errors.ts';
import type { LoadedDataset } from './load-dataset.ts';
import type { RunSettings } from './protocol.ts';
import { caseKey } from './records.ts';
import type { CaseRecord } from './records.ts';
import { MtpbRunner } from './runner.ts';
import type { CaseExecutor, RunEvent, TurnGenerator } from './runner.ts';
import type { ImportedLine } from './export.ts';
import type { RunMeta, RunStore } from './storage/run-store.ts';

export type CellView =
  | { kind: 'queued' }
  | { kind: 'generating'; turn: number; turns: number }
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
}

/** The model a run uses, as recorded with it. */
export interface RunModelInfo {
  label: string;
  dtype: string;
  backend: string;
}

export interface LiveRunOptions extends RunSettings {
  dataset: LoadedDataset;
  model: RunModelInfo;
  generator: TurnGenerator;
  executor: CaseExecutor;
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
};

/**
 * One benchmark run at a time, as state the UI subscribes to (useSyncExternalStore): cells
 * per test case, records saved to the store as each case finishes, pause/resume/stop, resume
 * after a reload, and replay of an imported samples file.
 */
export class RunController {
  private snapshot: RunSnapshot = IDLE_SNAPSHOT;
  private readonly listeners = new Set<() => void>();
  private runner: MtpbRunner | null = null;
  private abort: AbortController | null = null;
  /** Store writes in order: a case's write never lands after the run's final state. */
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly store: RunStore) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): RunSnapshot => this.snapshot;

  /** Counts generated tokens for the tokens/s readout (without notifying: too frequent). */
  countTokens = (added = 1): void => {
    this.snapshot = { ...this.snapshot, tokens: this.snapshot.tokens + added };
  };

  async start(options: LiveRunOptions): Promise<void> {
    const meta: RunMeta = {
      id: crypto.randomUUID(),
      kind: 'live',
      createdAt: Date.now(),
      updatedAt: Date.now(),
      state: 'running',
      model: options.model,
      settings: {
        mode: options.mode,
        seed: options.seed,
        n: options.n,
        k: options.k,
        temperature: options.temperature,
        topP: options.topP,
        problemIds: options.problemIds,
      },
      datasetLabel: options.dataset.label,
      stats: { genTokens: 0, genMs: 0, execMs: 0 },
      totalCases: this.countCases(options.dataset, options.problemIds, options.n),
    };
    await this.store.saveRun(meta);
    await this.execute(meta, [], options.dataset, options.generator, options.executor);
  }

  /** Continues a stored run where it stopped: finished cases are kept, the rest run. */
  async resume(
    runId: string,
    dataset: LoadedDataset,
    generator: TurnGenerator,
    executor: CaseExecutor,
  ): Promise<void> {
    const meta = await this.store.run(runId);
    if (!meta) throw new AppError('bad-input', 'That run no longer exists.');
    await this.execute(
      { ...meta, state: 'running' },
      await this.store.records(runId),
      dataset,
      generator,
      executor,
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

  /** Re-executes imported samples (e.g. from the official mtpb_sample.py) and shows verdicts. */
  async replay(
    label: string,
    lines: readonly ImportedLine[],
    executor: CaseExecutor,
  ): Promise<void> {
    const abort = this.begin();
    const meta: RunMeta = {
      id: crypto.randomUUID(),
      kind: 'replay',
      createdAt: Date.now(),
      updatedAt: Date.now(),
      state: 'running',
      model: null,
      settings: {
        mode: 'multi',
        seed: 0,
        n: 1,
        k: 1,
        temperature: 0,
        topP: 1,
        problemIds: [...new Set(lines.map((l) => l.sample.id))],
      },
      datasetLabel: label,
      stats: { genTokens: 0, genMs: 0, execMs: 0 },
      totalCases: lines.length,
    };
    await this.store.saveRun(meta);
    this.set({
      ...IDLE_SNAPSHOT,
      phase: 'running',
      run: meta,
      sessionStartedAt: performance.now(),
    });
    const runner = new MtpbRunner(
      { generate: () => Promise.reject(new Error('a replay generates nothing')) },
      executor,
      (event) => void this.onRunEvent(meta, 0, event),
    );
    this.runner = runner;
    try {
      await runner.replay(lines, new Set(), abort.signal);
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
    dataset: LoadedDataset,
    generator: TurnGenerator,
    executor: CaseExecutor,
  ): Promise<void> {
    const abort = this.begin();
    const problems = dataset.problems.filter((p) => meta.settings.problemIds.includes(p.id));
    const cells = this.cellsFrom(done);
    for (const problem of problems) {
      problem.inputs.forEach((_, c) => {
        for (let s = 0; s < meta.settings.n; s++)
          if (!cells.has(caseKey(problem.id, c, s)))
            cells.set(caseKey(problem.id, c, s), { kind: 'queued' });
      });
    }
    this.set({
      ...IDLE_SNAPSHOT,
      phase: 'running',
      run: meta,
      records: done,
      cells,
      sessionStartedAt: performance.now(),
    });
    const runner = new MtpbRunner(
      generator,
      executor,
      (event) =>
        void this.onRunEvent(
          meta,
          problems.find((p) => p.id === eventProblem(event))?.inputs.length ?? 0,
          event,
        ),
    );
    this.runner = runner;
    try {
      await runner.run(
        problems,
        { mode: meta.settings.mode, seed: meta.settings.seed, n: meta.settings.n },
        new Set(done.map((r) => caseKey(r.problemId, r.caseIndex, r.sample))),
        abort.signal,
      );
      await this.finish(meta, 'done');
    } catch (error) {
      await this.fail(meta, error);
    } finally {
      this.runner = null;
    }
  }

  private async onRunEvent(meta: RunMeta, cases: number, event: RunEvent): Promise<void> {
    const n = meta.settings.n;
    const forProblem = (problemId: string, view: CellView): void => {
      const cells = new Map(this.snapshot.cells);
      for (let c = 0; c < cases; c++)
        for (let s = 0; s < n; s++) {
          const key = caseKey(problemId, c, s);
          if (cells.get(key)?.kind !== 'done') cells.set(key, view);
        }
      this.set({ ...this.snapshot, cells });
    };
    switch (event.kind) {
      case 'generating':
        return forProblem(event.problemId, {
          kind: 'generating',
          turn: event.turn,
          turns: event.turns,
        });
      case 'executing':
        return this.setCell(caseKey(event.problemId, event.caseIndex, event.sample), {
          kind: 'executing',
        });
      case 'case':
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
    this.set({ ...this.snapshot, phase: state, run: final });
  }

  private async fail(meta: RunMeta, error: unknown): Promise<void> {
    if (isAppError(error, 'aborted')) return this.finish(meta, 'stopped');
    const appError = isAppError(error)
      ? error
      : new AppError('internal', error instanceof Error ? error.message : String(error));
    await this.write(() => this.store.saveRun({ ...meta, state: 'stopped' }));
    this.set({
      ...this.snapshot,
      phase: 'error',
      error: appError,
      run: { ...meta, state: 'stopped' },
    });
  }

  private countCases(dataset: LoadedDataset, ids: readonly string[], n: number): number {
    return dataset.problems
      .filter((p) => ids.includes(p.id))
      .reduce((sum, p) => sum + p.inputs.length * n, 0);
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

function eventProblem(event: RunEvent): string {
  return event.kind === 'case' ? event.record.problemId : event.problemId;
}
