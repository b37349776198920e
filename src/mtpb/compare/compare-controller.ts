import { AppError } from '../../shared/errors.ts';
import type { Mode, RunSettings } from '../protocol.ts';
import { IDLE_SNAPSHOT, RunController } from '../run-controller.ts';
import type { LiveRunOptions, ResumeOptions, RunSnapshot, RunSuite } from '../run-controller.ts';
import type { CaseExecutor, TurnGenerator } from '../runner.ts';
import type { RunMeta, RunStore } from '../storage/run-store.ts';
import { Alternation, SharedExecutor } from './alternation.ts';
import { MODES } from './analysis.ts';

export type ComparisonPhase = RunSnapshot['phase'];

/** Both runs of a comparison as the view shows them. */
export interface ComparisonSnapshot {
  /** The comparison's id (both runs carry it), or null before any. */
  id: string | null;
  phase: ComparisonPhase;
  lanes: Record<Mode, RunSnapshot>;
}

export const IDLE_COMPARISON: ComparisonSnapshot = {
  id: null,
  phase: 'idle',
  lanes: { multi: IDLE_SNAPSHOT, single: IDLE_SNAPSHOT },
};

/** What starting a comparison takes: one run's options less the mode, per-mode generators. */
export type ComparisonOptions = Omit<
  LiveRunOptions,
  'mode' | 'generator' | 'comparison' | 'gate'
> & {
  /** Each run's generator, fed that run's token counts. */
  generator: (mode: Mode, countTokens: RunController['countTokens']) => TurnGenerator;
};

/** One phase for both runs: running or paused while either is; an error wins; done when both are. */
export function combinedPhase(lanes: Record<Mode, RunSnapshot>): ComparisonPhase {
  const phases = MODES.map((mode) => lanes[mode].phase);
  if (phases.includes('error')) return 'error';
  if (phases.includes('running')) return 'running';
  if (phases.includes('paused')) return 'paused';
  if (phases.every((p) => p === 'done')) return 'done';
  if (phases.every((p) => p === 'idle')) return 'idle';
  return 'stopped';
}

/**
 * The paper's experiment in one click: the same problems, seed and settings run turn by turn
 * and as one turn, as two stored runs linked by a comparison id. Generation alternates problem
 * by problem (multi, then single, then the next problem), so a comparison stopped at any point
 * has both modes at the same problem, give or take the one in flight; the two runs share the
 * sandbox, one problem at a time.
 */
export class CompareController {
  private readonly lanes: Record<Mode, RunController>;
  private snapshot: ComparisonSnapshot = IDLE_COMPARISON;
  private id: string | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: Array<() => void>;

  constructor(private readonly store: RunStore) {
    this.lanes = { multi: new RunController(store), single: new RunController(store) };
    this.unsubscribe = MODES.map((mode) => this.lanes[mode].subscribe(() => this.emit()));
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Stable while neither run changed (token counts are read on each call, as for one run). */
  getSnapshot = (): ComparisonSnapshot => {
    const lanes = {
      multi: this.lanes.multi.getSnapshot(),
      single: this.lanes.single.getSnapshot(),
    };
    if (
      lanes.multi !== this.snapshot.lanes.multi ||
      lanes.single !== this.snapshot.lanes.single ||
      this.id !== this.snapshot.id
    )
      this.snapshot = { id: this.id, phase: combinedPhase(lanes), lanes };
    return this.snapshot;
  };

  get active(): boolean {
    const phase = this.getSnapshot().phase;
    return phase === 'running' || phase === 'paused';
  }

  async start(options: ComparisonOptions): Promise<void> {
    if (this.active) throw new AppError('bad-input', 'A comparison is already running.');
    const id = crypto.randomUUID();
    this.id = id;
    const alternation = new Alternation();
    const shared = new SharedExecutor(options.executor);
    await Promise.all(
      MODES.map(async (mode) => {
        const lane = this.lanes[mode];
        try {
          await lane.start({
            ...options,
            mode,
            comparison: { id, mode },
            generator: options.generator(mode, lane.countTokens),
            executor: shared.lane(),
            gate: { enter: () => alternation.enter(mode), leave: () => alternation.leave(mode) },
          });
        } finally {
          alternation.end(mode);
        }
      }),
    );
  }

  /** Shows a stored comparison: its two runs, found by the id they carry. */
  async open(comparisonId: string): Promise<void> {
    if (this.active) throw new AppError('bad-input', 'A comparison is running.');
    const runs = await this.runsOf(comparisonId);
    this.id = comparisonId;
    await Promise.all(MODES.map((mode) => this.lanes[mode].open(runs[mode].id)));
    this.emit();
  }

  /**
   * Goes on with a stored comparison that stopped (or whose tab closed): each unfinished run
   * resumes where it stopped, and the two take turns again; a finished one only shows.
   */
  async resume(
    comparisonId: string,
    suite: RunSuite,
    /** Each run's generator, for its stored settings, fed that run's token counts. */
    generator: (settings: RunSettings, countTokens: RunController['countTokens']) => TurnGenerator,
    executor: CaseExecutor,
    options: ResumeOptions,
  ): Promise<void> {
    if (this.active) throw new AppError('bad-input', 'A comparison is already running.');
    const runs = await this.runsOf(comparisonId);
    this.id = comparisonId;
    // The run with fewer finished cases is behind (stopped mid-problem): it goes first.
    const [multiDone, singleDone] = await Promise.all(
      MODES.map(async (mode) => (await this.store.records(runs[mode].id)).length),
    );
    const alternation = new Alternation((singleDone ?? 0) < (multiDone ?? 0) ? 'single' : 'multi');
    const shared = new SharedExecutor(executor);
    await Promise.all(
      MODES.map(async (mode) => {
        const lane = this.lanes[mode];
        try {
          if (runs[mode].state === 'done') return await lane.open(runs[mode].id);
          await lane.resume(
            runs[mode].id,
            suite,
            generator(runs[mode].settings, lane.countTokens),
            shared.lane(),
            options,
            { enter: () => alternation.enter(mode), leave: () => alternation.leave(mode) },
          );
        } finally {
          alternation.end(mode);
        }
      }),
    );
  }

  /** Both runs of a stored comparison, by mode. */
  private async runsOf(comparisonId: string): Promise<Record<Mode, RunMeta>> {
    const metas = await this.store.runs();
    const find = (mode: Mode) =>
      metas.find((m) => m.comparison?.id === comparisonId && m.comparison.mode === mode);
    const multi = find('multi');
    const single = find('single');
    if (!multi || !single)
      throw new AppError('bad-input', 'One of the comparison’s two runs no longer exists.', {
        hint: 'Open the remaining run on its own from the saved runs.',
      });
    return { multi, single };
  }

  /** Pauses the runs still running (one may have finished first). */
  pause = (): void =>
    MODES.forEach((mode) => {
      if (this.lanes[mode].getSnapshot().phase === 'running') this.lanes[mode].pause();
    });
  resumePaused = (): void =>
    MODES.forEach((mode) => {
      if (this.lanes[mode].getSnapshot().phase === 'paused') this.lanes[mode].resumePaused();
    });
  stop = (): void => MODES.forEach((mode) => this.lanes[mode].stop());

  /** Forgets what is shown (after its runs were deleted). */
  clear(): void {
    if (this.active) return;
    this.id = null;
    this.emit();
  }

  close(): void {
    this.stop();
    this.unsubscribe.forEach((off) => off());
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
