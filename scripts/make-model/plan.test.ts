// The 350M shape, checked on the plan (safetensors header, ONNX sizes) without
// materialising 1.4 GB of weights.

import { describe, expect, test } from 'vitest';
import { completeDims, hfConfig, PRESETS } from './config.ts';
import { chunksLength } from './chunks.ts';
import { onnxChunks } from './generate.ts';
import { MAX_PROTOBUF_BYTES } from './onnx/model-writer.ts';
import { safetensorsHeader } from './safetensors-writer.ts';
import { planParameters, WeightSource } from './weights.ts';

// The codegen tokenizer: 50257 GPT-2 ids + 38 whitespace runs, eos 50256.
const dims350 = completeDims(PRESETS['350M'].dims, 50295, 50256);

describe('350M plan', () => {
  test('config.json matches Salesforce/codegen-350M-mono', () => {
    expect(hfConfig(dims350)).toMatchObject({
      model_type: 'codegen',
      architectures: ['CodeGenForCausalLM'],
      n_layer: 20,
      n_head: 16,
      n_embd: 1024,
      rotary_dim: 32,
      vocab_size: 51200,
      n_positions: 2048,
      n_ctx: 2048,
      activation_function: 'gelu_new',
      layer_norm_epsilon: 1e-5,
      bos_token_id: 50256,
      eos_token_id: 50256,
      tie_word_embeddings: false,
    });
  });

  test('HF parameter names and shapes; 356.7M parameters like the real checkpoint', () => {
    const header = safetensorsHeader(new WeightSource(dims350, 0));
    const shape = (name: string): unknown => (header[name] as { shape: number[] }).shape;
    expect(shape('transformer.wte.weight')).toEqual([51200, 1024]);
    for (const i of [0, 19]) {
      const p = `transformer.h.${i}`;
      expect(shape(`${p}.ln_1.weight`)).toEqual([1024]);
      expect(shape(`${p}.ln_1.bias`)).toEqual([1024]);
      expect(shape(`${p}.attn.qkv_proj.weight`)).toEqual([3072, 1024]);
      expect(shape(`${p}.attn.out_proj.weight`)).toEqual([1024, 1024]);
      expect(shape(`${p}.mlp.fc_in.weight`)).toEqual([4096, 1024]);
      expect(shape(`${p}.mlp.fc_in.bias`)).toEqual([4096]);
      expect(shape(`${p}.mlp.fc_out.weight`)).toEqual([1024, 4096]);
      expect(shape(`${p}.mlp.fc_out.bias`)).toEqual([1024]);
      expect(header[`${p}.attn.qkv_proj.bias`]).toBeUndefined();
      expect(header[`${p}.attn.out_proj.bias`]).toBeUndefined();
    }
    expect(header['transformer.h.20.ln_1.weight']).toBeUndefined();
    expect(shape('transformer.ln_f.weight')).toEqual([1024]);
    expect(shape('lm_head.weight')).toEqual([51200, 1024]);
    expect(shape('lm_head.bias')).toEqual([51200]);
    const params = planParameters(dims350).reduce(
      (n, p) => n + p.shape.reduce((a, b) => a * b, 1),
      0,
    );
    expect(params).toBe(356_712_448);
    expect(Object.keys(header)).toHaveLength(planParameters(dims350).length + 1); // + __metadata__
  });

  test.each(['transformers-js', 'merged-decoder', 'compact'] as const)(
    '%s fp32 fits one protobuf file (< 2 GiB) and holds every weight once',
    (layout) => {
      const size = chunksLength(onnxChunks(dims350, 0, layout, 'fp32'));
      expect(size).toBeLessThan(MAX_PROTOBUF_BYTES);
      const weights = 356_712_448 * 4;
      expect(size).toBeGreaterThan(weights);
      // Rotary tables (and the merged decoder's one 2048² bool causal_mask) stay small: the
      // merged decoder's two branches share their initializers.
      expect(size).toBeLessThan(weights + 2 ** 23);
    },
  );

  test('transformers-js fp32, q4 and q8 fit one protobuf file (< 2 GiB)', () => {
    const sizes = (['fp32', 'q4', 'q8'] as const).map((v) =>
      chunksLength(onnxChunks(dims350, 0, 'transformers-js', v)),
    );
    for (const s of sizes) expect(s).toBeLessThan(MAX_PROTOBUF_BYTES);
    expect(sizes[0]).toBeGreaterThan(356_712_448 * 4); // fp32 weights + rotary tables
    // q8 < q4 < fp32: q4 keeps the 210 MB embedding float, q8 stores it as uint8.
    expect(sizes[2]).toBeLessThan(sizes[1]!);
    expect(sizes[1]).toBeLessThan(sizes[0]!);
  });
});
