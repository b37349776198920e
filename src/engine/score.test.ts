// Teacher-forced scoring (score.ts) on the seeded tiny model, against the plain-TS reference
// forward pass, which gives every position's logits in one go: onnxruntime-web (WASM, fp32)
// and the WGSL engine (Dawn on SwiftShader).
//
// Tolerance: the fp32 file, whose logits are within 1e-4 of the reference relative to their
// largest magnitude (LOGITS_TOLERANCE.fp32: float32 summation order only; a padded batch or a
// cache continuation only changes the matmul shapes). A token's log-probability is its logit
// minus the row's log-sum-exp, each off by at most max|Δlogit|; with the tiny model's logits
// up to ~9 that bound is ~2e-3, but the error is summation noise, measured at ~2.5e-6 (both
// engines). We hold each token's log-probability to LOGPROB_TOLERANCE = 1e-4 (absolute) and
// the perplexity, exp(-mean), to the same relative bound: 40× the measured noise, and 100×
// below what leaving the vocabulary unmasked changes. q8 would need the 8-bit bound (5e-2 of
// the logits' scale), too loose to tell a masked vocabulary from an unmasked one.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTiny, tinyModelDir } from '../../scripts/make-model/tiny-model.ts';
import { AbortedError } from '../shared/errors.ts';
import { generate } from './generate.ts';
import type { ModelLimits, StepModel } from './generate.ts';
import { parseGenerationParams } from './generation/params.ts';
import type { LoadedModel } from './loader/load-model.ts';
import type { StepInputs } from './onnx/causal-lm.ts';
import { forward } from './reference/forward.ts';
import { loadSafetensors } from './reference/safetensors.ts';
import type { CodegenConfig, WeightMap } from './reference/types.ts';
import { planBatches, scoreBatch, scoreRows, segmentIds } from './score.ts';
import type { ScoreIds } from './score.ts';
import { buildWgsl } from './webgpu/testing.node.ts';
import { weightMapSource } from './webgpu/weights/weight-map-source.ts';
import type { WgslLm } from './webgpu/wgsl-lm.ts';

const LOGPROB_TOLERANCE = 1e-4;

/** A known text: an MTPB-like history, prefix and two turns. */
const KNOWN_TEXT =
  '# Import libraries.\n\nimport numpy as np\n\n' +
  '# Assign the string "hello world" to a variable named greeting.\n' +
  'greeting = "hello world"\n\n' +
  '# Print the variable in upper case.\n';

/** Pieces of a multi-piece row: unscored, scored, unscored, scored. */
const PIECES = [
  { text: '# Import libraries.\n\nimport numpy as np\n\n', scored: false },
  { text: '# Define a list of numbers from 1 to 10.\n', scored: true },
  { text: 'numbers = list(range(1, 11))\n\n', scored: false },
  { text: '# Sum the numbers and print the result.\n', scored: true },
];

let model: LoadedModel;
let weights: WeightMap;
let config: CodegenConfig;
let limits: ModelLimits;

beforeAll(async () => {
  model = await loadTiny('fp32');
  const dir = tinyModelDir();
  config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as CodegenConfig;
  weights = loadSafetensors(readFileSync(join(dir, 'model.safetensors')));
  limits = {
    contextLength: model.config.contextLength,
    vocabLimit: model.tokenizer.size,
    eosId: model.config.eosId,
  };
});
afterAll(() => model.lm.release());

/** ln p(ids[t] | ids[<t]) for t = 1 … n-1 from the reference, float64, masked at `vocabLimit`. */
function referenceLogprobs(ids: readonly number[], vocabLimit = limits.vocabLimit): number[] {
  const V = config.vocab_size;
  const logits = forward(weights, config, ids);
  const out: number[] = [];
  for (let t = 1; t < ids.length; t++) {
    const row = Array.from(logits.subarray((t - 1) * V, t * V).subarray(0, vocabLimit));
    const max = Math.max(...row);
    const logZ = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    out.push((row[ids[t]!] ?? NaN) - logZ);
  }
  return out; // out[t - 1] is token t's
}

const perplexity = (logprob: number, tokens: number): number => Math.exp(-logprob / tokens);
const sum = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0);

function piecesRow(pieces: ReadonlyArray<{ text: string; scored: boolean }>): ScoreIds {
  return segmentIds(pieces, (text) => model.tokenizer.encode(text));
}

/** Forwards to a model and counts its steps. */
class Counting implements StepModel {
  steps: Array<{ batch: number; seq: number }> = [];
  constructor(private readonly inner: StepModel) {}
  reset(): void {
    this.inner.reset();
  }
  step(inputs: StepInputs): Promise<{ logits: Float32Array; vocab: number }> {
    this.steps.push({ batch: inputs.batch, seq: inputs.seq });
    return this.inner.step(inputs);
  }
}

/** The reference check both engines pass: a known text's perplexity and every token's logprob. */
async function expectKnownText(lm: StepModel): Promise<{ perplexity: number; maxDiff: number }> {
  const ids = model.tokenizer.encode(KNOWN_TEXT);
  const reference = referenceLogprobs(ids);
  const refPerplexity = perplexity(sum(reference), reference.length);
  // One span per token, so each token's own log-probability is seen.
  const spans = ids.map((_, t) => ({ start: t, end: t + 1 }));
  const [row] = await scoreRows(lm, [{ ids, spans }], limits);
  expect(row?.overflow).toBe(false);
  expect(row?.tokens).toBe(ids.length - 1);
  expect(row?.spans[0]).toEqual({ tokens: 0, logprob: 0 }); // the first token: nothing before it
  const diffs = reference.map((ref, i) => Math.abs((row?.spans[i + 1]?.logprob ?? NaN) - ref));
  const maxDiff = Math.max(...diffs);
  expect(maxDiff).toBeLessThanOrEqual(LOGPROB_TOLERANCE);
  const got = perplexity(row?.logprob ?? NaN, row?.tokens ?? 0);
  expect(Math.abs(got - refPerplexity) / refPerplexity).toBeLessThanOrEqual(LOGPROB_TOLERANCE);
  // The same row as one span: the same sums.
  const [whole] = await scoreRows(lm, [{ ids, spans: [{ start: 0, end: ids.length }] }], limits);
  expect(Math.abs((whole?.logprob ?? NaN) - (row?.logprob ?? NaN))).toBeLessThan(1e-9);
  console.info(
    `${ids.length}-token known text: perplexity ${got.toFixed(6)} (reference ${refPerplexity.toFixed(6)}), max |Δ logprob| ${maxDiff.toExponential(2)}`,
  );
  return { perplexity: got, maxDiff };
}

describe('scoreRows on onnxruntime (fp32, WASM) against the reference forward pass', () => {
  it('gives the known text the reference’s perplexity, token by token', async () => {
    const { perplexity: got } = await expectKnownText(model.lm);
    // The mask matters: over the whole embedding (ids the tokenizer never makes) the
    // reference's perplexity is another number, well outside the tolerance.
    const ids = model.tokenizer.encode(KNOWN_TEXT);
    const unmasked = referenceLogprobs(ids, config.vocab_size);
    const unmaskedPerplexity = perplexity(sum(unmasked), unmasked.length);
    expect(Math.abs(unmaskedPerplexity - got) / got).toBeGreaterThan(100 * LOGPROB_TOLERANCE);
  });

  it('sums each scored piece over exactly its own tokens (scored, unscored, scored)', async () => {
    const row = piecesRow(PIECES);
    // Each piece tokenized on its own: the spans are those pieces' ids.
    const pieceIds = PIECES.map((piece) => model.tokenizer.encode(piece.text));
    expect(row.ids).toEqual(pieceIds.flat());
    expect(row.ids.slice(row.spans[1]!.start, row.spans[1]!.end)).toEqual(pieceIds[3]);
    const reference = referenceLogprobs(row.ids);
    const [result] = await scoreRows(model.lm, [row], limits);
    expect(result?.spans).toHaveLength(2);
    row.spans.forEach(({ start, end }, i) => {
      const span = result?.spans[i];
      expect(span?.tokens).toBe(end - start);
      const expected = sum(reference.slice(start - 1, end - 1));
      expect(Math.abs((span?.logprob ?? NaN) - expected)).toBeLessThanOrEqual(
        LOGPROB_TOLERANCE * (end - start),
      );
    });
    expect(result?.tokens).toBe(sum(row.spans.map(({ start, end }) => end - start)));
    expect(result?.logprob).toBeCloseTo(sum(result?.spans.map((s) => s.logprob) ?? []), 12);

    // A scored first piece counts one token fewer: its first token has nothing before it.
    const first = piecesRow([PIECES[1]!, PIECES[2]!, PIECES[3]!]);
    const [firstResult] = await scoreRows(model.lm, [first], limits);
    const firstSpan = first.spans[0]!;
    expect(firstResult?.spans[0]?.tokens).toBe(firstSpan.end - 1);
    const firstRef = referenceLogprobs(first.ids);
    expect(
      Math.abs((firstResult?.spans[0]?.logprob ?? NaN) - sum(firstRef.slice(0, firstSpan.end - 1))),
    ).toBeLessThanOrEqual(LOGPROB_TOLERANCE * firstSpan.end);
  });

  it('costs one step per scored token and one per unscored stretch before one', async () => {
    const row = piecesRow(PIECES);
    const counting = new Counting(model.lm);
    await scoreRows(counting, [row], limits);
    const scoredTokens = sum(row.spans.map(({ start, end }) => end - start));
    expect(counting.steps).toHaveLength(scoredTokens);
    // The first step runs the prefix and the first scored token's predecessor at once; the
    // unscored piece between the scored ones rides on the step of the second piece's first
    // token; the tokens after the last scored one are never fed.
    const [a, b] = row.spans;
    expect(counting.steps[0]?.seq).toBe(a!.start);
    expect(counting.steps[a!.end - a!.start]?.seq).toBe(b!.start - a!.end + 1);
    expect(sum(counting.steps.map((s) => s.seq))).toBe(b!.end - 1);
  });

  it('rows of different lengths and layouts in one lockstep batch score as each row alone', async () => {
    const rows: ScoreIds[] = [
      piecesRow(PIECES),
      piecesRow([PIECES[1]!]),
      piecesRow([PIECES[0]!, PIECES[3]!, PIECES[2]!]), // unscored tail: never fed
      piecesRow([PIECES[2]!, PIECES[1]!, PIECES[0]!, PIECES[3]!, PIECES[1]!]),
      { ids: model.tokenizer.encode('x = 1\n'), spans: [{ start: 2, end: 4 }] },
    ];
    const plans = rows.map((row) => {
      const needed = [...new Set(row.spans.flatMap(({ start, end }) => range(start, end)))]
        .filter((t) => t >= 1)
        .sort((x, y) => x - y);
      return { ids: row.ids, needed, fed: needed.at(-1) ?? 0 };
    });
    const counting = new Counting(model.lm);
    const together = await scoreBatch(counting, plans, limits);
    expect(counting.steps.every((s) => s.batch === rows.length)).toBe(true);
    let maxDiff = 0;
    for (const [r, plan] of plans.entries()) {
      const [alone] = await scoreBatch(model.lm, [plan], limits);
      const reference = referenceLogprobs(plan.ids);
      plan.needed.forEach((t, i) => {
        const batched = together[r]?.[i] ?? NaN;
        maxDiff = Math.max(maxDiff, Math.abs(batched - (alone?.[i] ?? NaN)));
        expect(Math.abs(batched - (reference[t - 1] ?? NaN))).toBeLessThanOrEqual(
          LOGPROB_TOLERANCE,
        );
      });
    }
    expect(maxDiff).toBeLessThanOrEqual(LOGPROB_TOLERANCE);
    model.lm.reset();

    // scoreRows over all of them (however it groups them), in request order, is each alone.
    const all = await scoreRows(model.lm, rows, limits, { batch: 3 });
    for (const [r, row] of rows.entries()) {
      const [alone] = await scoreRows(model.lm, [row], limits);
      expect(all[r]?.tokens).toBe(alone?.tokens);
      all[r]?.spans.forEach((span, i) =>
        expect(Math.abs(span.logprob - (alone?.spans[i]?.logprob ?? NaN))).toBeLessThanOrEqual(
          LOGPROB_TOLERANCE * Math.max(1, span.tokens),
        ),
      );
    }
  });

  it('marks a row longer than the context as overflow and scores the others', async () => {
    const long = piecesRow(PIECES);
    const short = piecesRow([PIECES[1]!]);
    const tight = { ...limits, contextLength: short.ids.length };
    const [over, fits] = await scoreRows(model.lm, [long, short], tight);
    expect(over).toEqual({
      spans: [
        { tokens: 0, logprob: 0 },
        { tokens: 0, logprob: 0 },
      ],
      tokens: 0,
      logprob: 0,
      overflow: true,
    });
    // A row exactly as long as the context fits.
    const [alone] = await scoreRows(model.lm, [short], limits);
    expect(fits?.overflow).toBe(false);
    expect(fits?.tokens).toBe(short.ids.length - 1);
    expect(Math.abs((fits?.logprob ?? NaN) - (alone?.logprob ?? NaN))).toBeLessThan(1e-9);
  });

  it('leaves no cache for prefix reuse, and stops when aborted', async () => {
    const prompts = [model.tokenizer.encode(KNOWN_TEXT)];
    await generate(model.lm, (ids) => model.tokenizer.decode(ids), limits, {
      prompts,
      params: parseGenerationParams({ mode: 'greedy', maxNewTokens: 3 }),
      reuse: true,
    });
    expect(model.lm.cached).not.toBeNull();
    await scoreRows(model.lm, [piecesRow(PIECES)], limits);
    expect(model.lm.cached).toBeNull();

    const controller = new AbortController();
    controller.abort();
    await expect(
      scoreRows(model.lm, [piecesRow(PIECES)], limits, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(model.lm.cached).toBeNull();
  });

  it('rejects spans outside the row', async () => {
    await expect(
      scoreRows(model.lm, [{ ids: [1, 2, 3], spans: [{ start: 1, end: 4 }] }], limits),
    ).rejects.toMatchObject({ code: 'bad-input' });
    await expect(
      scoreRows(model.lm, [{ ids: [1, 2, 3], spans: [{ start: 2, end: 1 }] }], limits),
    ).rejects.toMatchObject({ code: 'bad-input' });
  });
});

describe('planBatches', () => {
  const row = (fed: number, needed: number[]) => ({ fed, needed });
  it('batches rows whose steps mostly coincide (right-aligned), up to the batch size', () => {
    // Scored tails of any length coincide from the end; a row scored early does not.
    const tail3 = row(10, [8, 9, 10]);
    const tail4 = row(12, [9, 10, 11, 12]);
    const early = row(30, [2, 3, 4, 30]);
    const tail2 = row(40, [39, 40]);
    const batches = planBatches([early, tail4, tail2, tail3], 8);
    expect(batches).toEqual([[tail3, tail4, tail2], [early]]);
    expect(planBatches([tail3, tail4, tail2], 2)).toEqual([[tail3, tail4], [tail2]]);
  });
});

describe('scoreRows on the WGSL engine (Dawn, SwiftShader) against the reference', () => {
  let lm: WgslLm;
  let device: GPUDevice;
  beforeAll(async () => {
    ({ lm, device } = await buildWgsl(weightMapSource(weights, 'tiny weights'), config));
  }, 120_000);
  afterAll(async () => {
    await lm.release();
    device.destroy();
  });

  it('gives the known text the reference’s perplexity, token by token', async () => {
    await expectKnownText(lm);
    expect(lm.cached).toBeNull();
  });

  it('scores a lockstep batch of ragged rows as the reference does', async () => {
    const rows = [piecesRow(PIECES), piecesRow([PIECES[1]!]), piecesRow([PIECES[3]!, PIECES[0]!])];
    const plans = rows.map((r) => {
      const needed = range(1, r.ids.length);
      return { ids: r.ids, needed, fed: needed.at(-1) ?? 0 };
    });
    const together = await scoreBatch(lm, plans, limits);
    lm.reset();
    plans.forEach((plan, r) => {
      const reference = referenceLogprobs(plan.ids);
      plan.needed.forEach((t, i) =>
        expect(Math.abs((together[r]?.[i] ?? NaN) - (reference[t - 1] ?? NaN))).toBeLessThanOrEqual(
          LOGPROB_TOLERANCE,
        ),
      );
    });
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
