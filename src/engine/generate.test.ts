import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from './generate.ts';
import type { GenerationInput } from './generate.ts';
import { parseGenerationParams } from './generation/params.ts';
import type { LoadedModel } from './loader/load-model.ts';
import { loadTiny } from '../../scripts/make-model/tiny-model.ts';

let model: LoadedModel;
beforeAll(async () => {
  model = await loadTiny('fp32');
});
afterAll(() => model.lm.release());

const limits = () => ({
  contextLength: model.config.contextLength,
  vocabLimit: model.tokenizer.size,
  eosId: model.config.eosId,
});
const run = (request: GenerationInput) =>
  generate(model.lm, (ids) => model.tokenizer.decode(ids), limits(), request);
const greedy = (maxNewTokens: number) => parseGenerationParams({ mode: 'greedy', maxNewTokens });

/** Greedy decoding by recomputing the whole sequence every step: no cache at all. */
async function greedyWithoutCache(prompt: number[], steps: number): Promise<number[]> {
  const ids = [...prompt];
  for (let s = 0; s < steps; s++) {
    model.lm.reset();
    const { logits, vocab } = await model.lm.step({
      batch: 1,
      seq: ids.length,
      inputIds: BigInt64Array.from(ids, BigInt),
      attentionMask: new BigInt64Array(ids.length).fill(1n),
      positionIds: BigInt64Array.from(ids, (_, i) => BigInt(i)),
    });
    let best = 0;
    for (let v = 1; v < Math.min(vocab, model.tokenizer.size); v++)
      if ((logits[v] ?? 0) > (logits[best] ?? 0)) best = v;
    ids.push(best);
  }
  model.lm.reset();
  return ids.slice(prompt.length);
}

describe('generate on the tiny model (onnxruntime-web WASM under Node)', () => {
  const promptA = () => model.tokenizer.encode('def add(a, b):\n    return');
  const promptB = () =>
    model.tokenizer.encode('# Print the sum of a list\nnumbers = [1, 2, 3]\nprint(sum(numbers))\n');

  it('cached decoding equals full recomputation', async () => {
    const cached = await run({ prompts: [promptA()], params: greedy(12) });
    const row = cached.rows[0];
    // Stop at EOS if the model emits it; recomputation must agree token for token until then.
    expect(row?.ids).toEqual(await greedyWithoutCache(promptA(), row?.ids.length ?? 0));
  });

  it('a left-padded batch gives each row what it gives alone', async () => {
    const batch = await run({ prompts: [promptA(), promptB()], params: greedy(10) });
    const aloneA = await run({ prompts: [promptA()], params: greedy(10) });
    const aloneB = await run({ prompts: [promptB()], params: greedy(10) });
    expect(batch.rows[0]?.ids).toEqual(aloneA.rows[0]?.ids);
    expect(batch.rows[1]?.ids).toEqual(aloneB.rows[0]?.ids);
    // Sampling too: each row owns its RNG stream, so batching does not change draws.
    const sample = parseGenerationParams({
      mode: 'sample',
      temperature: 1,
      topP: 0.9,
      seed: 5,
      maxNewTokens: 10,
    });
    const sampledBatch = await run({ prompts: [promptA(), promptB()], params: sample });
    const sampledAlone = await run({ prompts: [promptA()], params: sample });
    expect(sampledBatch.rows[0]?.ids).toEqual(sampledAlone.rows[0]?.ids);
  });

  it('the same seed gives the same tokens, another seed other tokens', async () => {
    const params = (seed: number) =>
      parseGenerationParams({ mode: 'sample', temperature: 1.5, topP: 1, seed, maxNewTokens: 16 });
    const first = await run({ prompts: [promptA()], params: params(1) });
    const again = await run({ prompts: [promptA()], params: params(1) });
    const other = await run({ prompts: [promptA()], params: params(2) });
    expect(again.rows[0]?.ids).toEqual(first.rows[0]?.ids);
    expect(other.rows[0]?.ids).not.toEqual(first.rows[0]?.ids);
  });

  it('streams deltas that add up to the text, and reports why each row stopped', async () => {
    const deltas: string[] = [];
    const result = await generate(
      model.lm,
      (ids) => model.tokenizer.decode(ids),
      limits(),
      { prompts: [promptA()], params: greedy(8) },
      (e) => deltas.push(e.delta),
    );
    const row = result.rows[0];
    expect(deltas.join('')).toBe(model.tokenizer.decode(row?.ids ?? []));
    expect(row?.stop.kind).toMatch(/max-new-tokens|eos/);
    expect(result.timings.prefillTokens).toBe(promptA().length);
  });

  it("detail 'text' picks the same tokens and text, unscored, and streams the same deltas", async () => {
    const params = parseGenerationParams({
      mode: 'sample',
      temperature: 0.2,
      topP: 0.95,
      seed: 3,
      maxNewTokens: 24,
    });
    const prompts = [promptA(), promptB()];
    const run = async (detail: 'text' | 'tokens') => {
      const events: Array<{ row: number; delta: string; detail: string; scored: boolean }> = [];
      const result = await generate(
        model.lm,
        (ids) => model.tokenizer.decode(ids),
        limits(),
        { prompts, params, detail },
        (e) => events.push({ row: e.row, delta: e.delta, detail: e.detail, scored: 'top' in e }),
      );
      return { result, events };
    };
    const full = await run('tokens');
    const text = await run('text');
    expect(text.result.rows.map((r) => [r.ids, r.text, r.stop])).toEqual(
      full.result.rows.map((r) => [r.ids, r.text, r.stop]),
    );
    expect(text.result.rows.every((r) => r.tokens.length === 0)).toBe(true);
    expect(full.result.rows.every((r) => r.tokens.length === r.ids.length)).toBe(true);
    expect(text.events.map((e) => [e.row, e.delta])).toEqual(
      full.events.map((e) => [e.row, e.delta]),
    );
    expect(text.events.every((e) => e.detail === 'text' && !e.scored)).toBe(true);
    expect(full.events.every((e) => e.detail === 'tokens' && e.scored)).toBe(true);
  });

  it('rejects a prompt longer than the context with a specific error', async () => {
    const long = new Array<number>(model.config.contextLength).fill(1);
    await expect(run({ prompts: [long], params: greedy(1) })).rejects.toMatchObject({
      code: 'context-overflow',
    });
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      run({ prompts: [promptA()], params: greedy(5), signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'aborted' });
  });
});
