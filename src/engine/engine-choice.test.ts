import { describe, expect, it } from 'vitest';
import {
  chooseEngine,
  describeEngineDecision,
  engineDecisionOf,
  parseEngineChoice,
} from './engine-choice.ts';

describe('chooseEngine', () => {
  it('keeps an explicit choice where it can run', () => {
    expect(chooseEngine('ort', 'wasm')).toEqual({
      engine: 'ort',
      choice: 'ort',
      reason: 'chosen in the Engine menu',
    });
    expect(chooseEngine('ort', 'webgpu').engine).toBe('ort');
    expect(chooseEngine('wgsl', 'webgpu')).toEqual({
      engine: 'wgsl',
      choice: 'wgsl',
      reason: 'chosen in the Engine menu',
    });
  });

  it('refuses the WGSL engine on WASM, saying what to choose instead', () => {
    expect(() => chooseEngine('wgsl', 'wasm')).toThrow(
      expect.objectContaining({
        code: 'bad-input',
        message: 'The WGSL engine runs on WebGPU only, and this load runs on WASM.',
        hint: expect.stringContaining('Choose the WebGPU backend') as unknown,
      }),
    );
  });

  it('Auto takes onnxruntime on WASM and tries the WGSL kernels on WebGPU', () => {
    expect(chooseEngine('auto', 'wasm')).toEqual({
      engine: 'ort',
      choice: 'auto',
      reason: 'the WGSL kernels need WebGPU and the backend is WASM',
    });
    expect(chooseEngine('auto', 'webgpu')).toEqual({
      engine: 'wgsl',
      choice: 'auto',
      reason: 'on WebGPU the WGSL kernels run the files they can map',
    });
  });

  it('Auto takes onnxruntime after all when the WGSL engine refuses the file', () => {
    expect(chooseEngine('auto', 'webgpu', 'MatMulInteger (q8) is not supported')).toEqual({
      engine: 'ort',
      choice: 'auto',
      reason: 'the WGSL kernels cannot run this file: MatMulInteger (q8) is not supported',
    });
    // An explicit choice is not Auto's to change.
    expect(chooseEngine('wgsl', 'webgpu', 'unmappable').engine).toBe('wgsl');
  });

  it('is described for the UI from the flat fields a load reports', () => {
    const decision = engineDecisionOf({
      engine: 'wgsl',
      engineChoice: 'auto',
      engineReason: 'on WebGPU the WGSL kernels run the files they can map',
    });
    expect(describeEngineDecision(decision)).toBe(
      'WGSL kernels — Auto chose it: on WebGPU the WGSL kernels run the files they can map',
    );
    expect(describeEngineDecision(chooseEngine('ort', 'wasm'))).toBe(
      'onnxruntime-web — chosen in the Engine menu',
    );
  });
});

describe('parseEngineChoice', () => {
  it('reads the three choices and nothing else', () => {
    expect(['auto', 'ort', 'wgsl'].map(parseEngineChoice)).toEqual(['auto', 'ort', 'wgsl']);
    for (const bad of ['', 'WGSL', 'onnxruntime', 'webgpu', ' ort'])
      expect(parseEngineChoice(bad)).toBeNull();
  });
});
