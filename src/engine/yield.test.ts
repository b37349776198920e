import { describe, expect, it } from 'vitest';
import { generate } from './generate.ts';
import type { StepModel } from './generate.ts';
import { parseGenerationParams } from './generation/params.ts';

/**
 * A model whose steps finish in microtasks, never returning to the event loop — as
 * onnxruntime-web's WASM backend can. Without a yield per step, a Stop arriving as a task
 * (a worker message; here a timer) would only be seen after the whole generation.
 */
const microtaskModel: StepModel = {
  reset: () => {},
  step: () => Promise.resolve({ logits: Float32Array.of(0, 1, 0, 0), vocab: 4 }),
};

describe('generation yields to the event loop between steps', () => {
  it('sees a Stop sent from another task while it is generating', async () => {
    const controller = new AbortController();
    let tokens = 0;
    setTimeout(() => controller.abort(), 0);
    const run = generate(
      microtaskModel,
      (ids) => ids.join(' '),
      { contextLength: 100_000, vocabLimit: 4, eosId: 3 },
      {
        prompts: [[0]],
        params: parseGenerationParams({ mode: 'greedy', maxNewTokens: 20_000 }),
        signal: controller.signal,
      },
      () => void tokens++,
    );
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    expect(tokens).toBeLessThan(1000);
  });
});
