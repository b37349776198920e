/**
 * Prefix reuse: one policy for every engine. A generation may start from what a key/value
 * cache already holds: each new prompt is matched with the cached row that shares the
 * longest token prefix with it, the cache is cut back to that prefix (MTPB truncation drops
 * generated tokens; BPE can merge tokens across the old end), and only the rest is
 * prefilled. Engines implement the cut (`KvCache.retain`); this file decides it.
 */

/**
 * What a cache holds, row by row: the token ids whose keys and values it has, in order.
 * Rows are right-aligned at column `width` (left padding, as generation lays them out);
 * a row the engine can no longer describe this way (a hole in its mask) is null.
 */
export interface CachedRows {
  width: number;
  rows: ReadonlyArray<readonly number[] | null>;
}

/** Row r of the next batch keeps the first `keep` cached tokens of cached row `from`. */
export interface RetainedRow {
  from: number;
  keep: number;
}

/** How an engine cuts its cache back: kept rows end at column `width`, right-aligned. */
export interface RetainLayout {
  width: number;
  rows: readonly RetainedRow[];
}

/** What an engine offers the policy. */
export interface KvCache {
  readonly cached: CachedRows | null;
  /**
   * False when the graph derives positions from columns (no position_ids input): a kept row
   * must then stay in the columns it was computed in, or its rotary phases would be wrong.
   */
  readonly movesRows: boolean;
  /** Replaces the cache with `layout`: each row's kept tokens, right-aligned at its width. */
  retain(layout: RetainLayout): Promise<void>;
}

export interface ReusePlan extends RetainLayout {
  /** The columns every row prefills after the kept ones (rows with fewer are left-padded). */
  block: number;
  /** Prompt tokens taken from the cache instead of prefilled. */
  reused: number;
}

/** Length of the common prefix of two id sequences. */
export function commonPrefix(a: readonly number[], b: readonly number[]): number {
  const end = Math.min(a.length, b.length);
  let i = 0;
  while (i < end && a[i] === b[i]) i++;
  return i;
}

/**
 * How the next batch of `prompts` continues from `cached`, or null to prefill from scratch
 * (nothing to keep, or a layout the engine cannot make). Every row prefills the same number
 * of columns, `block`: the longest new suffix of any row. A row with a shorter suffix
 * re-prefills a few of its prefix tokens rather than padding inside the sequence, so rows
 * stay contiguous and left-padded, as a fresh prefill lays them out; computing a pad
 * column costs the same as a real one. Each row re-prefills at least its last token, whose
 * logits the first sample needs.
 */
export function planReuse(
  cached: CachedRows | null,
  prompts: readonly (readonly number[])[],
  movesRows: boolean,
): ReusePlan | null {
  if (!cached || cached.rows.length === 0 || prompts.length === 0) return null;
  const matches = prompts.map((prompt) => bestRow(cached, prompt));
  const block = Math.max(...prompts.map((prompt, r) => prompt.length - (matches[r]?.length ?? 0)));
  const rows: RetainedRow[] = prompts.map((prompt, r) => ({
    from: matches[r]?.from ?? 0,
    keep: Math.max(0, prompt.length - block),
  }));
  const width = Math.max(...rows.map((row) => row.keep));
  if (width === 0) return null;
  if (!movesRows) {
    // Kept rows must keep their columns: the row's old left padding is its new one.
    const staysPut = rows.every(
      ({ from, keep }) =>
        keep === 0 || cached.width - (cached.rows[from]?.length ?? 0) === width - keep,
    );
    if (!staysPut) return null;
  }
  return { width, rows, block, reused: rows.reduce((n, row) => n + row.keep, 0) };
}

/** The cached row sharing the longest prefix with `prompt`, capped one short of its end. */
function bestRow(
  cached: CachedRows,
  prompt: readonly number[],
): { from: number; length: number } | null {
  let best: { from: number; length: number } | null = null;
  cached.rows.forEach((ids, from) => {
    if (!ids) return;
    const length = Math.min(commonPrefix(ids, prompt), prompt.length - 1);
    if (length > 0 && (!best || length > best.length)) best = { from, length };
  });
  return best;
}
