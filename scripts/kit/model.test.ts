import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyModelDir } from '../make-model/tiny-model.ts';
import { writeModelMeta } from './build.ts';
import { readModelDims, writeWeightPart } from './model.ts';

const dir = mkdtempSync(join(tmpdir(), 'kit-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the kit’s model, written on the device from the seed', () => {
  const tiny = tinyModelDir();
  writeModelMeta('tiny', dir);

  it('carries the same config and tokenizer as the generator writes', () => {
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json'])
      expect(readFileSync(join(dir, file), 'utf8'), file).toBe(
        readFileSync(join(tiny, file), 'utf8'),
      );
    expect(readModelDims(dir)).toMatchObject({ n_layer: 2, n_embd: 128 });
  });

  it.each([
    ['q4', 'onnx/model_q4.onnx'],
    ['fp16', 'onnx/model_fp16.onnx'],
    ['safetensors', 'model.safetensors'],
  ] as const)('writes %s byte for byte as npm run make-model does', (part, file) => {
    const { path, bytes } = writeWeightPart(dir, part);
    expect(path).toBe(join(dir, file));
    const written = readFileSync(path);
    expect(written.byteLength).toBe(bytes);
    expect(written.equals(readFileSync(join(tiny, file)))).toBe(true);
  });
});
