/**
 * The pieces a token choice is made of, shared by the full-row sampler (sampler.ts) and the
 * candidate sampler (candidate-sampler.ts) so both compute the same floating-point values in
 * the same order: that is what makes one seed give one token whichever path runs.
 */
import type { SampleParams } from './params.ts';
import type { SampledToken, SampleOptions, TokenLogprob } from './sampler.ts';

/** Candidates the top-p branch ranks by heap before falling back to a selection by mass. */
export const NUCLEUS_HEAD = 64;

/** Alternatives a SampledToken reports unless the options say otherwise. */
export function alternativesWanted(options: SampleOptions): number {
  return Math.max(0, options.alternatives ?? 5);
}

/** The top-k that filters anything: 0 when off, or when it keeps the whole vocabulary. */
export function activeTopK(p: SampleParams, limit: number): number {
  return p.topK > 0 && p.topK < limit ? p.topK : 0;
}

/** A logit's unnormalised weight under temperature 1 / invT; a NaN logit weighs 0. */
export function weight(logit: number, max: number, invT: number): number {
  const w = Math.exp((logit - max) * invT);
  return w > 0 ? w : 0;
}

/**
 * Top-k's draw: the weights of the `count` best ids (the i-th best has logit `logitAt(i)`),
 * and how many of them top-p keeps, measured against their own mass.
 */
export function topKDraw(
  count: number,
  logitAt: (i: number) => number,
  max: number,
  p: SampleParams,
): { weights: Float64Array; kept: number } {
  const invT = 1 / p.temperature;
  const weights = new Float64Array(count);
  for (let i = 0; i < count; i++) weights[i] = weight(logitAt(i), max, invT);
  const kept = p.topP < 1 ? nucleusPrefix(weights, sum(weights) * p.topP) : count;
  return { weights, kept };
}

export function sum(weights: Float64Array): number {
  let s = 0;
  for (const w of weights) s += w;
  return s;
}

/** The smallest prefix of best-first `weights` whose mass reaches `needed` (all if none). */
export function nucleusPrefix(weights: Float64Array, needed: number): number {
  let cumulative = 0;
  for (let i = 0; i < weights.length; i++) {
    cumulative += weights[i] ?? 0;
    if (cumulative >= needed) return i + 1;
  }
  return weights.length;
}

/**
 * Inverse-CDF draw over the first `count` candidates, renormalised to their own mass.
 * `weights` is parallel to `ids`, or indexed by token id when `byId`.
 */
export function walk(
  ids: Int32Array,
  weights: Float64Array,
  count: number,
  u: number,
  byId = false,
): number {
  const weightOf = (i: number): number => weights[byId ? (ids[i] ?? 0) : i] ?? 0;
  let mass = 0;
  for (let i = 0; i < count; i++) mass += weightOf(i);
  const target = u * mass;
  let cumulative = 0;
  let lastPositive = ids[0] ?? -1;
  for (let i = 0; i < count; i++) {
    const w = weightOf(i);
    if (w <= 0) continue;
    cumulative += w;
    lastPositive = ids[i] ?? lastPositive;
    if (target < cumulative) return lastPositive;
  }
  return lastPositive;
}

/**
 * `tokenId` with its log-probability and the `wanted` most likely other tokens, taken from
 * `ranked`: the row's best ids, best first, wanted + 1 of them (fewer only when the row has
 * fewer finite logits), so the alternatives are right whether or not they include tokenId.
 */
export function scoreToken(
  tokenId: number,
  ranked: Int32Array,
  wanted: number,
  logitOf: (id: number) => number,
  logZ: number,
): SampledToken {
  const top: TokenLogprob[] = [];
  for (const id of ranked) {
    if (id !== tokenId && top.length < wanted) {
      top.push({ tokenId: id, logprob: logitOf(id) - logZ });
    }
  }
  return { tokenId, logprob: logitOf(tokenId) - logZ, top };
}
