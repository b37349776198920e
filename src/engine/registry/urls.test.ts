import { describe, expect, it } from 'vitest';
import { customModel } from './custom.ts';
import { CODEGEN_350M_MONO, TINY } from './models.ts';
import { expectedBytes, fileUrl } from './urls.ts';

describe('fileUrl', () => {
  it('resolves hub files at the revision', () => {
    expect(fileUrl(CODEGEN_350M_MONO, 'onnx/model_q4.onnx')).toBe(
      'https://huggingface.co/Xenova/codegen-350M-mono/resolve/main/onnx/model_q4.onnx',
    );
  });

  it('takes another hub base URL, so tests can serve files locally', () => {
    expect(
      fileUrl(CODEGEN_350M_MONO, 'config.json', { hubBaseUrl: 'http://127.0.0.1:4173/hub/' }),
    ).toBe('http://127.0.0.1:4173/hub/Xenova/codegen-350M-mono/resolve/main/config.json');
  });

  it('encodes revisions such as refs/pr/4', () => {
    const entry = customModel({ location: 'Xenova/codegen-350M-mono', revision: 'refs/pr/4' });
    expect(fileUrl(entry, 'config.json')).toBe(
      'https://huggingface.co/Xenova/codegen-350M-mono/resolve/refs%2Fpr%2F4/config.json',
    );
  });

  it('gives same-origin paths for local entries, under the app base', () => {
    expect(fileUrl(TINY, 'onnx/model.onnx')).toBe('/models/tiny/onnx/model.onnx');
    expect(fileUrl(TINY, 'config.json', { appBaseUrl: '/playground/' })).toBe(
      '/playground/models/tiny/config.json',
    );
  });

  it('rejects paths that leave the model folder', () => {
    for (const path of ['', '/etc/passwd', '../secret', 'onnx/../../x', 'onnx//model.onnx']) {
      expect(() => fileUrl(TINY, path)).toThrow(/relative file path/);
    }
  });
});

describe('expectedBytes', () => {
  it('tells exact sizes from estimates and unknowns', () => {
    expect(expectedBytes({ bytes: 5 })).toEqual({ bytes: 5, exact: true });
    expect(expectedBytes({ approxBytes: 7 })).toEqual({ bytes: 7, exact: false });
    expect(expectedBytes({ sizeUnknown: true })).toBeUndefined();
  });
});
