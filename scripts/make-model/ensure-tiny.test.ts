import { existsSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { ensureTinyModel } from './ensure-tiny.ts';

const root = mkdtempSync(join(tmpdir(), 'ensure-tiny-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('generates once, then only when the stamp or a file is missing or stale', () => {
  const dir = join(root, 'models', 'tiny');
  expect(ensureTinyModel(dir).regenerated).toBe(true);
  expect(existsSync(join(dir, 'onnx', 'model_q4.onnx'))).toBe(true);
  expect(ensureTinyModel(dir).regenerated).toBe(false);
  unlinkSync(join(dir, 'onnx', 'model_quantized.onnx'));
  expect(ensureTinyModel(dir).regenerated).toBe(true);
  writeFileSync(join(dir, '.make-model-stamp.json'), '{"generator":0}');
  expect(ensureTinyModel(dir).regenerated).toBe(true);
  expect(ensureTinyModel(dir).regenerated).toBe(false);
});

test('the merged-decoder tiny model has its own file set and stamp', () => {
  const dir = join(root, 'models', 'tiny-merged');
  expect(ensureTinyModel(dir, undefined, 'merged-decoder').regenerated).toBe(true);
  expect(existsSync(join(dir, 'onnx', 'decoder_model_merged.onnx'))).toBe(true);
  expect(existsSync(join(dir, 'onnx', 'model.onnx'))).toBe(false);
  expect(ensureTinyModel(dir, undefined, 'merged-decoder').regenerated).toBe(false);
  // The same folder asked for as the transformers-js model is stale.
  expect(ensureTinyModel(dir).regenerated).toBe(true);
});
