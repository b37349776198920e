import { describe, expect, it } from 'vitest';
import { describeUrl } from './sources.ts';

describe('describeUrl', () => {
  it('names hub files as owner/name/path, with the revision unless it is main', () => {
    expect(
      describeUrl('https://huggingface.co/Xenova/codegen-350M-mono/resolve/main/config.json'),
    ).toBe('Xenova/codegen-350M-mono/config.json');
    expect(
      describeUrl('http://127.0.0.1:4415/test/tiny/resolve/refs%2Fpr%2F4/onnx/model.onnx'),
    ).toBe('test/tiny@refs/pr/4/onnx/model.onnx');
  });

  it('finds the repository under a hub that sits below a path', () => {
    expect(
      describeUrl('http://127.0.0.1:4173/hub/Xenova/codegen-350M-nl/resolve/main/config.json'),
    ).toBe('Xenova/codegen-350M-nl/config.json');
  });

  it('names other files by their path', () => {
    expect(describeUrl('http://127.0.0.1:4173/models/tiny/config.json')).toBe(
      '/models/tiny/config.json',
    );
  });
});
