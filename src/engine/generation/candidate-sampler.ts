/**
 * Sampling from a row's top candidates (candidates.ts) instead of its full logits, choosing
 * exactly the token sampleLogits would choose with the same rng state. settleCandidates
 * decides, before any draw, whether the candidates determine the choice; when they do not,
 * the caller reads the full row and samples it with sampleLogits, which makes the same one
 * draw. So a seed gives the same tokens however many rows the candidates settled.
 */
import type { StepCandidates } from './candidates.ts';
import {
  activeTopK,
  alternativesWanted,
  NUCLEUS_HEAD,
  nucleusPrefix,
  scoreToken,
  sum,
  topKDraw,
  walk,
  weight,
} from './draw.ts';
import type { Rng } from './rng.ts';
import type { SampledToken, SampleOptions } from './sampler.ts';

/** A row's next token as its candidates settle it, before the draw. */
export interface Settlement {
  /** The row's candidates with finite logits, best first (ties: lower id first). */
  readonly ids: Int32Array;
  /** Their logits. */
  readonly logits: Float32Array;
  /** The row's log-partition at temperature 1, for the logprobs. */
  readonly logZ: number;
  /** Alternatives sampleSettled reports; `ids` ranks at least one more id (or all there are). */
  readonly alternatives: number;
  /** null: greedy, the first candidate. Otherwise a draw over the first `kept` of `ids`. */
  readonly draw: { readonly weights: Float64Array; readonly kept: number } | null;
}

/**
 * How far the GPU's `total` may be from the float64 sum the full path computes, relative.
 * Its terms carry float32 rounding of (logit - max) * invT (≲ 2e-7 · |x| each) and WGSL's
 * exp error bound (3 + 2|x| ULP), which weighted by the terms stays below ~1e-5 of the sum,
 * and the float32 summation adds at most (additions a term passes through) · 2^-24: below
 * 1e-3 for any reduction whose longest serial chain is under ~16k terms, which any parallel
 * reduction over a 51,200-id row is. A settlement must hold for every total in this band.
 */
export const TOTAL_RELATIVE_ERROR = 1e-3;

/**
 * How row `row` of `candidates` settles the token sampleLogits would pick from the full row
 * with `options`, or null when it takes the full row. Draws nothing, so a null leaves the
 * rng for the full path. Settled:
 * - greedy: the first candidate (argmax, ties to the lower id);
 * - top-k with k ≤ the candidates: the same weights and nucleus as sampleLogits' top-k;
 * - top-p alone: when sampleLogits' nucleus-head test (its first NUCLEUS_HEAD ids) succeeds
 *   within the candidates, for every total within TOTAL_RELATIVE_ERROR of the GPU's.
 * Never settled: no filter (a multinomial in id order needs every id), more alternatives
 * than the candidates rank, or no finite largest logit (sampleLogits reports that error).
 * Assumes the request's vocabLimit is at most the logits' width, as it is for CodeGen.
 */
export function settleCandidates(
  candidates: StepCandidates,
  row: number,
  options: SampleOptions,
): Settlement | null {
  const { k } = candidates;
  const max = candidates.max[row] ?? Number.NaN;
  const rowIds = candidates.ids.subarray(row * k, (row + 1) * k);
  const finite = rowIds.indexOf(-1);
  const count = finite < 0 ? k : finite;
  const alternatives = alternativesWanted(options);
  // The full path ranks alternatives + 1 ids; k of them here, so those must fit in k.
  if (!Number.isFinite(max) || count === 0 || alternatives + 1 > k) return null;

  const ids = rowIds.subarray(0, count);
  const logits = candidates.logits.subarray(row * k, row * k + count);
  const settled = (draw: Settlement['draw']): Settlement => ({
    ids,
    logits,
    logZ: candidates.logZ[row] ?? Number.NaN,
    alternatives,
    draw,
  });
  const p = options.params;
  if (p.kind === 'greedy') return settled(null);

  const topK = activeTopK(p, options.vocabLimit);
  if (topK > 0) {
    // The full path ranks topK ids; fewer than topK candidates means the row has no more.
    if (topK > k) return null;
    const n = Math.min(topK, count);
    return settled(topKDraw(n, (i) => logits[i] ?? -Infinity, max, p));
  }
  if (p.topP >= 1) return null;

  // sampleLogits' nucleus-head test: with needed = total · topP, the head's smallest prefix
  // reaching `needed` is the nucleus if the head's mass reaches it. Here the head is the
  // first min(NUCLEUS_HEAD, count) candidates: when k < NUCLEUS_HEAD a nucleus found inside
  // them is the one the full head gives (same prefix sums); one not found is left unsettled.
  const invT = 1 / p.temperature;
  const head = Float64Array.from(logits.subarray(0, NUCLEUS_HEAD), (l) => weight(l, max, invT));
  const total = candidates.total[row] ?? Number.NaN;
  const lowest = total * (1 - TOTAL_RELATIVE_ERROR) * p.topP;
  const highest = total * (1 + TOTAL_RELATIVE_ERROR) * p.topP;
  // The prefix is monotone in `needed`, so equal at both ends means equal for all between.
  const kept = nucleusPrefix(head, highest);
  if (!(sum(head) >= highest) || nucleusPrefix(head, lowest) !== kept) return null;
  return settled({ weights: head, kept });
}

/** sampleLogits' result for a settled row: the same token for the same rng state. */
export function sampleSettled(settlement: Settlement, rng: Rng): SampledToken {
  const { ids, logits, alternatives, logZ } = settlement;
  const tokenId = pickSettled(settlement, rng);
  const logitOf = (id: number): number => logits[ids.indexOf(id)] ?? -Infinity;
  return scoreToken(tokenId, ids.subarray(0, alternatives + 1), alternatives, logitOf, logZ);
}

/** pickLogits' result for a settled row: one rng draw when sampling, none when greedy. */
export function pickSettled(settlement: Settlement, rng: Rng): number {
  const { ids, draw } = settlement;
  return draw ? walk(ids, draw.weights, draw.kept, rng.next()) : (ids[0] ?? -1);
}
