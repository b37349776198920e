import type { GenerateProgress } from '../../src/shared/contracts/model-worker.ts';

/** How often a text-detail generation reports its counts: a readout, not a token stream. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * Counts generated tokens per row and reports them at most every `intervalMs`, so a
 * text-detail generation posts a handful of small messages instead of one per token.
 */
export class ProgressThrottle {
  private readonly tokens: number[];
  private lastSent: number;
  private unsent = false;

  constructor(
    rows: number,
    private readonly emit: (event: GenerateProgress) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
  ) {
    this.tokens = new Array<number>(rows).fill(0);
    this.lastSent = now();
  }

  /** One more token for `row` (in the request's order). */
  count(row: number): void {
    this.tokens[row] = (this.tokens[row] ?? 0) + 1;
    this.unsent = true;
    if (this.now() - this.lastSent >= this.intervalMs) this.send();
  }

  /** The final counts, if any token has not been reported yet. */
  flush(): void {
    if (this.unsent) this.send();
  }

  private send(): void {
    this.emit({ kind: 'generate-progress', tokens: [...this.tokens] });
    this.lastSent = this.now();
    this.unsent = false;
  }
}
