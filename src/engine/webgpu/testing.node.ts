// Builds WGSL models for tests and benchmarks under Node (Dawn): from a weight source and a
// config, with the knobs tests turn (float16 cache, a small binding limit to force splits).

import { WeightSource } from '../../../scripts/make-model/weights.ts';
import type { ModelDims } from '../../../scripts/make-model/config.ts';
import type { CodegenConfig, WeightMap } from '../reference/types.ts';
import { nodeGpu } from '../gpu-node.node.ts';
import { requestEngineDevice } from './device.ts';
import { uploadWeights } from './gpu-weights.ts';
import { WgslLm } from './wgsl-lm.ts';
import type { WgslShape } from './wgsl-lm.ts';
import type { CodegenWeightSource } from './weights/types.ts';

export function shapeOf(config: CodegenConfig): WgslShape {
  return {
    nLayer: config.n_layer,
    nHead: config.n_head,
    nEmbd: config.n_embd,
    nInner: config.n_inner ?? 4 * config.n_embd,
    rotaryDim: config.rotary_dim,
    vocabSize: config.vocab_size,
    nPositions: config.n_positions,
    layerNormEpsilon: config.layer_norm_epsilon,
  };
}

export async function buildWgsl(
  source: CodegenWeightSource,
  config: CodegenConfig,
  options: { kvF16?: boolean; maxBindingBytes?: number } = {},
): Promise<{ lm: WgslLm; device: GPUDevice }> {
  const engine = await requestEngineDevice(await nodeGpu());
  // Validation errors are silent in WebGPU; a test should see them.
  engine.device.addEventListener('uncapturederror', (event) => {
    console.error('WebGPU error:', event.error.message);
  });
  const shape = shapeOf(config);
  const weights = await uploadWeights(engine.device, source, shape, {
    maxBindingBytes: Math.min(engine.maxBindingBytes, options.maxBindingBytes ?? Infinity),
  });
  return {
    lm: new WgslLm(engine.device, weights, shape, { kvF16: options.kvF16 ?? false }),
    device: engine.device,
  };
}

/** The generator's random weights for any dims, as a reference weight map. */
export function randomWeights(dims: ModelDims, seed: number): WeightMap {
  const source = new WeightSource(dims, seed);
  const names = [
    'transformer.wte.weight',
    'transformer.ln_f.weight',
    'transformer.ln_f.bias',
    'lm_head.weight',
    'lm_head.bias',
  ];
  for (let l = 0; l < dims.n_layer; l++) {
    const p = `transformer.h.${l}`;
    names.push(
      `${p}.ln_1.weight`,
      `${p}.ln_1.bias`,
      `${p}.attn.qkv_proj.weight`,
      `${p}.attn.out_proj.weight`,
      `${p}.mlp.fc_in.weight`,
      `${p}.mlp.fc_in.bias`,
      `${p}.mlp.fc_out.weight`,
      `${p}.mlp.fc_out.bias`,
    );
  }
  return new Map(
    names.map((name) => [name, { shape: source.plan(name).shape, data: source.values(name) }]),
  );
}
