import type { ScoreRow, ScoredSpan } from '../shared/contracts/model-worker.ts';
import { AbortedError, AppError } from '../shared/errors.ts';
import type { ModelLimits, StepModel } from './generate.ts';
import type { StepInputs } from './onnx/causal-lm.ts';
import { buildContinuation, buildPrefill } from './padding.ts';
import { yieldToEventLoop } from './yield.ts';

/**
 * Teacher-forced scoring: the log-probability a model gives each token of a row's scored
 * spans, given every token of the row before it (prompt perplexity). Any engine: it needs
 * only StepModel.step, which returns each row's LAST-position logits, so the rows of a batch
 * advance through their columns together and a step ends where some row needs logits (the
 * position just before one of its scored tokens). An unscored stretch costs one step, a
 * scored token one step; tokens after a row's last scored one are never fed.
 *
 * Log-probabilities are those of generation's sampler (sampler.ts): softmax of the raw logits
 * at temperature 1 over the ids below `limits.vocabLimit` (the rest are masked), computed in
 * float64.
 */

export type { ScoreRow, ScoredSpan };

/** One row to score: its token ids, and the token index ranges [start, end) of its scored pieces. */
export interface ScoreIds {
  ids: number[];
  spans: Array<{ start: number; end: number }>;
}

export interface ScoreOptions {
  /** Rows per step at most (default SCORE_BATCH). */
  batch?: number;
  signal?: AbortSignal;
}

export const SCORE_BATCH = 8;

/**
 * A row's ids from its pieces: each piece tokenized on its own and the ids concatenated, so a
 * scored span is exactly its piece's tokens (tokenizing the joined text could merge tokens
 * across a boundary). One span per scored piece, in order.
 */
export function segmentIds(
  segments: ReadonlyArray<{ text: string; scored: boolean }>,
  encode: (text: string) => number[],
): ScoreIds {
  const ids: number[] = [];
  const spans: ScoreIds['spans'] = [];
  for (const { text, scored } of segments) {
    const start = ids.length;
    for (const id of encode(text)) ids.push(id);
    if (scored) spans.push({ start, end: ids.length });
  }
  return { ids, spans };
}

/**
 * A row joins a batch only when at least this share of the steps it needs are steps the batch
 * takes anyway. Rows whose scored tokens sit in other columns (multi-turn histories with
 * completions of other lengths) would otherwise add their steps to every row of the batch:
 * no fewer steps than scoring them apart, each over more rows.
 */
export const SHARED_STEPS = 0.5;

/** What a row needs: the token indices it wants logits for, and how many tokens that feeds. */
interface RowPlan {
  row: number;
  ids: readonly number[];
  /** Sorted token indices t ≥ 1 inside some span: scored given ids[0..t). */
  needed: number[];
  /** Tokens fed: ids[0..fed), fed = the last needed index. */
  fed: number;
}

/**
 * Scores each row; results in the order of `rows`. The model's cache is reset before and
 * after (nothing is left for a later generation's prefix reuse). A row longer than the
 * context is not run (`overflow`).
 */
export async function scoreRows(
  model: StepModel,
  rows: readonly ScoreIds[],
  limits: ModelLimits,
  options: ScoreOptions = {},
): Promise<ScoreRow[]> {
  const max = options.batch ?? SCORE_BATCH;
  if (!Number.isInteger(max) || max < 1)
    throw new AppError('bad-input', `The scoring batch must be a positive integer (got ${max}).`);
  const plans = rows.map((row, r) => planRow(row, r));
  const logprobs = rows.map((row) => new Float64Array(row.ids.length));
  const runnable = plans.filter(
    (plan) => plan.ids.length <= limits.contextLength && plan.needed.length > 0,
  );
  try {
    for (const batch of planBatches(runnable, max)) {
      const values = await scoreBatch(model, batch, limits, options.signal);
      batch.forEach((plan, b) => {
        const target = logprobs[plan.row]!;
        values[b]!.forEach((value, i) => {
          target[plan.needed[i]!] = value;
        });
      });
    }
  } finally {
    model.reset();
  }
  return rows.map((row, r) => {
    const overflow = row.ids.length > limits.contextLength;
    const spans: ScoredSpan[] = row.spans.map(({ start, end }) => {
      if (overflow) return { tokens: 0, logprob: 0 };
      let logprob = 0;
      const from = Math.max(start, 1);
      for (let t = from; t < end; t++) logprob += logprobs[r]?.[t] ?? 0;
      return { tokens: Math.max(0, end - from), logprob };
    });
    return {
      spans,
      tokens: spans.reduce((n, span) => n + span.tokens, 0),
      logprob: spans.reduce((n, span) => n + span.logprob, 0),
      overflow,
    };
  });
}

function planRow(row: ScoreIds, r: number): RowPlan {
  const { ids, spans } = row;
  ids.forEach((id) => {
    if (!Number.isInteger(id) || id < 0)
      throw new AppError('bad-input', `Row ${r} has a token id that is not one: ${id}.`);
  });
  const wanted = new Uint8Array(ids.length);
  for (const { start, end } of spans) {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start)
      throw new AppError('bad-input', `Row ${r} has an invalid span [${start}, ${end}).`);
    if (end > ids.length)
      throw new AppError(
        'bad-input',
        `Row ${r} has a span [${start}, ${end}) past its ${ids.length} tokens.`,
      );
    wanted.fill(1, Math.max(start, 1), end);
  }
  const needed: number[] = [];
  wanted.forEach((w, t) => w && needed.push(t));
  return { row: r, ids, needed, fed: needed.at(-1) ?? 0 };
}

/**
 * Groups rows into batches of at most `max`: rows in order of the tokens they feed (so a
 * batch's rows are of similar length and little is padding), each into the first batch that
 * already takes at least SHARED_STEPS of the steps it needs (rows are right-aligned, so a
 * step is a distance from the batch's end), else into a batch of its own.
 */
export function planBatches<T extends { needed: readonly number[]; fed: number }>(
  rows: readonly T[],
  max: number,
): T[][] {
  const sorted = [...rows].sort((a, b) => a.fed - b.fed);
  const open: Array<{ rows: T[]; ends: Set<number> }> = [];
  for (const row of sorted) {
    const ends = row.needed.map((t) => row.fed - t);
    const batch = open.find((b) => {
      if (b.rows.length >= max) return false;
      const shared = ends.filter((end) => b.ends.has(end)).length;
      return shared >= SHARED_STEPS * ends.length;
    });
    if (batch) {
      batch.rows.push(row);
      ends.forEach((end) => batch.ends.add(end));
    } else open.push({ rows: [row], ends: new Set(ends) });
  }
  return open.map((b) => b.rows);
}

/**
 * Scores one batch in lockstep from a fresh cache: rows are left-padded so each ends at the
 * same column (its last fed token), and each step runs the columns up to the next column at
 * which any row needs logits. Returns, per row, the log-probability of each of its `needed`
 * tokens, in order. The model's cache holds the batch afterwards.
 */
export async function scoreBatch(
  model: StepModel,
  rows: ReadonlyArray<{ ids: readonly number[]; needed: readonly number[]; fed: number }>,
  limits: ModelLimits,
  signal?: AbortSignal,
): Promise<Float64Array[]> {
  const width = Math.max(...rows.map((row) => row.fed));
  const offsets = rows.map((row) => width - row.fed);
  const ends = [...new Set(rows.flatMap((row, r) => row.needed.map((t) => offsets[r]! + t)))].sort(
    (a, b) => a - b,
  );
  const out = rows.map((row) => new Float64Array(row.needed.length));
  const next = rows.map(() => 0); // each row's next needed index (into `needed`)
  model.reset();
  model.reserve?.(rows.length, width);
  let done = 0; // columns the cache holds
  for (const end of ends) {
    if (signal?.aborted) throw new AbortedError('Scoring was stopped.');
    const { logits, vocab } = await model.step(columns(rows, offsets, done, end, limits.eosId));
    rows.forEach((row, r) => {
      const i = next[r]!;
      const t = row.needed[i];
      if (t === undefined || offsets[r]! + t !== end) return;
      out[r]![i] = tokenLogprob(logits, r * vocab, vocab, limits.vocabLimit, row.ids[t]!);
      next[r] = i + 1;
    });
    done = end;
    await yieldToEventLoop(); // a Stop sent meanwhile is seen before the next step
  }
  return out;
}

/** The step over columns [from, to) of right-aligned rows whose first `from` are cached. */
function columns(
  rows: ReadonlyArray<{ ids: readonly number[] }>,
  offsets: readonly number[],
  from: number,
  to: number,
  padId: number,
): StepInputs {
  const upTo = rows.map((row, r) => row.ids.slice(0, Math.max(0, to - offsets[r]!)));
  if (from === 0) return buildPrefill(upTo, padId).inputs;
  const kept = offsets.map((offset) => ({ keep: Math.max(0, from - offset) }));
  return buildContinuation(upTo, { width: from, rows: kept }, padId).inputs;
}

/**
 * ln p(id) under softmax of one row of logits over the ids below `vocabLimit`, in float64;
 * NaN logits are skipped as the sampler skips them. An id at or above the limit is masked.
 */
export function tokenLogprob(
  logits: Float32Array,
  offset: number,
  vocab: number,
  vocabLimit: number,
  id: number,
): number {
  const limit = Math.min(vocabLimit, vocab);
  let max = -Infinity;
  for (let i = 0; i < limit; i++) {
    const v = logits[offset + i]!;
    if (v > max) max = v;
  }
  if (!Number.isFinite(max)) {
    throw new AppError('bad-model', `The model produced no usable logits (largest: ${max}).`, {
      hint: 'This usually means numeric overflow in a half-precision model; try the fp32 or q4 variant.',
    });
  }
  let sum = 0;
  for (let i = 0; i < limit; i++) {
    const v = logits[offset + i]!;
    if (v > -Infinity) sum += Math.exp(v - max);
  }
  if (id >= limit) return -Infinity;
  return logits[offset + id]! - max - Math.log(sum);
}
