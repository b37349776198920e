import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyModelDir } from '../../../scripts/make-model/tiny-model.ts';
import { forward } from '../reference/forward.ts';
import { loadSafetensors } from '../reference/safetensors.ts';
import type { CodegenConfig, WeightMap } from '../reference/types.ts';
import { buildPrefill, decodeInputs } from '../padding.ts';
import { nodeGpu } from './dawn.node.ts';
import { requestEngineDevice } from './device.ts';
import type { EngineDevice } from './device.ts';
import { uploadWeights } from './gpu-weights.ts';
import { WgslLm } from './wgsl-lm.ts';
import type { CodegenWeightSource } from './weights/types.ts';

function mapSource(weights: WeightMap): CodegenWeightSource {
  const get = (name: string) => {
    const t = weights.get(name);
    if (!t) throw new Error(`missing ${name}`);
    return t;
  };
  return {
    description: 'test',
    layerNormEpsilon: null,
    linear: (module) => {
      const t = get(`${module}.weight`);
      return { kind: 'dense', format: 'f32', rows: t.shape[0]!, cols: t.shape[1]!, data: t.data };
    },
    vector: (name) => get(name).data,
    hasVector: (name) => weights.has(name),
    embedding: () => {
      const t = get('transformer.wte.weight');
      return { format: 'f32', rows: t.shape[0]!, cols: t.shape[1]!, data: t.data };
    },
  };
}

let engine: EngineDevice;
let weights: WeightMap;
let config: CodegenConfig;
let lm: WgslLm;

beforeAll(async () => {
  const dir = tinyModelDir();
  config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as CodegenConfig;
  weights = loadSafetensors(readFileSync(join(dir, 'model.safetensors')));
  engine = await requestEngineDevice(nodeGpu());
  engine.device.addEventListener('uncapturederror', (e) =>
    console.log('GPU ERROR', (e).error.message),
  );
  const shape = {
    nLayer: config.n_layer,
    nHead: config.n_head,
    nEmbd: config.n_embd,
    nInner: config.n_inner ?? 4 * config.n_embd,
    rotaryDim: config.rotary_dim,
    vocabSize: config.vocab_size,
    nPositions: config.n_positions,
    layerNormEpsilon: config.layer_norm_epsilon,
  };
  const gpuWeights = await uploadWeights(engine.device, mapSource(weights), shape, {
    maxBindingBytes: engine.maxBindingBytes,
  });
  lm = new WgslLm(engine.device, gpuWeights, shape, { kvF16: false });
}, 120_000);
afterAll(async () => {
  await lm?.release();
  engine?.device.destroy();
});

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
  return diff / scale;
}

describe('WGSL engine on Dawn', () => {
  it('prefill logits equal the reference', async () => {
    const ids = [295, 289, 105, 98, 258, 849, 881, 40, 110, 291, 10];
    const ref = forward(weights, config, ids);
    const V = config.vocab_size;
    lm.reset();
    const { logits } = await lm.step(buildPrefill([ids], 50256 % V).inputs);
    const last = ref.subarray((ids.length - 1) * V, ids.length * V);
    expect(maxRelDiff(logits, last)).toBeLessThan(1e-4);
  });

  it('cached decode equals the reference over the longer sequence', async () => {
    const ids = [295, 289, 105, 98, 258];
    const V = config.vocab_size;
    lm.reset();
    const prefill = buildPrefill([ids], 0);
    await lm.step(prefill.inputs);
    const next = decodeInputs([849], prefill.inputs.attentionMask, prefill.lastPositions);
    const { logits } = await lm.step(next.inputs);
    const ref = forward(weights, config, [...ids, 849]);
    expect(maxRelDiff(logits, ref.subarray(ids.length * V, (ids.length + 1) * V))).toBeLessThan(
      1e-4,
    );
  });
});
