// Chunked prefill (CausalLm.step under a logits budget) against the one-shot prefill, on
// the seeded tiny model in onnxruntime-web WASM: the same last-position logits and the same
// greedy continuation, left-padded batches included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDifference } from '../../shared/math/matmul.ts';
import { generate } from '../generate.ts';
import { parseGenerationParams } from '../generation/params.ts';
import type { OrtLoadedModel } from '../loader/load-model.ts';
import { buildPrefill } from '../padding.ts';
import { probeLogits } from './logits-probe.ts';
import { loadTiny } from '../../../scripts/make-model/tiny-model.ts';

let model: OrtLoadedModel;
beforeAll(async () => {
  model = await loadTiny('fp32');
});
afterAll(() => model.lm.release());

/**
 * fp32 summation order: a chunk's attention sums over fewer (all unmasked) keys and its
 * matmuls have other shapes than the one-shot run, so logits may differ in the last bits.
 */
const TOLERANCE = 1e-4;

const prompts = (): number[][] => [
  model.tokenizer.encode('def fibonacci(n):\n    if n < 2:\n        return n\n'),
  model.tokenizer.encode('import os\n'),
  model.tokenizer.encode('# Print the sum of a list\nnumbers = [1, 2, 3]\nprint(sum('),
];

/** The prefill's last-position logits under a budget of `columns` token columns per run. */
async function prefillLogits(
  batchPrompts: number[][],
  columns: number,
): Promise<{ logits: Float32Array; runs: number }> {
  const { inputs } = buildPrefill(batchPrompts, model.config.eosId);
  const vocab = model.config.vocabSize;
  model.lm.logitsBudgetBytes = Number.isFinite(columns)
    ? inputs.batch * columns * vocab * 4
    : Infinity;
  model.lm.reset();
  const probe = probeLogits(model.lm.session);
  try {
    const { logits } = await model.lm.step(inputs);
    return { logits, runs: probe.runs };
  } finally {
    probe.detach();
    model.lm.reset();
  }
}

describe('chunked prefill on the tiny model (onnxruntime-web WASM under Node)', () => {
  it('gives the one-shot last-position logits for a left-padded batch, whatever the chunk size', async () => {
    const batch = prompts();
    const seq = Math.max(...batch.map((p) => p.length));
    const oneShot = await prefillLogits(batch, Infinity);
    expect(oneShot.runs).toBe(1);
    for (const columns of [1, 3, 7, seq - 1]) {
      const chunked = await prefillLogits(batch, columns);
      // The budget really split the prompt: ceil(seq / columns) runs.
      expect(chunked.runs).toBe(Math.ceil(seq / columns));
      expect(maxAbsDifference(chunked.logits, oneShot.logits)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('each row of a chunked padded batch equals that row alone, one-shot', async () => {
    const batch = prompts();
    const chunked = await prefillLogits(batch, 4);
    const vocab = chunked.logits.length / batch.length;
    for (const [row, prompt] of batch.entries()) {
      const alone = await prefillLogits([prompt], Infinity);
      const rowLogits = chunked.logits.subarray(row * vocab, (row + 1) * vocab);
      expect(maxAbsDifference(rowLogits, alone.logits)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('chunks a step that continues a cache (the mask includes the cached columns)', async () => {
    const [prompt = []] = prompts();
    const split = 5;
    const run = async (columns: number): Promise<Float32Array> => {
      const vocab = model.config.vocabSize;
      model.lm.reset();
      model.lm.logitsBudgetBytes = Infinity;
      const ids = (from: number, to: number) => BigInt64Array.from(prompt.slice(from, to), BigInt);
      const positions = (from: number, to: number) =>
        BigInt64Array.from(prompt.slice(from, to), (_, i) => BigInt(from + i));
      await model.lm.step({
        batch: 1,
        seq: split,
        inputIds: ids(0, split),
        attentionMask: new BigInt64Array(split).fill(1n),
        positionIds: positions(0, split),
      });
      model.lm.logitsBudgetBytes = columns * vocab * 4;
      const { logits } = await model.lm.step({
        batch: 1,
        seq: prompt.length - split,
        inputIds: ids(split, prompt.length),
        attentionMask: new BigInt64Array(prompt.length).fill(1n),
        positionIds: positions(split, prompt.length),
      });
      model.lm.reset();
      return logits;
    };
    const whole = await run(Infinity);
    const chunked = await run(2);
    expect(maxAbsDifference(chunked, whole)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('greedy generation after a chunked prefill continues exactly as after a one-shot one', async () => {
    const greedy = async (columns: number) => {
      const batch = prompts();
      const vocab = model.config.vocabSize;
      model.lm.logitsBudgetBytes = Number.isFinite(columns)
        ? batch.length * columns * vocab * 4
        : Infinity;
      const result = await generate(
        model.lm,
        (ids) => model.tokenizer.decode(ids),
        {
          contextLength: model.config.contextLength,
          vocabLimit: model.tokenizer.size,
          eosId: model.config.eosId,
        },
        { prompts: batch, params: parseGenerationParams({ mode: 'greedy', maxNewTokens: 16 }) },
      );
      return result.rows.map((row) => row.ids);
    };
    const oneShot = await greedy(Infinity);
    expect(await greedy(3)).toEqual(oneShot);
    expect(await greedy(1)).toEqual(oneShot);
  });
});
