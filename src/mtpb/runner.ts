import { AbortedError } from '../shared/errors.ts';
import type { PyValue } from '../python/core/pyvalue.ts';
import type { Problem } from './dataset.ts';
import { historyOf, turnsFor, wrapPrompt } from './protocol.ts';
import type { Mode } from './protocol.ts';
import { caseKey } from './records.ts';
import type { CaseRecord, ExecResult } from './records.ts';
import { MTPB_PREFIX } from '../python/core/program.ts';

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

export interface RunSettings {
  mode: Mode;
  seed: number;
  /** Samples per test case. */
  n: number;
}

export type RunEvent =
  | { kind: 'generating'; problemId: string; turn: number; turns: number }
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
  turns: Array<{ prompt: string; completion: string }>;
  tokens: number;
  overflow: boolean;
}

/**
 * Runs MTPB problems: the test cases (× samples) of a problem generate as one batch, turn by
 * turn, and problem k executes while problem k+1 generates. Pause holds before the next
 * turn; stop aborts at once. Records already done (a resumed run) are skipped.
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

  async run(
    problems: readonly Problem[],
    settings: RunSettings,
    done: ReadonlySet<string>,
    signal: AbortSignal,
  ): Promise<void> {
    let executing: Promise<void> = Promise.resolve();
    try {
      for (const problem of problems) {
        const rows = this.rowsToRun(problem, settings, done);
        if (rows.length === 0) continue;
        await this.generateProblem(problem, rows, settings, signal);
        await executing; // at most one problem executes while the next one generates
        executing = this.executeProblem(problem, rows, settings, signal);
      }
    } finally {
      await executing.catch(() => undefined);
    }
    await executing;
  }

  private rowsToRun(problem: Problem, settings: RunSettings, done: ReadonlySet<string>): Row[] {
    const rows: Row[] = [];
    problem.inputs.forEach((_, caseIndex) => {
      for (let sample = 0; sample < settings.n; sample++) {
        if (!done.has(caseKey(problem.id, caseIndex, sample)))
          rows.push({ caseIndex, sample, turns: [], tokens: 0, overflow: false });
      }
    });
    return rows;
  }

  private async generateProblem(
    problem: Problem,
    rows: Row[],
    settings: RunSettings,
    signal: AbortSignal,
  ): Promise<void> {
    const plans = rows.map((row) => turnsFor(problem, row.caseIndex, settings.mode));
    const turns = plans[0]?.length ?? 0;
    const started = performance.now();
    for (let turn = 0; turn < turns; turn++) {
      await this.paused?.promise;
      if (signal.aborted) throw new AbortedError('The run was stopped.');
      this.onEvent({ kind: 'generating', problemId: problem.id, turn, turns });
      const histories = rows.map((row, r) => historyOf(row.turns, plans[r]?.[turn]?.prompt ?? ''));
      const budget = plans[0]?.[turn]?.budget ?? problem.maxGenLength;
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
    }
    this.onEvent({
      kind: 'generated',
      problemId: problem.id,
      tokens: rows.reduce((n, r) => n + r.tokens, 0),
      ms: performance.now() - started,
    });
  }

  private async executeProblem(
    problem: Problem,
    rows: Row[],
    settings: RunSettings,
    signal: AbortSignal,
  ): Promise<void> {
    try {
      for (const row of rows) {
        if (signal.aborted) throw new AbortedError('The run was stopped.');
        this.onEvent({
          kind: 'executing',
          problemId: problem.id,
          caseIndex: row.caseIndex,
          sample: row.sample,
        });
        const program = historyOf(row.turns);
        const gold = problem.outputs[row.caseIndex];
        const exec: ExecResult = row.overflow
          ? {
              status: 'error',
              passed: false,
              printed: null,
              stdout: '',
              error: 'The prompt outgrew the model context (2048 tokens).',
              detail: 'context overflow: not run',
              execMs: 0,
            }
          : gold
            ? await this.executor.run(program, gold, signal)
            : {
                status: 'error',
                passed: false,
                printed: null,
                stdout: '',
                error: 'No gold output',
                detail: 'no gold output',
                execMs: 0,
              };
        this.onEvent({
          kind: 'case',
          record: {
            ...exec,
            problemId: problem.id,
            caseIndex: row.caseIndex,
            sample: row.sample,
            mode: settings.mode,
            input: problem.inputsJson[row.caseIndex],
            goldOutput: problem.outputsJson[row.caseIndex],
            turns: row.turns,
            program,
            promptsCompletions: [
              MTPB_PREFIX,
              ...row.turns.flatMap((t) => [wrapPrompt(t.prompt), `${t.completion}\n\n`]),
            ],
            contextOverflow: row.overflow,
            genTokens: row.tokens,
          },
        });
      }
      this.onEvent({ kind: 'problem-done', problemId: problem.id });
    } finally {
      this.executor.endProblem();
    }
  }
}
