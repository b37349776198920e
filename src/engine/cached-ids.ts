import type { StepInputs } from './onnx/causal-lm.ts';
import type { CachedRows, RetainLayout } from './prefix-reuse.ts';

/**
 * Which token ids each row of a key/value cache holds, for prefix reuse (prefix-reuse.ts):
 * every engine records its steps here. Rows are right-aligned at the cache's width; a row
 * whose mask has a hole (a masked column after a real one) can no longer be described as a
 * prefix and becomes null.
 */
export class CachedIds {
  private rows: Array<number[] | null> = [];

  /** Appends a step's unmasked ids; `past` is the cache width before the step. */
  record({ batch, seq, inputIds, attentionMask }: StepInputs, past: number): void {
    const width = past + seq;
    if (past === 0) this.rows = Array.from({ length: batch }, () => []);
    for (let b = 0; b < batch; b++) {
      const ids = this.rows[b];
      if (!ids) continue;
      for (let i = 0; i < seq; i++) {
        if (attentionMask[b * width + past + i] === 1n) ids.push(Number(inputIds[b * seq + i]));
        else if (ids.length > 0) {
          this.rows[b] = null;
          break;
        }
      }
    }
  }

  /** The rows as the reuse policy sees them, or null when nothing is cached. */
  describe(width: number): CachedRows | null {
    return width > 0 ? { width, rows: this.rows } : null;
  }

  /** Tokens each row holds (0 for a broken row). */
  rowLengths(): number[] {
    return this.rows.map((ids) => ids?.length ?? 0);
  }

  /** The rows after a cut to `layout` (the engine has moved the keys and values alike). */
  retain(layout: RetainLayout): void {
    this.rows = layout.rows.map(({ from, keep }) => (this.rows[from] ?? []).slice(0, keep));
  }

  clear(): void {
    this.rows = [];
  }
}
