import type { Mode } from '../protocol.ts';
import type { CaseExecutor } from '../runner.ts';

/**
 * Takes turns between the two runs of a comparison: multi-turn generates a problem, then
 * single-turn generates the same problem, then multi-turn the next, and so on. A run that
 * has ended (finished, stopped or failed) no longer holds the other up. Only generation
 * alternates; a problem's execution overlaps the other run's generation as in one run.
 */
export class Alternation {
  private turn: Mode;
  private readonly ended = new Set<Mode>();
  private readonly waiting = new Map<Mode, () => void>();

  /** `first`: the run that generates first (a resumed comparison starts with the one behind). */
  constructor(first: Mode = 'multi') {
    this.turn = first;
  }

  /** Resolves when `lane` may generate its next problem. */
  enter(lane: Mode): Promise<void> {
    if (this.turn === lane || this.ended.has(other(lane))) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(lane, resolve));
  }

  /** `lane` finished generating a problem: the other run's turn. */
  leave(lane: Mode): void {
    if (this.turn !== lane) return;
    this.pass(other(lane));
  }

  /** `lane` has no more problems to generate (or stopped): the other goes on alone. */
  end(lane: Mode): void {
    this.ended.add(lane);
    this.pass(other(lane));
  }

  private pass(to: Mode): void {
    this.turn = to;
    const wake = this.waiting.get(to);
    this.waiting.delete(to);
    wake?.();
  }
}

const other = (lane: Mode): Mode => (lane === 'multi' ? 'single' : 'multi');

/**
 * One sandbox for two runs: a fresh interpreter per problem (CaseExecutor.endProblem) means a
 * run must hold it from a problem's first case to its endProblem, or the other run's reset
 * would land in the middle of it. Each run gets its own view of the shared executor.
 */
export class SharedExecutor {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly executor: CaseExecutor) {}

  /** A CaseExecutor for one run: its problems take the sandbox one at a time. */
  lane(): CaseExecutor {
    let release: (() => void) | null = null;
    const acquire = async (): Promise<void> => {
      if (release) return;
      const previous = this.queue;
      let done = (): void => {};
      this.queue = new Promise<void>((resolve) => (done = resolve));
      release = done;
      await previous;
    };
    return {
      run: async (program, check, signal) => {
        await acquire();
        return this.executor.run(program, check, signal);
      },
      endProblem: () => {
        // Only a run holding the sandbox resets it: the other may be mid-problem.
        if (!release) return;
        this.executor.endProblem();
        const done = release;
        release = null;
        done();
      },
    };
  }
}
