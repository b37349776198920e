import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.ts';
import { folderEntry, folderFromPaths } from './folder-files.ts';

const blob = (size: number): Blob => new Blob([new Uint8Array(size)]);

describe('a model folder picked from disk', () => {
  const picked = folderFromPaths([
    ['tiny/config.json', blob(10)],
    ['tiny/tokenizer.json', blob(20)],
    ['tiny/tokenizer_config.json', blob(5)],
    ['tiny/onnx/model.onnx', blob(1000)],
    ['tiny/onnx/model_q4.onnx', blob(300)],
  ]);

  it('keys files by their path inside the folder', () => {
    expect(picked.name).toBe('tiny');
    expect([...picked.files.keys()]).toContain('onnx/model_q4.onnx');
    expect(folderFromPaths([['/a/config.json', blob(1)]]).files.has('config.json')).toBe(true);
  });

  it('keeps paths as they are when they share no folder', () => {
    const loose = folderFromPaths([
      ['config.json', blob(1)],
      ['onnx/model.onnx', blob(1)],
    ]);
    expect([...loose.files.keys()]).toEqual(['config.json', 'onnx/model.onnx']);
  });

  it('offers the dtypes whose files are there, with their sizes', () => {
    const entry = folderEntry(picked);
    expect(Object.keys(entry.dtypes)).toEqual(['fp32', 'q4']);
    expect(entry.dtypes.q4?.file).toEqual({ path: 'onnx/model_q4.onnx', bytes: 300 });
    expect(entry.layout).toBe('model');
  });

  it('says what is missing from a folder that is not a model', () => {
    try {
      folderEntry(folderFromPaths([['x/config.json', blob(1)]]));
      expect.unreachable();
    } catch (error) {
      expect(isAppError(error, 'bad-model')).toBe(true);
      if (error instanceof Error)
        expect(error.message).toMatch(/tokenizer\.json.*onnx\/model\.onnx/);
    }
  });
});
