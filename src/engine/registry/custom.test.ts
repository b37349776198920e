import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import { customModel, repoIdProblems } from './custom.ts';
import { availableDtypes } from './dtypes.ts';

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isAppError(error, 'bad-input')) return error.message;
    throw error;
  }
  throw new Error('expected a bad-input AppError');
}

describe('repoIdProblems', () => {
  it('accepts hub-style ids', () => {
    for (const id of [
      'Xenova/codegen-350M-mono',
      'a/b',
      'user_1/my.model-v2',
      'Salesforce/codegen2-1B_P',
    ]) {
      expect(repoIdProblems(id)).toEqual([]);
    }
  });

  it('rejects malformed ids with a reason', () => {
    const cases: Array<[string, RegExp]> = [
      ['codegen-350M-mono', /owner\/name/],
      ['a/b/c', /owner\/name/],
      ['/model', /owner is empty/],
      ['Xenova/', /name is empty/],
      ['Xenova/-model', /start and end/],
      ['Xenova/model.', /start and end/],
      ['Xe nova/model', /may only contain/],
      ['Xenova/my--model', /'--'/],
      ['Xenova/my..model', /'\.\.'/],
      ['Xenova/model.git', /\.git/],
      [`Xenova/${'m'.repeat(97)}`, /96/],
    ];
    for (const [id, reason] of cases) expect(repoIdProblems(id).join('; ')).toMatch(reason);
  });
});

describe('customModel', () => {
  it('builds a hub entry with unknown architecture and sizes', () => {
    const entry = customModel({
      location: ' someone/codegen-350M-mono-onnx ',
      dtypes: ['q4', 'fp32'],
    });
    expect(entry.id).toBe('hub:someone/codegen-350M-mono-onnx@main');
    expect(entry.source).toEqual({
      kind: 'hub',
      repo: 'someone/codegen-350M-mono-onnx',
      revision: 'main',
    });
    expect(entry.architecture).toBeNull();
    expect(availableDtypes(entry)).toEqual(['fp32', 'q4']);
    expect(entry.dtypes.q4).toEqual({
      support: { webgpu: { runs: true }, wasm: { runs: true } },
      requiredFeatures: [],
      file: { path: 'onnx/model_q4.onnx', sizeUnknown: true },
    });
  });

  it('uses the merged-decoder file names for old exports', () => {
    const entry = customModel({
      location: 'Xenova/codegen-2B-mono',
      layout: 'merged-decoder',
      dtypes: ['q8'],
    });
    expect(entry.dtypes.q8?.file.path).toBe('onnx/decoder_model_merged_quantized.onnx');
  });

  it('builds a local entry from a same-origin folder', () => {
    const entry = customModel({ location: '/models/mine' });
    expect(entry.source).toEqual({ kind: 'local', basePath: '/models/mine/' });
    expect(entry.id).toBe('local:/models/mine/');
  });

  it('refuses bad locations with every problem named', () => {
    expect(failure(() => customModel({ location: 'not a repo' }))).toMatch(/owner\/name/);
    expect(failure(() => customModel({ location: 'a/b', revision: 'main branch' }))).toMatch(
      /revision/,
    );
    expect(failure(() => customModel({ location: '//evil.example/x' }))).toMatch(/leave this site/);
    expect(failure(() => customModel({ location: '/models/../secrets' }))).toMatch(/'\.\.'/);
  });
});
