import type { CandidateRequest, StepCandidates } from '../generation/candidates.ts';
import { topIndices } from '../generation/select.ts';

/**
 * What a CandidateSource's stepCandidates returns for `logits` ([rows, vocab]), computed on
 * the CPU the way the GPU does: the top k ids below vocabLimit, best first, ties to the lower
 * id, NaN and -Infinity never candidates (-1 fills the rest); the largest logit (NaN skipped);
 * `total` in float32, each term rounded and then summed by a pairwise tree as a workgroup
 * reduction sums (the sampler's top-p test depends on it); `logZ` as the float64 value
 * rounded to float32 (only the reported logprobs depend on it, to within its rounding).
 * The reference the WGSL kernels are checked against, and the source of candidate test
 * doubles.
 */
export function cpuCandidates(
  logits: Float32Array,
  vocab: number,
  request: CandidateRequest,
): StepCandidates {
  const { k } = request;
  const rows = logits.length / vocab;
  const limit = Math.min(request.vocabLimit, vocab);
  const out: StepCandidates = {
    k,
    ids: new Int32Array(rows * k).fill(-1),
    logits: new Float32Array(rows * k).fill(-Infinity),
    max: new Float32Array(rows),
    logZ: new Float32Array(rows),
    total: new Float32Array(rows),
  };
  const invT = Math.fround(request.invTemperature);
  for (let r = 0; r < rows; r++) {
    const row = logits.subarray(r * vocab, r * vocab + limit);
    topIndices(row, limit, k).forEach((id, i) => {
      out.ids[r * k + i] = id;
      out.logits[r * k + i] = row[id] ?? -Infinity;
    });
    let max = -Infinity;
    for (const v of row) if (v > max) max = v;
    out.max[r] = max;
    let z = 0;
    for (const v of row) if (v > -Infinity) z += Math.exp(v - max);
    out.logZ[r] = max + Math.log(z);
    out.total[r] = float32Sum(row, (v) => Math.exp(Math.fround(Math.fround(v - max) * invT)));
  }
  return out;
}

/** Σ term(v) over the finite-or-+∞ values, each term and each partial sum in float32. */
function float32Sum(values: Float32Array, term: (v: number) => number): number {
  const partial = new Float32Array(values.length); // stores round to float32
  values.forEach((v, i) => (partial[i] = v > -Infinity ? term(v) : 0));
  for (let width = 1; width < partial.length; width *= 2) {
    for (let i = 0; i + width < partial.length; i += 2 * width) {
      partial[i] = (partial[i] ?? 0) + (partial[i + width] ?? 0);
    }
  }
  return partial[0] ?? 0;
}
