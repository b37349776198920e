import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import type { SampleParams, SamplingParams } from './params.ts';
import { createRng, type Rng } from './rng.ts';
import { pickLogits, Sampler, sampleLogits } from './sampler.ts';

const VOCAB = 51200; // CodeGen's embedding rows
const TOKENIZER = 50295; // ids the tokenizer can produce

/** An Rng whose next() always returns u: turns a draw into a deterministic inverse-CDF probe. */
function fixedRng(u: number): Rng {
  return { next: () => u, nextUint32: () => Math.floor(u * 2 ** 32) };
}

/** Random logits like a model's: roughly normal, with coarse rounding so ties occur. */
function randomLogits(rng: Rng, length: number, scale = 3): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const normal = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    out[i] = Math.round(normal * scale * 8) / 8;
  }
  return out;
}

/** The brute-force definition: sort everything, warp, filter, renormalise. id → probability. */
function referenceDistribution(
  logits: Float32Array,
  limit: number,
  p: SampleParams,
): Map<number, number> {
  const ids = Array.from({ length: limit }, (_, i) => i).filter(
    (i) => (logits[i] ?? -Infinity) > -Infinity,
  );
  ids.sort((a, b) => (logits[b] ?? 0) - (logits[a] ?? 0) || a - b);
  const kept = p.topK > 0 ? ids.slice(0, p.topK) : ids;
  const max = logits[kept[0] ?? 0] ?? 0;
  const w = kept.map((i) => Math.exp(((logits[i] ?? 0) - max) / p.temperature));
  const total = w.reduce((a, b) => a + b, 0);
  let count = kept.length;
  if (p.topP < 1) {
    let cumulative = 0;
    for (let j = 0; j < kept.length; j++) {
      cumulative += (w[j] ?? 0) / total;
      if (cumulative >= p.topP) {
        count = j + 1;
        break;
      }
    }
  }
  const mass = w.slice(0, count).reduce((a, b) => a + b, 0);
  return new Map(kept.slice(0, count).map((id, j) => [id, (w[j] ?? 0) / mass]));
}

function logSoftmax(logits: Float32Array, limit: number): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < limit; i++) max = Math.max(max, logits[i] ?? -Infinity);
  let sum = 0;
  for (let i = 0; i < limit; i++) sum += Math.exp((logits[i] ?? 0) - max);
  return Float64Array.from(logits.subarray(0, limit), (v) => v - max - Math.log(sum));
}

describe('greedy', () => {
  it('picks the argmax and breaks ties toward the lowest id', () => {
    const logits = Float32Array.from([0, 5, 2, 5, 1]);
    const result = sampleLogits(
      logits,
      { vocabLimit: 5, params: { kind: 'greedy' } },
      fixedRng(0.9),
    );
    expect(result.tokenId).toBe(1);
    // The tied token is the first alternative.
    expect(result.top[0]?.tokenId).toBe(3);
  });

  it('never picks an id at or above the tokenizer size, however large its logit', () => {
    const logits = randomLogits(createRng(1), VOCAB);
    logits[TOKENIZER] = 1000;
    logits[VOCAB - 1] = 1000;
    const result = sampleLogits(
      logits,
      { vocabLimit: TOKENIZER, params: { kind: 'greedy' } },
      fixedRng(0),
    );
    expect(result.tokenId).toBeLessThan(TOKENIZER);
    for (const alt of result.top) expect(alt.tokenId).toBeLessThan(TOKENIZER);
  });
});

describe('logprobs', () => {
  it('are the temperature-1 log-softmax over unmasked ids, whatever the sampling params', () => {
    const logits = randomLogits(createRng(2), VOCAB);
    logits[VOCAB - 10] = 50; // masked: must not leak into the normaliser
    const reference = logSoftmax(logits, TOKENIZER);
    const settings: SamplingParams[] = [
      { kind: 'greedy' },
      { kind: 'sample', temperature: 0.2, topP: 0.95, topK: 0 },
      { kind: 'sample', temperature: 1.7, topP: 1, topK: 40 },
    ];
    for (const params of settings) {
      const result = sampleLogits(logits, { vocabLimit: TOKENIZER, params }, createRng(3));
      expect(result.logprob).toBeCloseTo(reference[result.tokenId] ?? Number.NaN, 5);
      expect(result.top).toHaveLength(5);
      for (const alt of result.top) {
        expect(alt.tokenId).not.toBe(result.tokenId);
        expect(alt.logprob).toBeCloseTo(reference[alt.tokenId] ?? Number.NaN, 5);
      }
      const logprobs = result.top.map((t) => t.logprob);
      expect(logprobs).toEqual([...logprobs].sort((a, b) => b - a));
      const mass = [result, ...result.top].reduce((acc, t) => acc + Math.exp(t.logprob), 0);
      expect(mass).toBeLessThanOrEqual(1 + 1e-9);
    }
  });

  it('are the top alternatives excluding the chosen token, also when it is not the argmax', () => {
    const logits = Float32Array.from([4, 3, 2, 1, 0, -1, -2]);
    const params: SampleParams = { kind: 'sample', temperature: 100, topP: 1, topK: 0 };
    // u near 1 lands on the last id in id order.
    const result = sampleLogits(
      logits,
      { vocabLimit: 7, params, alternatives: 3 },
      fixedRng(0.999999),
    );
    expect(result.tokenId).toBe(6);
    expect(result.top.map((t) => t.tokenId)).toEqual([0, 1, 2]);
  });

  it('fail loudly when no logit is finite', () => {
    const logits = new Float32Array(8).fill(Number.NaN);
    logits[7] = 3; // above the limit, so still nothing usable
    let caught: unknown;
    try {
      sampleLogits(logits, { vocabLimit: 7, params: { kind: 'greedy' } }, fixedRng(0));
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught, 'bad-model')).toBe(true);
  });
});

describe('top-k / top-p against a brute-force reference', () => {
  const cases: SampleParams[] = [
    { kind: 'sample', temperature: 1, topP: 1, topK: 0 },
    { kind: 'sample', temperature: 0.2, topP: 0.95, topK: 0 },
    { kind: 'sample', temperature: 1, topP: 0.9, topK: 0 },
    { kind: 'sample', temperature: 2.5, topP: 0.5, topK: 0 },
    { kind: 'sample', temperature: 0.7, topP: 1, topK: 1 },
    { kind: 'sample', temperature: 0.7, topP: 1, topK: 7 },
    { kind: 'sample', temperature: 1.3, topP: 0.6, topK: 50 },
  ];

  it('draws each token with the reference probability (inverse-CDF grid)', () => {
    const rng = createRng(4);
    const N = 1000;
    for (const params of cases) {
      for (let trial = 0; trial < 3; trial++) {
        // Small vocabularies make flat distributions, where the nucleus spans many tokens.
        const vocab = trial === 0 ? 300 : 1500;
        const limit = vocab - 17;
        const logits = randomLogits(rng, vocab, trial === 2 ? 0.3 : 3);
        const reference = referenceDistribution(logits, limit, params);
        const counts = new Map<number, number>();
        for (let j = 0; j < N; j++) {
          const { tokenId } = sampleLogits(
            logits,
            { vocabLimit: limit, params },
            fixedRng((j + 0.5) / N),
          );
          counts.set(tokenId, (counts.get(tokenId) ?? 0) + 1);
        }
        for (const [id, count] of counts) {
          expect(reference.has(id), `token ${id} outside the reference support`).toBe(true);
          expect(Math.abs(count / N - (reference.get(id) ?? 0))).toBeLessThanOrEqual(
            1.5 / N + 1e-9,
          );
        }
        // The least likely kept token must still be reachable when its share is visible.
        for (const [id, p] of reference) if (p > 2 / N) expect(counts.has(id)).toBe(true);
      }
    }
  });

  it('keeps exactly the smallest nucleus when the cut falls on a tie', () => {
    // Probabilities 0.4, 0.2, 0.2, 0.2: top-p 0.6 keeps ids 0 and 1 only (lower id wins the tie).
    const logits = Float32Array.from([Math.log(0.4), Math.log(0.2), Math.log(0.2), Math.log(0.2)]);
    const params: SampleParams = { kind: 'sample', temperature: 1, topP: 0.6, topK: 0 };
    const seen = new Set<number>();
    for (let j = 0; j < 200; j++) {
      seen.add(sampleLogits(logits, { vocabLimit: 4, params }, fixedRng(j / 200)).tokenId);
    }
    expect([...seen].sort()).toEqual([0, 1]);
  });
});

describe('seeded sampling', () => {
  it('gives the same tokens for the same seed and different ones for another seed', () => {
    const source = createRng(5);
    const steps = Array.from({ length: 50 }, () => randomLogits(source, 4096, 1));
    const run = (seed: number, stream = 0): number[] => {
      const sampler = new Sampler(
        { vocabLimit: 4000, params: { kind: 'sample', temperature: 1, topP: 0.95, topK: 0 } },
        seed,
        stream,
      );
      return steps.map((logits) => sampler.sample(logits).tokenId);
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
    expect(run(11, 0)).not.toEqual(run(11, 1));
  });

  it('pick() makes the same choices as sample(), for every kind of params', () => {
    const source = createRng(8);
    const steps = Array.from({ length: 40 }, () => randomLogits(source, 4096, 2));
    const kinds: SamplingParams[] = [
      { kind: 'greedy' },
      { kind: 'sample', temperature: 0.2, topP: 0.95, topK: 0 }, // MTPB's
      { kind: 'sample', temperature: 1, topP: 1, topK: 0 },
      { kind: 'sample', temperature: 0.7, topP: 0.9, topK: 40 },
      { kind: 'sample', temperature: 3, topP: 0.5, topK: 0 }, // a nucleus past the heap's head
    ];
    for (const params of kinds) {
      const options = { vocabLimit: 4000, params };
      const scored = new Sampler(options, 21, 1);
      const picked = new Sampler(options, 21, 1);
      const a = steps.map((logits) => scored.sample(logits).tokenId);
      const b = steps.map((logits) => picked.pick(logits));
      expect(b).toEqual(a);
    }
    const dead = new Float32Array(8).fill(-Infinity);
    expect(() =>
      pickLogits(dead, { vocabLimit: 8, params: { kind: 'greedy' } }, fixedRng(0)),
    ).toThrow(/no usable logits/);
  });

  it('matches the intended distribution over many draws', () => {
    const logits = Float32Array.from([0.5, 0.25, 0.125, 0.125, 0.9].map(Math.log));
    const limit = 4; // id 4 is padding and must never appear
    const frequencies = (params: SampleParams, draws = 20_000): number[] => {
      const sampler = new Sampler({ vocabLimit: limit, params }, 2024);
      const counts = new Array<number>(5).fill(0);
      for (let i = 0; i < draws; i++) {
        const id = sampler.sample(logits).tokenId;
        counts[id] = (counts[id] ?? 0) + 1;
      }
      return counts.map((c) => c / draws);
    };
    const close = (actual: number[], expected: number[]): void => {
      // 20k draws: standard error ≤ 0.0036, so 0.015 is over 4 sigma.
      actual.forEach((f, i) => expect(Math.abs(f - (expected[i] ?? 0))).toBeLessThan(0.015));
    };
    close(
      frequencies({ kind: 'sample', temperature: 1, topP: 1, topK: 0 }),
      [0.5, 0.25, 0.125, 0.125, 0],
    );
    // Temperature 0.5 squares the probabilities before renormalising.
    const sq = [0.25, 0.0625, 0.015625, 0.015625];
    const z = sq.reduce((a, b) => a + b, 0);
    close(frequencies({ kind: 'sample', temperature: 0.5, topP: 1, topK: 0 }), [
      ...sq.map((p) => p / z),
      0,
    ]);
    close(frequencies({ kind: 'sample', temperature: 1, topP: 1, topK: 2 }), [
      2 / 3,
      1 / 3,
      0,
      0,
      0,
    ]);
    close(frequencies({ kind: 'sample', temperature: 1, topP: 0.7, topK: 0 }), [
      2 / 3,
      1 / 3,
      0,
      0,
      0,
    ]);
  });
});
