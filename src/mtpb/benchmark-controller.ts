import { AppError, isAppError } from '../shared/errors.ts';
import { summarize } from './metrics.ts';
import type { RunSummary } from './metrics.ts';
import type { BenchmarkId, RunSettings } from './protocol.ts';
import { caseKey } from './records.ts';
import type { CaseRecord } from './records.ts';
import type { TokenProgress } from './model-generator.ts';
import { IDLE_SNAPSHOT, resumeDifferences, RunController } from './run-controller.ts';
import type { RunSnapshot, RunSuite } from './run-controller.ts';
import type { RunModel } from './run-model.ts';
import type { CaseExecutor, Job, TurnGenerator } from './runner.ts';
import type { RunDescription, RunMeta, RunStore } from './storage/run-store.ts';
import { CompareController, IDLE_COMPARISON } from './compare/compare-controller.ts';
import type { ComparisonSnapshot } from './compare/compare-controller.ts';
import type { Mode } from './protocol.ts';

export interface RunListEntry {
  meta: RunMeta;
  summary: RunSummary;
}

/** Everything the Benchmark view shows, as one immutable snapshot. */
export interface BenchmarkState {
  store: 'opening' | 'ready' | 'error';
  storeError: AppError | null;
  /** The current (or last) run: cells, records, phase. */
  run: RunSnapshot;
  /** The current (or last opened) multi- vs single-turn comparison: its two runs. */
  comparison: ComparisonSnapshot;
  /** Stored runs, newest first, each with its summary. */
  runs: readonly RunListEntry[];
  /** Runs a closed tab left running, offered for resuming. */
  interrupted: readonly RunMeta[];
  /** The last action's failure, shown until dismissed or the next action. */
  actionError: AppError | null;
  /** Cases a replay will judge, shown as queued before it reaches them. */
  expectedKeys: readonly string[];
  /**
   * A resume held back because the loaded model differs from the run's: what differs, until
   * the user continues anyway or cancels.
   */
  resumeCheck: { meta: RunMeta; model: RunModel; differences: string[] } | null;
}

export interface BenchmarkDeps {
  openStore: () => Promise<RunStore>;
  /** The sandbox: created on the first run that needs it, then reused. */
  createExecutor: () => Promise<CaseExecutor>;
  /**
   * The model, sampling and stopping as the run's settings and benchmark ask; `onTokens` feeds
   * the tokens/s readout and cell counts.
   */
  generator: (settings: RunSettings, onTokens: TokenProgress) => TurnGenerator;
  /** The app's version (package.json), recorded with each run. */
  appVersion: string;
}

export const toAppError = (error: unknown): AppError =>
  isAppError(error)
    ? error
    : new AppError('internal', error instanceof Error ? error.message : String(error));

export const isActive = (phase: RunSnapshot['phase']): boolean =>
  phase === 'running' || phase === 'paused';

/** Before the store has opened. */
export const INITIAL_BENCHMARK_STATE: BenchmarkState = {
  store: 'opening',
  storeError: null,
  run: IDLE_SNAPSHOT,
  comparison: IDLE_COMPARISON,
  runs: [],
  interrupted: [],
  actionError: null,
  expectedKeys: [],
  resumeCheck: null,
};

/**
 * The Benchmark view's state and actions, with no React in sight (the hook only subscribes):
 * opens the run store, lists stored runs with their summaries, runs one benchmark at a time
 * through RunController, and reports each action's failure as `actionError`.
 */
export class BenchmarkController {
  private state: BenchmarkState = INITIAL_BENCHMARK_STATE;
  private readonly listeners = new Set<() => void>();
  private store: RunStore | null = null;
  private runs: RunController | null = null;
  private compare: CompareController | null = null;
  private executor: Promise<CaseExecutor> | null = null;
  private readonly summaries = new Map<string, { updatedAt: number; summary: RunSummary }>();
  /** Bumped by each open() and close(): an open() that a close() overtook gives up. */
  private generation = 0;
  private unsubscribeRun: (() => void) | null = null;

  constructor(private readonly deps: BenchmarkDeps) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Stable while nothing changed; tokens are counted without notifying, read on each call. */
  getState = (): BenchmarkState => {
    const run = this.runs?.getSnapshot() ?? IDLE_SNAPSHOT;
    if (run !== this.state.run) this.state = { ...this.state, run };
    const comparison = this.compare?.getSnapshot() ?? IDLE_COMPARISON;
    if (comparison !== this.state.comparison) this.state = { ...this.state, comparison };
    return this.state;
  };

  /**
   * Opens the store; a run still marked running was left by a closed tab (this one just
   * started). May follow close() (React StrictMode mounts twice): an open that a close
   * overtook closes what it opened.
   */
  async open(): Promise<void> {
    const generation = ++this.generation;
    const stale = (): boolean => generation !== this.generation;
    try {
      const store = await this.deps.openStore();
      if (stale()) return store.close();
      const left = await store.markInterrupted();
      if (stale()) return store.close();
      this.store = store;
      this.runs = new RunController(store);
      let last = { phase: IDLE_SNAPSHOT.phase, id: undefined as string | undefined };
      this.unsubscribeRun = this.runs.subscribe(() => {
        const snapshot = this.getState().run;
        this.emit();
        // The list follows the current run's state changes, not each finished case.
        if (snapshot.phase !== last.phase || snapshot.run?.id !== last.id) {
          last = { phase: snapshot.phase, id: snapshot.run?.id };
          void this.refreshRuns();
        }
      });
      this.compare = new CompareController(store);
      let lastComparison = { phase: IDLE_COMPARISON.phase, id: null as string | null };
      const unsubscribeCompare = this.compare.subscribe(() => {
        const snapshot = this.getState().comparison;
        this.emit();
        if (snapshot.phase !== lastComparison.phase || snapshot.id !== lastComparison.id) {
          lastComparison = { phase: snapshot.phase, id: snapshot.id };
          void this.refreshRuns();
        }
      });
      const unsubscribeRun = this.unsubscribeRun;
      this.unsubscribeRun = () => {
        unsubscribeRun?.();
        unsubscribeCompare();
      };
      this.set({
        store: 'ready',
        storeError: null,
        interrupted: left.map((run) => ({ ...run, state: 'interrupted' })),
      });
      await this.refreshRuns();
    } catch (error) {
      if (stale()) return;
      this.set({
        store: 'error',
        storeError: new AppError('storage-quota', `Saved runs cannot be opened: ${String(error)}`, {
          hint: 'The browser refused IndexedDB (private mode or storage turned off). Allow site storage and reload.',
        }),
      });
    }
  }

  close(): void {
    this.generation++;
    this.unsubscribeRun?.();
    this.unsubscribeRun = null;
    this.runs?.stop();
    this.runs = null;
    this.compare?.close();
    this.compare = null;
    this.store?.close();
    this.store = null;
    this.set({ ...INITIAL_BENCHMARK_STATE });
  }

  start = (settings: RunSettings, suite: RunSuite, model: RunModel): Promise<void> =>
    this.act(async (runs) => {
      const executor = await this.sandbox();
      this.set({ expectedKeys: [], resumeCheck: null });
      await runs.start({
        ...settings,
        suite,
        model,
        appVersion: this.deps.appVersion,
        generator: this.deps.generator(settings, runs.countTokens),
        executor,
      });
    });

  /**
   * Resumes a stored run on the loaded model. When that model differs from the run's, nothing
   * runs: `resumeCheck` says what differs until the user continues anyway (`acceptDifferences`)
   * or cancels.
   */
  resume = (
    meta: RunMeta,
    suite: RunSuite,
    model: RunModel,
    acceptDifferences = false,
  ): Promise<void> =>
    this.act(async (runs) => {
      const differences = resumeDifferences(meta, model);
      if (differences.length > 0 && !acceptDifferences) {
        this.set({ resumeCheck: { meta, model, differences } });
        return;
      }
      const executor = await this.sandbox();
      this.set({
        expectedKeys: [],
        resumeCheck: null,
        interrupted: this.state.interrupted.filter((run) => run.id !== meta.id),
      });
      await runs.resume(
        meta.id,
        suite,
        this.deps.generator(meta.settings, runs.countTokens),
        executor,
        { model, acceptDifferences },
      );
    });

  cancelResume = (): void => this.set({ resumeCheck: null });

  /**
   * Runs the same problems, seed and settings in both modes, alternating problem by problem,
   * as two linked runs (src/mtpb/compare). `settings.mode` is ignored.
   */
  startComparison = (settings: RunSettings, suite: RunSuite, model: RunModel): Promise<void> =>
    this.act(async () => {
      const compare = this.compare;
      if (!compare) return;
      const executor = await this.sandbox();
      this.set({ expectedKeys: [], resumeCheck: null });
      await compare.start({
        ...settings,
        suite,
        model,
        appVersion: this.deps.appVersion,
        generator: (mode: Mode, countTokens) =>
          this.deps.generator({ ...settings, mode }, countTokens),
        executor,
      });
    });

  openComparison = (comparisonId: string): Promise<void> =>
    this.act(async () => {
      await this.compare?.open(comparisonId);
    });

  pauseComparison = (): void => this.compare?.pause();
  resumePausedComparison = (): void => this.compare?.resumePaused();

  /**
   * Goes on with a stored comparison (stopped, or left by a closed tab): both unfinished runs
   * resume, taking turns again. A model that differs from the runs' is refused unless
   * accepted, as for one run (the runs record the switch).
   */
  resumeComparison = (
    comparisonId: string,
    suite: RunSuite,
    model: RunModel,
    acceptDifferences = false,
  ): Promise<void> =>
    this.act(async (_runs, store) => {
      const compare = this.compare;
      if (!compare) return;
      // Asked once for both runs, before either moves: one refused and one resumed would
      // leave a comparison that no longer alternates.
      const linked = (await store.runs()).filter((m) => m.comparison?.id === comparisonId);
      const differences = [...new Set(linked.flatMap((m) => resumeDifferences(m, model)))];
      const first = linked[0];
      if (first && differences.length > 0 && !acceptDifferences) {
        this.set({ resumeCheck: { meta: first, model, differences } });
        return;
      }
      const executor = await this.sandbox();
      this.set({
        expectedKeys: [],
        resumeCheck: null,
        interrupted: this.state.interrupted.filter((run) => run.comparison?.id !== comparisonId),
      });
      await compare.resume(comparisonId, suite, this.deps.generator, executor, {
        model,
        acceptDifferences,
      });
    });

  stopComparison = (): void => this.compare?.stop();

  openRun = (runId: string): Promise<void> =>
    this.act(async (runs) => {
      this.set({ expectedKeys: [] });
      await runs.open(runId);
    });

  /** `source`: the metadata file that came with the samples (the run that wrote them). */
  replay = (
    label: string,
    jobs: readonly Job[],
    source: RunDescription | null = null,
    benchmark: BenchmarkId = 'mtpb',
    temperatures: readonly number[] = [],
  ): Promise<void> =>
    this.act(async (runs) => {
      const executor = await this.sandbox();
      this.set({
        expectedKeys: jobs.map((j) => caseKey(j.problemId, j.caseIndex, j.sample)),
        resumeCheck: null,
      });
      await runs.replay(label, jobs, executor, source, benchmark, temperatures);
    });

  remove = (runId: string): Promise<void> =>
    this.act(
      async (_runs, store) => {
        await store.deleteRun(runId);
        this.summaries.delete(runId);
        this.set({ interrupted: this.state.interrupted.filter((run) => run.id !== runId) });
        await this.refreshRuns();
      },
      { idleFirst: this.getState().run.run?.id === runId },
    );

  records = async (runId: string): Promise<CaseRecord[]> =>
    this.store ? this.store.records(runId) : [];

  pause = (): void => this.runs?.pause();
  resumePaused = (): void => this.runs?.resumePaused();
  stop = (): void => this.runs?.stop();
  dismissError = (): void => this.set({ actionError: null });

  /** Never throws: a failure shows as actionError, and none once the store was closed. */
  private async refreshRuns(): Promise<void> {
    const store = this.store;
    if (!store) return;
    try {
      const metas = await store.runs();
      const runs = await Promise.all(
        metas.map(async (meta) => {
          const cached = this.summaries.get(meta.id);
          if (cached?.updatedAt === meta.updatedAt) return { meta, summary: cached.summary };
          const summary = summarize(await store.records(meta.id));
          this.summaries.set(meta.id, { updatedAt: meta.updatedAt, summary });
          return { meta, summary };
        }),
      );
      if (this.store === store) this.set({ runs });
    } catch (error) {
      // A view that went away closed the store while the list was being read.
      if (this.store === store) this.set({ actionError: toAppError(error) });
    }
  }

  /** The sandbox boots once and serves every run; a failed boot is retried on the next run. */
  private sandbox(): Promise<CaseExecutor> {
    this.executor ??= this.deps.createExecutor().catch((error: unknown) => {
      this.executor = null;
      throw error;
    });
    return this.executor;
  }

  private async act(
    task: (runs: RunController, store: RunStore) => Promise<void>,
    { idleFirst = true }: { idleFirst?: boolean } = {},
  ): Promise<void> {
    const { runs, store } = this;
    if (!runs || !store) return;
    this.set({ actionError: null });
    try {
      if (idleFirst && (isActive(runs.getSnapshot().phase) || this.compare?.active))
        throw new AppError('bad-input', 'A run is in progress.', {
          hint: 'Stop it first, or wait for it to finish.',
        });
      await task(runs, store);
    } catch (error) {
      this.set({ actionError: toAppError(error) });
    }
  }

  private set(change: Partial<BenchmarkState>): void {
    this.state = { ...this.getState(), ...change };
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
