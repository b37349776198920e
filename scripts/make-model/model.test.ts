// The generated model directory (default layout, fp32): the HF config, the safetensors the
// reference reads back (its weights are the ONNX file's), the ONNX signature, and determinism
// per seed. Per-layout logits are in layouts.test.ts; per-dtype checks live with the dtype
// passes (onnx/passes).
// Error metric: max |onnx - ref| / max |ref| over the compared logits; fp32 ≤ 1e-4.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { forward } from '../../src/engine/reference/forward.ts';
import { loadSafetensors } from '../../src/engine/reference/safetensors.ts';
import type { Tensor } from '../../src/engine/reference/types.ts';
import { createNodeSession } from '../../src/engine/ort-node.node.ts';
import type { ort } from '../../src/engine/ort-node.node.ts';
import { generateModel } from './generate.ts';
import { DEFAULT_SEED, resolveSpec } from './model-spec.ts';
import { onnxFile } from './onnx/layouts/index.ts';
import { relativeError, runStep } from './run-onnx.ts';
import { tokenizerSize } from './tokenizer-info.ts';

const spec = resolveSpec({ preset: 'tiny' });
const FP32 = onnxFile('transformers-js', 'fp32');
let dir: string;
let weights: Map<string, Tensor>;
let session: ort.InferenceSession;
const PROMPT = [31, 400, 7, 999, 250, 12];
const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

const write = (outDir: string, seed: number): void =>
  generateModel({
    dims: spec.dims,
    seed,
    tokenizer: spec.tokenizer,
    outDir,
    dtypes: ['fp32'],
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'codegen-tiny-'));
  write(dir, DEFAULT_SEED);
  weights = loadSafetensors(readFileSync(join(dir, 'model.safetensors')));
  session = await createNodeSession(join(dir, FP32));
});

afterAll(async () => {
  await session.release();
  rmSync(dir, { recursive: true, force: true });
});

describe('tiny model directory', () => {
  test('writes a HF CodeGen config whose vocab exceeds the tokenizer', () => {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({
      model_type: 'codegen',
      n_layer: 2,
      n_head: 4,
      n_embd: 128,
      rotary_dim: 16,
    });
    expect(config.vocab_size).toBe(spec.dims.vocab_size);
    expect(spec.dims.vocab_size % 64).toBe(0);
    expect(spec.dims.vocab_size).toBeGreaterThan(tokenizerSize(spec.tokenizer.tokenizerJson));
    expect(session.inputNames).toEqual([
      'input_ids',
      'past_key_values.0.key',
      'past_key_values.0.value',
      'past_key_values.1.key',
      'past_key_values.1.value',
      'attention_mask',
      'position_ids',
    ]);
    expect(session.outputNames).toEqual([
      'logits',
      'present.0.key',
      'present.0.value',
      'present.1.key',
      'present.1.value',
    ]);
  });

  test('model.safetensors holds the ONNX weights; logits are input dependent', async () => {
    const ref = forward(weights, spec.dims, PROMPT);
    const { logits } = await runStep(session, spec.dims, {
      ids: [PROMPT],
      mask: [PROMPT.map(() => 1)],
      positions: [range(0, PROMPT.length)],
    });
    expect(relativeError(logits, ref)).toBeLessThan(1e-4);
    // Distinct top tokens across positions: the random model is input dependent.
    const V = spec.dims.vocab_size;
    const top = range(0, PROMPT.length).map((s) => argmax(ref.subarray(s * V, (s + 1) * V)));
    expect(new Set(top).size).toBeGreaterThan(2);
  });

  test('same seed gives byte-identical files, another seed different weights', () => {
    const again = mkdtempSync(join(tmpdir(), 'codegen-tiny-'));
    const other = mkdtempSync(join(tmpdir(), 'codegen-tiny-'));
    try {
      write(again, DEFAULT_SEED);
      write(other, DEFAULT_SEED + 1);
      const files = [
        'config.json',
        'tokenizer.json',
        'tokenizer_config.json',
        'model.safetensors',
        FP32,
      ];
      for (const f of files)
        expect(readFileSync(join(again, f)).equals(readFileSync(join(dir, f))), f).toBe(true);
      for (const f of ['model.safetensors', FP32]) {
        const bytes = (d: string): Buffer => readFileSync(join(d, f));
        expect(bytes(other).length, f).toBe(bytes(dir).length);
        expect(bytes(other).equals(bytes(dir)), f).toBe(false);
      }
    } finally {
      rmSync(again, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });
});

function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}
