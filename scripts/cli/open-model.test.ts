import { describe, expect, it } from 'vitest';
import { tinyModelDir } from '../make-model/tiny-model.ts';
import { cliBackend, defaultDtypeOn, parseEngine } from './open-model.ts';

describe('--engine', () => {
  it('takes auto, ort or wgsl and refuses anything else by name', () => {
    expect(['auto', 'ort', 'wgsl'].map(parseEngine)).toEqual(['auto', 'ort', 'wgsl']);
    expect(() => parseEngine('webgpu')).toThrow(
      expect.objectContaining({
        code: 'bad-input',
        message: 'Unknown engine "webgpu"; one of auto, ort, wgsl.',
      }),
    );
  });

  it('runs the WGSL kernels on WebGPU and onnxruntime (Auto included) on WASM', () => {
    expect(cliBackend('wgsl')).toBe('webgpu');
    expect(cliBackend('ort')).toBe('wasm');
    expect(cliBackend('auto')).toBe('wasm');
  });

  it('defaults the dtype to what the page loads on that backend', () => {
    expect(defaultDtypeOn(tinyModelDir(), 'wasm')).toBe('q8');
    expect(defaultDtypeOn(tinyModelDir(), 'webgpu')).toBe('q4');
  });
});
