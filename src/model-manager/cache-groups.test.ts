import { describe, expect, it } from 'vitest';
import { groupCached, modelPrefixOf } from './cache-groups.ts';

const HUB = 'https://huggingface.co/Xenova/codegen-350M-mono/resolve/main/';
const LOCAL = 'http://127.0.0.1:4173/models/tiny/';

describe('cached files per model', () => {
  it('finds the model folder of a file', () => {
    expect(modelPrefixOf(`${HUB}onnx/model_q4.onnx`)).toBe(HUB);
    expect(modelPrefixOf(`${LOCAL}onnx/model.onnx`)).toBe(LOCAL);
    expect(modelPrefixOf(`${LOCAL}config.json`)).toBe(LOCAL);
  });

  it('groups by known models first, then by folder, biggest first', () => {
    const groups = groupCached(
      [
        { url: `${LOCAL}config.json`, bytes: 10 },
        { url: `${LOCAL}onnx/model.onnx`, bytes: 100 },
        { url: `${HUB}config.json`, bytes: 5 },
        { url: `${HUB}onnx/model_q4.onnx`, bytes: 400 },
        { url: 'https://huggingface.co/a/b/resolve/refs%2Fpr%2F1/config.json', bytes: 1 },
      ],
      [{ prefix: LOCAL, label: 'Tiny CodeGen' }],
    );
    expect(groups.map((g) => [g.label, g.bytes, g.files.length])).toEqual([
      ['Xenova/codegen-350M-mono', 405, 2],
      ['Tiny CodeGen', 110, 2],
      ['a/b@refs/pr/1', 1, 1],
    ]);
  });
});
