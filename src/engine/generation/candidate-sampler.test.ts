import { describe, expect, it } from 'vitest';
import { cpuCandidates } from '../testing/cpu-candidates.ts';
import {
  pickSettled,
  sampleSettled,
  settleCandidates,
  TOTAL_RELATIVE_ERROR,
} from './candidate-sampler.ts';
import type { StepCandidates } from './candidates.ts';
import type { SampleParams, SamplingParams } from './params.ts';
import { createRng, type Rng } from './rng.ts';
import { pickLogits, sampleLogits, type SampleOptions } from './sampler.ts';

const invTemperature = (params: SamplingParams): number =>
  params.kind === 'sample' ? 1 / params.temperature : 1;

/** Candidates of a [rows, vocab] batch as the GPU computes them for these params. */
function candidatesFor(
  logits: Float32Array,
  vocab: number,
  vocabLimit: number,
  params: SamplingParams,
  k = 64,
): StepCandidates {
  return cpuCandidates(logits, vocab, { k, vocabLimit, invTemperature: invTemperature(params) });
}

function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

type Shape = 'normal' | 'peaked' | 'flat' | 'equal' | 'holes' | 'sparse' | 'two-peaks';

/**
 * One row of a given shape, rounded coarsely so ties occur. Ids from `limit` on are masked
 * padding and get logits larger than any real one, which must never matter.
 */
function makeRow(rng: Rng, vocab: number, limit: number, shape: Shape): Float32Array {
  const row = new Float32Array(vocab);
  for (let i = 0; i < vocab; i++) {
    const z = normal(rng);
    switch (shape) {
      case 'normal':
      case 'holes':
      case 'sparse':
        row[i] = Math.round(z * 3 * 8) / 8;
        break;
      case 'peaked':
      case 'two-peaks':
        row[i] = Math.round(z * 8) / 8;
        break;
      case 'flat':
        row[i] = Math.round(z * 0.05 * 64) / 64;
        break;
      case 'equal':
        row[i] = 1.5;
        break;
    }
    if (shape === 'holes') {
      const roll = rng.next();
      if (roll < 0.3) row[i] = -Infinity;
      else if (roll < 0.35) row[i] = Number.NaN;
    }
    if (shape === 'sparse' && rng.next() > 20 / vocab) row[i] = -Infinity;
  }
  if (shape === 'peaked') row[Math.floor(rng.next() * limit)] = 12;
  if (shape === 'two-peaks') {
    row[Math.floor(rng.next() * limit)] = 9;
    row[Math.floor(rng.next() * limit)] = 9;
  }
  for (let i = limit; i < vocab; i++) row[i] = i % 2 === 0 ? 40 : Number.NaN;
  return row;
}

const TEMPERATURES = [0.2, 0.6, 1, 1.5];
const TOP_PS = [0.5, 0.95, 1];
const TOP_KS = [0, 1, 5, 40, 64, 100];
const PARAMS: SamplingParams[] = [
  { kind: 'greedy' },
  ...TEMPERATURES.flatMap((temperature) =>
    TOP_PS.flatMap((topP) =>
      TOP_KS.map((topK): SampleParams => ({ kind: 'sample', temperature, topP, topK })),
    ),
  ),
];

interface Tally {
  settled: number;
  unsettled: number;
}

/**
 * Settles every row of `logits` both ways (scored and ids-only) and checks each settled
 * token against the full path with an identically seeded rng — the same token, logprob and
 * alternatives, and the same number of draws. Returns how many rows settled.
 */
function checkBatch(
  logits: Float32Array,
  vocab: number,
  options: SampleOptions,
  candidates: StepCandidates,
  seed: number,
): Tally {
  const tally: Tally = { settled: 0, unsettled: 0 };
  const rows = logits.length / vocab;
  for (let r = 0; r < rows; r++) {
    const row = logits.subarray(r * vocab, (r + 1) * vocab);
    for (const scored of [true, false]) {
      const settleOptions = scored ? options : { ...options, alternatives: 0 };
      const settlement = settleCandidates(candidates, r, settleOptions);
      if (!settlement) {
        tally.unsettled++;
        continue;
      }
      tally.settled++;
      const viaCandidates = createRng(seed, r);
      const viaRow = createRng(seed, r);
      if (scored) {
        const got = sampleSettled(settlement, viaCandidates);
        const want = sampleLogits(row, options, viaRow);
        expect(got.tokenId).toBe(want.tokenId);
        expect(Math.abs(got.logprob - want.logprob)).toBeLessThanOrEqual(1e-6);
        expect(got.top.map((t) => t.tokenId)).toEqual(want.top.map((t) => t.tokenId));
        got.top.forEach((t, i) =>
          expect(Math.abs(t.logprob - (want.top[i]?.logprob ?? NaN))).toBeLessThanOrEqual(1e-6),
        );
      } else {
        expect(pickSettled(settlement, viaCandidates)).toBe(pickLogits(row, options, viaRow));
      }
      // Both consumed the same number of draws.
      expect(viaCandidates.nextUint32()).toBe(viaRow.nextUint32());
    }
  }
  return tally;
}

/** A copy of `candidates` with each row's total scaled, as a less exact GPU sum would be. */
function withTotalScaled(candidates: StepCandidates, factor: number): StepCandidates {
  return { ...candidates, total: candidates.total.map((t) => t * factor) };
}

describe('sampling from candidates chooses what the full row would', () => {
  const SHAPES: Shape[] = ['normal', 'peaked', 'flat', 'equal', 'holes', 'sparse', 'two-peaks'];

  it('for every sampling setting, over many random rows (ties, masks, -Infinity, NaN)', () => {
    const source = createRng(2024);
    const perSetting = new Map<string, Tally>();
    for (const vocab of [300, 2000]) {
      const limit = vocab - 17;
      const rows = SHAPES.flatMap((shape) =>
        [0, 1].map(() => makeRow(source, vocab, limit, shape)),
      );
      const batch = new Float32Array(rows.length * vocab);
      rows.forEach((row, r) => batch.set(row, r * vocab));
      PARAMS.forEach((params, p) => {
        const options = { vocabLimit: limit, params };
        const candidates = candidatesFor(batch, vocab, limit, params);
        const tally = checkBatch(batch, vocab, options, candidates, 1000 * vocab + p);
        // A GPU whose total is off by most of the assumed error band changes nothing.
        for (const factor of [1 - 0.9 * TOTAL_RELATIVE_ERROR, 1 + 0.9 * TOTAL_RELATIVE_ERROR]) {
          checkBatch(batch, vocab, options, withTotalScaled(candidates, factor), p);
        }
        const key = JSON.stringify(params);
        const sum = perSetting.get(key) ?? { settled: 0, unsettled: 0 };
        perSetting.set(key, {
          settled: sum.settled + tally.settled,
          unsettled: sum.unsettled + tally.unsettled,
        });
      });
    }

    // Which settings settle is decided by the rule, not by luck.
    let nucleus: Tally = { settled: 0, unsettled: 0 };
    for (const params of PARAMS) {
      const tally = perSetting.get(JSON.stringify(params));
      if (params.kind === 'greedy' || (params.topK >= 1 && params.topK <= 64)) {
        expect(tally?.unsettled, JSON.stringify(params)).toBe(0);
      } else if (params.topP === 1 || params.topK > 0) {
        expect(tally?.settled, JSON.stringify(params)).toBe(0);
      } else {
        nucleus = {
          settled: nucleus.settled + (tally?.settled ?? 0),
          unsettled: nucleus.unsettled + (tally?.unsettled ?? 0),
        };
      }
    }
    // Top-p alone settles peaked rows and leaves flat ones to the full path.
    expect(nucleus.settled).toBeGreaterThan(0);
    expect(nucleus.unsettled).toBeGreaterThan(0);
  });

  it("on CodeGen-sized rows (51,200 logits, the tokenizer's 50,295)", () => {
    const source = createRng(7);
    const vocab = 51200;
    const limit = 50295;
    const batch = new Float32Array(3 * vocab);
    (['normal', 'peaked', 'flat'] as const).forEach((shape, r) =>
      batch.set(makeRow(source, vocab, limit, shape), r * vocab),
    );
    const settings: SamplingParams[] = [
      { kind: 'greedy' },
      { kind: 'sample', temperature: 0.2, topP: 0.95, topK: 0 }, // MTPB's
      { kind: 'sample', temperature: 0.6, topP: 0.5, topK: 0 },
      { kind: 'sample', temperature: 1, topP: 0.95, topK: 40 },
      { kind: 'sample', temperature: 1.5, topP: 1, topK: 64 },
    ];
    settings.forEach((params, p) => {
      const options = { vocabLimit: limit, params };
      const tally = checkBatch(
        batch,
        vocab,
        options,
        candidatesFor(batch, vocab, limit, params),
        p,
      );
      expect(tally.settled).toBeGreaterThan(0);
    });
  });

  it('with fewer candidates than the nucleus head (k = 16, 6 and 5)', () => {
    const source = createRng(99);
    const vocab = 500;
    const limit = 480;
    const rows = (['normal', 'peaked', 'flat', 'holes', 'two-peaks'] as const).map((shape) =>
      makeRow(source, vocab, limit, shape),
    );
    const batch = new Float32Array(rows.length * vocab);
    rows.forEach((row, r) => batch.set(row, r * vocab));
    for (const k of [16, 6, 5]) {
      PARAMS.forEach((params, p) => {
        const options = { vocabLimit: limit, params };
        checkBatch(batch, vocab, options, candidatesFor(batch, vocab, limit, params, k), p);
      });
    }
  });
});

describe('when the candidates settle a row', () => {
  const greedy: SamplingParams = { kind: 'greedy' };
  const sample = (temperature: number, topP: number, topK = 0): SampleParams => ({
    kind: 'sample',
    temperature,
    topP,
    topK,
  });

  it('greedy takes the first candidate: the argmax, ties to the lower id, no draw', () => {
    const logits = Float32Array.from([0, 5, 2, 5, 1]);
    const settlement = settleCandidates(candidatesFor(logits, 5, 5, greedy), 0, {
      vocabLimit: 5,
      params: greedy,
    });
    expect(settlement).not.toBeNull();
    const rng = createRng(1);
    const token = settlement && sampleSettled(settlement, rng);
    expect(token?.tokenId).toBe(1);
    expect(token?.top[0]?.tokenId).toBe(3);
    expect(rng.nextUint32()).toBe(createRng(1).nextUint32());
  });

  it('needs one more candidate than the alternatives it reports', () => {
    const logits = Float32Array.from([3, 2, 1, 0, -1, -2, -3, -4]);
    const candidates = candidatesFor(logits, 8, 8, greedy, 4);
    expect(settleCandidates(candidates, 0, { vocabLimit: 8, params: greedy })).toBeNull();
    const options = { vocabLimit: 8, params: greedy, alternatives: 3 };
    expect(settleCandidates(candidates, 0, options)?.ids[0]).toBe(0);
  });

  it('top-k up to k settles; a larger top-k, or one as large as the vocabulary, does not', () => {
    const logits = makeRow(createRng(3), 200, 190, 'normal');
    const settle = (params: SampleParams) =>
      settleCandidates(candidatesFor(logits, 200, 190, params), 0, { vocabLimit: 190, params });
    expect(settle(sample(1, 1, 64))?.draw?.weights).toHaveLength(64);
    expect(settle(sample(1, 1, 65))).toBeNull();
    // topK ≥ vocabLimit filters nothing, so the full path draws in id order: no candidates.
    const small = Float32Array.from([1, 2, 3, 4]);
    const options = { vocabLimit: 4, params: sample(1, 1, 4) };
    expect(settleCandidates(candidatesFor(small, 4, 4, options.params), 0, options)).toBeNull();
  });

  it('top-p leaves a row unsettled when the nucleus edge is within the error of total', () => {
    // Weights 1 and 1: top-p 0.5 needs exactly the first, so a total a hair larger would
    // take both. 0.4 and 0.6 are clear of the edge.
    const logits = Float32Array.from([0, 0, -Infinity, -Infinity]);
    const kept = (topP: number) => {
      const params = sample(1, topP);
      const settlement = settleCandidates(candidatesFor(logits, 4, 4, params), 0, {
        vocabLimit: 4,
        params,
      });
      return settlement?.draw?.kept ?? null;
    };
    expect(kept(0.4)).toBe(1);
    expect(kept(0.5)).toBeNull();
    expect(kept(0.6)).toBe(2);
  });

  it('with k below the nucleus head, top-p settles only a nucleus inside the candidates', () => {
    // 1,000 equal logits: the nucleus is the lowest ceil(topP · 1000) ids.
    const logits = new Float32Array(1000);
    const kept = (topP: number) => {
      const params = sample(1, topP);
      const candidates = candidatesFor(logits, 1000, 1000, params, 16);
      const settlement = settleCandidates(candidates, 0, { vocabLimit: 1000, params });
      return settlement?.draw?.kept ?? null;
    };
    expect(kept(0.0105)).toBe(11);
    expect(kept(0.5)).toBeNull();
  });

  it('a row with no usable logit is left to the full path, which reports it', () => {
    const dead = Float32Array.from([-Infinity, Number.NaN, -Infinity, 7]); // 7 is masked
    const overflow = Float32Array.from([1, Infinity, 2, 3]);
    for (const logits of [dead, overflow]) {
      const options = { vocabLimit: 3, params: greedy };
      expect(settleCandidates(candidatesFor(logits, 4, 3, greedy), 0, options)).toBeNull();
      expect(() => sampleLogits(logits, options, createRng(0))).toThrow(/no usable logits/);
    }
  });
});
