// The WGSL engine on Dawn (SwiftShader here): logits against the TypeScript reference, the
// cache against full recompute, batches against rows alone, candidates against the CPU,
// prefix reuse against fresh prefill, and the golden greedy ids.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeDims } from '../../../scripts/make-model/config.ts';
import { tinyModelDir } from '../../../scripts/make-model/tiny-model.ts';
import { generate } from '../generate.ts';
import type { ModelLimits } from '../generate.ts';
import { parseGenerationParams } from '../generation/params.ts';
import { buildPrefill, decodeInputs } from '../padding.ts';
import { forward } from '../reference/forward.ts';
import { loadSafetensors } from '../reference/safetensors.ts';
import type { CodegenConfig, WeightMap } from '../reference/types.ts';
import { cpuCandidates } from '../testing/cpu-candidates.ts';
import { buildWgsl, randomWeights } from './testing.node.ts';
import type { WgslLm } from './wgsl-lm.ts';
import { GEMV_LAYOUT } from './shaders/linear.ts';
import type { GemvLayout } from './shaders/linear.ts';
import { weightMapSource } from './weights/weight-map-source.ts';
import { relativeError } from '../testing/relative-error.ts';

const PROMPT_IDS = [295, 289, 105, 98, 258, 849, 881, 40, 110, 291, 10];
// golden.test.ts: the reference's greedy ids for PROMPT_IDS.
const GOLDEN_IDS = [445, 992, 736, 344, 132, 688, 888, 243, 409, 499, 313, 697];

function lastRow(logits: Float32Array, seq: number, vocab: number): Float32Array {
  return logits.subarray((seq - 1) * vocab, seq * vocab);
}

interface Fixture {
  config: CodegenConfig;
  weights: WeightMap;
  lm: WgslLm;
  device: GPUDevice;
}

async function fixture(
  config: CodegenConfig,
  weights: WeightMap,
  options: { kvF16?: boolean; maxBindingBytes?: number } = {},
): Promise<Fixture> {
  const { lm, device } = await buildWgsl(weightMapSource(weights, 'test weights'), config, options);
  return { config, weights, lm, device };
}

async function release(f: Fixture | undefined): Promise<void> {
  if (!f) return;
  await f.lm.release();
  f.device.destroy();
}

describe('tiny model, fp32 weights, fp32 cache', () => {
  let tiny: Fixture;
  let limits: ModelLimits;
  beforeAll(async () => {
    const dir = tinyModelDir();
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as CodegenConfig & {
      eos_token_id: number;
    };
    tiny = await fixture(config, loadSafetensors(readFileSync(join(dir, 'model.safetensors'))));
    limits = {
      contextLength: config.n_positions,
      vocabLimit: 1008 + 1,
      eosId: config.eos_token_id,
    };
  }, 120_000);
  afterAll(() => release(tiny));

  it('prefill logits equal the reference within 1e-4', async () => {
    const { lm, weights, config } = tiny;
    lm.reset();
    const { logits } = await lm.step(buildPrefill([PROMPT_IDS], 0).inputs);
    const ref = forward(weights, config, PROMPT_IDS);
    expect(relativeError(logits, lastRow(ref, PROMPT_IDS.length, config.vocab_size))).toBeLessThan(
      1e-4,
    );
  });

  it('cached decode equals full recompute', async () => {
    const { lm, weights, config } = tiny;
    const V = config.vocab_size;
    lm.reset();
    const prefill = buildPrefill([PROMPT_IDS.slice(0, 5)], 0);
    await lm.step(prefill.inputs);
    let mask = prefill.inputs.attentionMask;
    let positions = prefill.lastPositions;
    for (let t = 5; t < PROMPT_IDS.length; t++) {
      const next = decodeInputs([PROMPT_IDS[t]!], mask, positions);
      const { logits } = await lm.step(next.inputs);
      const ref = forward(weights, config, PROMPT_IDS.slice(0, t + 1));
      expect(relativeError(logits, lastRow(ref, t + 1, V))).toBeLessThan(1e-4);
      mask = next.inputs.attentionMask;
      positions = next.positions;
    }
  });

  it('every decode-kernel layout computes the same logits (thread per output, lanes reduced in workgroup memory, lanes reduced with subgroup shuffles)', async () => {
    const { lm, weights, config } = tiny;
    const V = config.vocab_size;
    const ref = forward(weights, config, [...PROMPT_IDS.slice(0, 4), 7]);
    const layouts: GemvLayout[] = [
      { outputs: 64, lanes: 1 },
      { outputs: 8, lanes: 32 },
      // SwiftShader's subgroups are 4 wide (subgroupMinSize).
      { outputs: 16, lanes: 4, subgroups: true },
    ];
    for (const layout of layouts) {
      lm.gemvLayout = layout;
      lm.reset();
      const prefill = buildPrefill([PROMPT_IDS.slice(0, 4)], 0);
      await lm.step(prefill.inputs);
      const next = decodeInputs([7], prefill.inputs.attentionMask, prefill.lastPositions);
      const { logits } = await lm.step(next.inputs);
      expect(relativeError(logits, lastRow(ref, 5, V)), JSON.stringify(layout)).toBeLessThan(1e-4);
    }
    lm.gemvLayout = GEMV_LAYOUT;
  });

  it('left-padded rows of a batch equal each row alone, at prefill and decode', async () => {
    const { lm, weights, config } = tiny;
    const V = config.vocab_size;
    const prompts = [PROMPT_IDS, PROMPT_IDS.slice(3, 6), PROMPT_IDS.slice(1, 9)];
    lm.reset();
    const prefill = buildPrefill(prompts, 0);
    const first = await lm.step(prefill.inputs);
    const next = decodeInputs([7, 8, 9], prefill.inputs.attentionMask, prefill.lastPositions);
    const second = await lm.step(next.inputs);
    prompts.forEach((prompt, r) => {
      const alone = forward(weights, config, prompt);
      expect(
        relativeError(first.logits.subarray(r * V, (r + 1) * V), lastRow(alone, prompt.length, V)),
      ).toBeLessThan(1e-4);
      const longer = forward(weights, config, [...prompt, 7 + r]);
      expect(
        relativeError(
          second.logits.subarray(r * V, (r + 1) * V),
          lastRow(longer, prompt.length + 1, V),
        ),
      ).toBeLessThan(1e-4);
    });
  });

  it('greedy generation gives the golden ids (as the reference and onnxruntime do)', async () => {
    const result = await generate(tiny.lm, () => '', limits, {
      prompts: [PROMPT_IDS],
      params: parseGenerationParams({ mode: 'greedy', maxNewTokens: GOLDEN_IDS.length }),
    });
    expect(result.rows[0]?.ids).toEqual(GOLDEN_IDS);
  });

  it('the same seed gives the same sampled tokens', async () => {
    const run = () =>
      generate(tiny.lm, () => '', limits, {
        prompts: [PROMPT_IDS, PROMPT_IDS.slice(2)],
        params: parseGenerationParams({
          mode: 'sample',
          temperature: 0.8,
          topP: 0.95,
          maxNewTokens: 12,
          seed: 7,
        }),
      });
    const a = await run();
    const b = await run();
    expect(a.rows.map((r) => r.ids)).toEqual(b.rows.map((r) => r.ids));
  });

  it('sampling from GPU candidates picks what the CPU sampler picks from full rows', async () => {
    const run = async (onDevice: boolean) => {
      tiny.lm.candidatesOnDevice = onDevice;
      try {
        return await generate(tiny.lm, () => '', limits, {
          prompts: [PROMPT_IDS, PROMPT_IDS.slice(4)],
          // The MTPB setting (a nucleus inside the candidates) and a plain top-k.
          params: parseGenerationParams({
            mode: 'sample',
            temperature: 0.2,
            topP: 0.95,
            maxNewTokens: 10,
            seed: 3,
          }),
        });
      } finally {
        tiny.lm.candidatesOnDevice = true;
      }
    };
    const gpu = await run(true);
    const cpu = await run(false);
    expect(gpu.rows.map((r) => r.ids)).toEqual(cpu.rows.map((r) => r.ids));
    gpu.rows.forEach((row, r) =>
      row.tokens.forEach((t, i) =>
        expect(Math.abs(t.logprob - cpu.rows[r]!.tokens[i]!.logprob)).toBeLessThan(1e-5),
      ),
    );
  });

  it('prefix reuse (kept, rolled back, reordered rows) equals a fresh prefill', async () => {
    const { lm } = tiny;
    const params = parseGenerationParams({ mode: 'greedy', maxNewTokens: 6 });
    const turn1 = [PROMPT_IDS.slice(0, 6), PROMPT_IDS.slice(2, 10)];
    const first = await generate(lm, () => '', limits, { prompts: turn1, params, reuse: true });
    // Turn 2 keeps part of what each row generated (a truncation), adds new tokens, and swaps rows.
    const turn2 = [
      [...turn1[1]!, ...first.rows[1]!.ids.slice(0, 2), 40, 41],
      [...turn1[0]!, ...first.rows[0]!.ids.slice(0, 4), 12],
    ];
    const reused = await generate(lm, () => '', limits, { prompts: turn2, params, reuse: true });
    expect(reused.timings.reusedTokens).toBeGreaterThan(0);
    const fresh = await generate(lm, () => '', limits, { prompts: turn2, params });
    expect(reused.rows.map((r) => r.ids)).toEqual(fresh.rows.map((r) => r.ids));
    reused.rows.forEach((row, r) =>
      row.tokens.forEach((t, i) =>
        expect(Math.abs(t.logprob - fresh.rows[r]!.tokens[i]!.logprob)).toBeLessThan(1e-4),
      ),
    );
  });
});

describe('a second shape: 3 layers, 8 heads of 24, rotary 8, the real 51,200 vocabulary', () => {
  let wide: Fixture;
  let f16: Fixture;
  const config = completeDims(
    { n_layer: 3, n_head: 8, n_embd: 192, rotary_dim: 8, n_positions: 256, vocab_size: 51200 },
    50295,
    50256,
  );
  const weights = randomWeights(config, 99);
  beforeAll(async () => {
    // 4 MiB bindings: the embedding and the LM head (each 39 MB) are split into pieces.
    wide = await fixture(config, weights, { maxBindingBytes: 4 * 2 ** 20 });
  }, 120_000);
  afterAll(() => Promise.all([release(wide), release(f16)]));

  const prompts = [
    [11, 5000, 42, 51000, 7, 9, 300],
    [20000, 13, 13],
  ];

  it('prefill logits of a padded batch equal the reference within 1e-4', async () => {
    const V = config.vocab_size;
    wide.lm.reset();
    const { logits } = await wide.lm.step(buildPrefill(prompts, 50256).inputs);
    prompts.forEach((prompt, r) => {
      const ref = forward(weights, config, prompt);
      expect(
        relativeError(logits.subarray(r * V, (r + 1) * V), lastRow(ref, prompt.length, V)),
      ).toBeLessThan(1e-4);
    });
  });

  it('GPU candidates equal the CPU computation over the same logits', async () => {
    const request = { k: 64, vocabLimit: 50295, invTemperature: 1 / 0.6 };
    wide.lm.reset();
    const gpu = await wide.lm.stepCandidates(buildPrefill(prompts, 50256).inputs, request);
    // 64 candidates (8 bytes each) and 4 statistics (16 bytes) per row, not 204,800-byte rows.
    expect(wide.lm.lastStep.readbackBytes).toBe(2 * (64 * 8 + 16));
    const { logits, vocab } = await wide.lm.readLogits([0, 1]);
    const cpu = cpuCandidates(logits, vocab, request);
    expect([...gpu.ids]).toEqual([...cpu.ids]);
    expect([...gpu.logits]).toEqual([...cpu.logits]);
    expect([...gpu.max]).toEqual([...cpu.max]);
    for (let r = 0; r < 2; r++) {
      expect(Math.abs(gpu.logZ[r]! - cpu.logZ[r]!)).toBeLessThan(1e-4);
      expect(Math.abs(gpu.total[r]! / cpu.total[r]! - 1)).toBeLessThan(1e-5);
    }
    expect(gpu.ids.every((id) => id < 50295)).toBe(true);
  });

  it('a float16 cache stays within 2e-3 of the reference', async () => {
    f16 = await fixture(config, weights, { kvF16: true });
    const V = config.vocab_size;
    const { logits } = await f16.lm.step(buildPrefill(prompts, 50256).inputs);
    prompts.forEach((prompt, r) => {
      const ref = forward(weights, config, prompt);
      expect(
        relativeError(logits.subarray(r * V, (r + 1) * V), lastRow(ref, prompt.length, V)),
      ).toBeLessThan(2e-3);
    });
  }, 120_000);
});

describe('failures', () => {
  it('a lost device gives gpu-device-lost on the next step, not garbage', async () => {
    const dir = tinyModelDir();
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as CodegenConfig;
    const f = await fixture(config, loadSafetensors(readFileSync(join(dir, 'model.safetensors'))));
    f.device.destroy();
    await f.device.lost;
    await expect(f.lm.step(buildPrefill([PROMPT_IDS], 0).inputs)).rejects.toMatchObject({
      code: 'gpu-device-lost',
    });
    await f.lm.release();
  }, 120_000);
});
