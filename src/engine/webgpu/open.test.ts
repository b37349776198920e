// The WGSL engine opens the files users have (every weight-only dtype of the transformers.js
// layout, the merged decoder, model.safetensors) and computes what the reference computes on
// the same weights: for q4 and fp16 files, the weights as the file stores them, widened.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../scripts/make-model/ensure-tiny.ts';
import { tinyModelDir } from '../../../scripts/make-model/tiny-model.ts';
import { float16Value } from '../float16.ts';
import { parseModelConfig } from '../loader/model-config.ts';
import { buildPrefill } from '../padding.ts';
import { dequantizeMatMulNBits4 } from '../reference/dequant.ts';
import { forward } from '../reference/forward.ts';
import { linear } from '../reference/ops.ts';
import type { CodegenConfig, LinearFn, Tensor, WeightMap } from '../reference/types.ts';
import { nodeGpu } from '../gpu-node.node.ts';
import { openWgslModel } from './open.ts';
import { openWeights } from './weights/open-weights.ts';
import type { CodegenWeightSource, DenseMatrix, LinearWeight } from './weights/types.ts';
import { relativeError } from '../testing/relative-error.ts';

const PROMPT = [295, 289, 105, 98, 258, 849, 881, 40, 110];

function widen(m: DenseMatrix | LinearWeight): Float32Array {
  if ('kind' in m && m.kind === 'q4') {
    return dequantizeMatMulNBits4(m.packed, m.scales, m.zeroPoints, m.cols, m.rows, m.blockSize);
  }
  const dense = m;
  return dense.format === 'f32' ? dense.data : Float32Array.from(dense.data, float16Value);
}

/** The file's own weights as a reference weight map (q4 dequantized, float16 widened). */
function referenceWeights(
  source: CodegenWeightSource,
  config: CodegenConfig,
): { weights: WeightMap; linearFn: LinearFn } {
  const weights = new Map<string, Tensor>();
  const vector = (name: string): void => {
    if (source.hasVector(name))
      weights.set(name, { shape: [source.vector(name).length], data: source.vector(name) });
  };
  const wte = source.embedding();
  weights.set('transformer.wte.weight', { shape: [wte.rows, wte.cols], data: widen(wte) });
  const modules = ['lm_head'];
  for (let l = 0; l < config.n_layer; l++) {
    const p = `transformer.h.${l}`;
    for (const n of ['ln_1.weight', 'ln_1.bias', 'mlp.fc_in.bias', 'mlp.fc_out.bias'])
      vector(`${p}.${n}`);
    modules.push(`${p}.attn.qkv_proj`, `${p}.attn.out_proj`, `${p}.mlp.fc_in`, `${p}.mlp.fc_out`);
  }
  vector('transformer.ln_f.weight');
  vector('transformer.ln_f.bias');
  vector('lm_head.bias');
  const linears = new Map(modules.map((m) => [m, { w: source.linear(m) }]));
  const linearFn: LinearFn = (x, rows, module) => {
    const entry = linears.get(module);
    if (!entry) throw new Error(`no ${module}`);
    const bias = weights.get(`${module}.bias`)?.data ?? null;
    return linear(x, rows, widen(entry.w), entry.w.rows, bias);
  };
  return { weights, linearFn };
}

const tiny = tinyModelDir();
const merged = ensureTinyModel(
  join(process.cwd(), '.cache', 'models', 'tiny-merged'),
  () => {},
  'merged-decoder',
).outDir;

const FILES: Array<[string, string]> = [
  [tiny, 'onnx/model.onnx'],
  [tiny, 'onnx/model_fp16.onnx'],
  [tiny, 'onnx/model_q4.onnx'],
  [tiny, 'onnx/model_q4f16.onnx'],
  [tiny, 'model.safetensors'],
  [merged, 'onnx/decoder_model_merged.onnx'],
];

describe('the WGSL engine opens the published files', () => {
  it.each(FILES)(
    "%s %s: logits equal the reference on the file's weights within 1e-4",
    async (dir, path) => {
      const json = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as CodegenConfig;
      const config = parseModelConfig(json);
      const file = new Uint8Array(readFileSync(join(dir, path)));
      const lm = await openWgslModel({
        gpu: await nodeGpu(),
        file,
        path,
        config,
        kvDtype: 'float32',
      });
      try {
        const { logits } = await lm.step(buildPrefill([PROMPT], config.eosId).inputs);
        const { weights, linearFn } = referenceWeights(
          openWeights(file, path, config.nLayer),
          json,
        );
        const ref = forward(weights, json, PROMPT, { linear: linearFn });
        const V = config.vocabSize;
        expect(relativeError(logits, ref.subarray((PROMPT.length - 1) * V))).toBeLessThan(1e-4);
      } finally {
        await lm.release();
      }
    },
    120_000,
  );

  it('an 8-bit file is refused with a clear error naming the way out', async () => {
    const json = JSON.parse(readFileSync(join(tiny, 'config.json'), 'utf8')) as unknown;
    const path = 'onnx/model_quantized.onnx';
    await expect(
      openWgslModel({
        gpu: await nodeGpu(),
        file: new Uint8Array(readFileSync(join(tiny, path))),
        path,
        config: parseModelConfig(json),
      }),
    ).rejects.toMatchObject({
      code: 'bad-model',
      hint: expect.stringContaining('engine=ort') as string,
    });
  });
});
