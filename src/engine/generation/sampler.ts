import { AppError } from '../../shared/errors.ts';
import type { StepCandidates } from './candidates.ts';
import {
  pickSettled,
  sampleSettled,
  settleCandidates,
  type Settlement,
} from './candidate-sampler.ts';
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
import type { SampleParams, SamplingParams } from './params.ts';
import { createRng, type Rng } from './rng.ts';
import { nucleusIds, topIndices } from './select.ts';

/**
 * What the logprobs mean
 * ----------------------
 * Every `logprob` here is a natural log of a probability under the MODEL's next-token
 * distribution: softmax of the raw logits at temperature 1, over the ids below `vocabLimit`
 * (ids at or above it get probability 0). It does not depend on temperature, top-k or top-p,
 * so a token inspector shows what the model believed, and a token has the same logprob in a
 * greedy run and a sampled one. `top` holds the most likely OTHER tokens, so the chosen
 * token's probability plus those of its alternatives is the mass of distinct tokens of one
 * distribution: at most 1.
 *
 * Which token is chosen follows the sampling distribution instead: logits / temperature,
 * then top-k, then top-p on what is left (renormalised), as Hugging Face `generate` orders
 * its warpers.
 */
export interface TokenLogprob {
  tokenId: number;
  logprob: number;
}

export interface SampledToken extends TokenLogprob {
  /** The most likely tokens other than `tokenId`, most likely first (ties: lower id first). */
  top: TokenLogprob[];
}

export interface SampleOptions {
  /**
   * The tokenizer's size. CodeGen's embedding has 51200 rows but its tokenizer only 50295
   * ids; the padding rows are untrained, so they are masked rather than trusted to be small.
   */
  vocabLimit: number;
  params: SamplingParams;
  /** How many alternatives to report; default 5. */
  alternatives?: number;
}

/**
 * Picks one token from one row of logits ([vocab_size], possibly wider than vocabLimit).
 * Greedy consumes no randomness and breaks ties toward the lowest id; sampling draws exactly
 * one number from `rng`, so a seeded rng makes it reproducible.
 */
export function sampleLogits(logits: Float32Array, options: SampleOptions, rng: Rng): SampledToken {
  const limit = Math.min(options.vocabLimit, logits.length);
  const max = finiteMax(logits, limit);
  const logZ = max + Math.log(sumExp(logits, limit, max));
  const tokenId = choose(logits, limit, max, options.params, rng);
  const wanted = alternativesWanted(options);
  const ranked = topIndices(logits, limit, wanted + 1);
  return scoreToken(tokenId, ranked, wanted, (id) => logits[id] ?? -Infinity, logZ);
}

/**
 * The token sampleLogits would pick from the same logits and rng state, without its
 * log-probability or alternatives: no log-softmax pass, no top-k selection. For generation
 * that keeps only ids and text (the benchmark).
 */
export function pickLogits(logits: Float32Array, options: SampleOptions, rng: Rng): number {
  const limit = Math.min(options.vocabLimit, logits.length);
  return choose(logits, limit, finiteMax(logits, limit), options.params, rng);
}

function choose(
  logits: Float32Array,
  limit: number,
  max: number,
  params: SamplingParams,
  rng: Rng,
): number {
  return params.kind === 'greedy'
    ? argmax(logits, limit)
    : drawFiltered(logits, limit, max, params, rng);
}

/**
 * A sampler that owns its RNG: one per generated row, so rows never share a stream. It
 * samples from a full row of logits or from a Settlement of the row's candidates
 * (candidate-sampler.ts); both draw the same one number, so a seed gives the same tokens.
 */
export class Sampler {
  private readonly rng: Rng;

  constructor(
    private readonly options: SampleOptions,
    seed: number,
    stream = 0,
  ) {
    this.rng = createRng(seed, stream);
  }

  /**
   * How row `row` of `candidates` settles this sampler's next token, or null when only the
   * full row can (see settleCandidates). Draws nothing. `scored`: the settlement is for
   * sample(), with alternatives; otherwise for pick(), which needs fewer candidates.
   */
  settle(candidates: StepCandidates, row: number, scored: boolean): Settlement | null {
    const options = scored ? this.options : { ...this.options, alternatives: 0 };
    return settleCandidates(candidates, row, options);
  }

  sample(from: Float32Array | Settlement): SampledToken {
    return from instanceof Float32Array
      ? sampleLogits(from, this.options, this.rng)
      : sampleSettled(from, this.rng);
  }

  /** The same choice as sample(), ids only (see pickLogits). */
  pick(from: Float32Array | Settlement): number {
    return from instanceof Float32Array
      ? pickLogits(from, this.options, this.rng)
      : pickSettled(from, this.rng);
  }
}

/** The largest logit below limit (NaN skipped); throws if it is not finite. */
function finiteMax(logits: Float32Array, limit: number): number {
  let max = -Infinity;
  for (let i = 0; i < limit; i++) {
    const v = logits[i] ?? -Infinity;
    if (v > max) max = v;
  }
  if (!Number.isFinite(max)) {
    // All -Infinity/NaN, or +Infinity (fp16 overflow): no distribution to sample from.
    throw new AppError('bad-model', `The model produced no usable logits (largest: ${max}).`, {
      hint: 'This usually means numeric overflow in a half-precision model; try the fp32 or q4 variant.',
    });
  }
  return max;
}

/** Σ exp(logit - max) over the logits below limit. */
function sumExp(logits: Float32Array, limit: number, max: number): number {
  let sum = 0;
  for (let i = 0; i < limit; i++) {
    const v = logits[i] ?? -Infinity;
    if (v > -Infinity) sum += Math.exp(v - max);
  }
  return sum;
}

function argmax(logits: Float32Array, limit: number): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < limit; i++) {
    const v = logits[i] ?? -Infinity;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

/**
 * exp((logit - max) / T) per id. Reused across calls (JS is single-threaded per worker) so a
 * step allocates nothing vocabulary-sized: at ~50 tokens/s that would be 20 MB/s of garbage.
 */
let scratch = new Float64Array(0);

function drawFiltered(
  logits: Float32Array,
  limit: number,
  max: number,
  p: SampleParams,
  rng: Rng,
): number {
  const invT = 1 / p.temperature;
  const u = rng.next();

  // top-k as large as the vocabulary filters nothing; don't pay for a full heap sort.
  const topK = activeTopK(p, limit);
  if (topK > 0) {
    const ids = topIndices(logits, limit, topK);
    const at = (i: number): number => logits[ids[i] ?? 0] ?? -Infinity;
    const { weights, kept } = topKDraw(ids.length, at, max, p);
    return walk(ids, weights, kept, u);
  }

  if (scratch.length < limit) scratch = new Float64Array(limit);
  const weights = scratch;
  let total = 0;
  for (let i = 0; i < limit; i++) {
    weights[i] = weight(logits[i] ?? -Infinity, max, invT);
    total += weights[i] ?? 0;
  }
  if (p.topP < 1) {
    const needed = total * p.topP;
    // Peaked distributions (low temperature, confident code) usually fit in a few dozen
    // tokens: one cheap heap pass settles them; otherwise select the nucleus by mass.
    // candidate-sampler.ts repeats this test on the GPU's candidates: keep the two in step.
    const head = topIndices(logits, limit, NUCLEUS_HEAD);
    const headWeights = Float64Array.from(head, (id) => weights[id] ?? 0);
    const kept = nucleusPrefix(headWeights, needed);
    if (kept < head.length || sum(headWeights) >= needed) return walk(head, headWeights, kept, u);
    const ids = nucleusIds(weights, limit, needed);
    return walk(ids, weights, ids.length, u, true);
  }
  // No filter: a plain multinomial draw in id order.
  const target = u * total;
  let cumulative = 0;
  let lastPositive = -1;
  for (let i = 0; i < limit; i++) {
    const w = weights[i] ?? 0;
    if (w <= 0) continue;
    cumulative += w;
    lastPositive = i;
    if (target < cumulative) return i;
  }
  return lastPositive; // only reached through rounding
}
