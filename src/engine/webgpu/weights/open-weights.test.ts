// openWeights picks the reader by extension and refuses anything else.

import { expect, test } from 'vitest';
import { concatChunks } from '../../../../scripts/make-model/chunks.ts';
import { onnxChunks } from '../../../../scripts/make-model/generate.ts';
import { DEFAULT_SEED, resolveSpec } from '../../../../scripts/make-model/model-spec.ts';
import { safetensorsChunks } from '../../../../scripts/make-model/safetensors-writer.ts';
import { WeightSource } from '../../../../scripts/make-model/weights.ts';
import { AppError } from '../../../shared/errors.ts';
import { openWeights } from './open-weights.ts';

const dims = resolveSpec({ preset: 'tiny' }).dims;

test('.onnx and .safetensors, whatever the case', () => {
  const onnxBytes = concatChunks(onnxChunks(dims, DEFAULT_SEED, 'transformers-js', 'q4'));
  const st = concatChunks(safetensorsChunks(new WeightSource(dims, DEFAULT_SEED)));
  expect(openWeights(onnxBytes, 'onnx/MODEL_Q4.ONNX', 2).description).toMatch(/MatMulNBits/);
  expect(openWeights(st, 'model.safetensors', 2).description).toBe('model.safetensors: float32');
});

test('other files are refused', () => {
  let error: unknown;
  try {
    openWeights(new Uint8Array(8), 'pytorch_model.bin', 2);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('bad-model');
  expect((error as AppError).message).toMatch(
    /pytorch_model\.bin.*\.onnx export or model\.safetensors/,
  );
});
