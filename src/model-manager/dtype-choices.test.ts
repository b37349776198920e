import { describe, expect, it } from 'vitest';
import type { DeviceSupport } from '../engine/registry/compat.ts';
import { CODEGEN_350M_MONO, CODEGEN_350M_NL } from '../engine/registry/models.ts';
import { dtypeChoices, refusalGroups, sizeText } from './dtype-choices.ts';

const GiB = 1024 ** 3;
const desktop: DeviceSupport = {
  webgpu: true,
  shaderF16: true,
  maxBufferSize: 4 * GiB,
  maxStorageBufferBindingSize: 2 * GiB,
};

describe('sizeText', () => {
  it('marks estimates and unknown sizes', () => {
    expect(sizeText({ bytes: 401_418_657 })).toBe('383 MB');
    expect(sizeText({ approxBytes: 277_000_000 })).toBe('≈264 MB');
    expect(sizeText({ sizeUnknown: true })).toBe('size unknown');
  });
});

describe('dtypeChoices', () => {
  it('disables the integer and bnb4 files on WebGPU, saying why', () => {
    const choices = dtypeChoices(CODEGEN_350M_MONO, 'webgpu', desktop);
    const refused = choices.filter((c) => c.refusal !== null).map((c) => c.dtype);
    expect(refused).toEqual(['int8', 'uint8', 'q8', 'bnb4']);
    expect(choices.find((c) => c.dtype === 'int8')?.label).toBe(
      'int8 · 341 MB · unavailable on WebGPU',
    );
    expect(choices.find((c) => c.dtype === 'q4')?.label).toBe('q4 · 383 MB');
    const groups = refusalGroups(choices);
    expect(groups.map((g) => g.dtypes)).toEqual([['int8', 'uint8', 'q8'], ['bnb4']]);
    expect(groups[0]?.reason).toMatch(/^MatMulInteger and DynamicQuantizeLinear/);
  });

  it('disables the 8-bit and bnb4 files on WebGPU, and float16 on a GPU without shader-f16', () => {
    const wasm = dtypeChoices(CODEGEN_350M_MONO, 'wasm', null);
    expect(wasm.filter((c) => c.refusal)).toEqual([]);
    const gpu = dtypeChoices(CODEGEN_350M_MONO, 'webgpu', desktop);
    expect(gpu.filter((c) => c.refusal).map((c) => c.dtype)).toEqual([
      'int8',
      'uint8',
      'q8',
      'bnb4',
    ]);
    const noHalf = dtypeChoices(CODEGEN_350M_MONO, 'webgpu', { ...desktop, shaderF16: false });
    expect(noHalf.find((c) => c.dtype === 'q4f16')?.refusal).toMatch(/shader-f16/);
    // Before the device is probed, only the registry's reasons are known.
    const unprobed = dtypeChoices(CODEGEN_350M_MONO, 'webgpu', null);
    expect(unprobed.find((c) => c.dtype === 'q4f16')?.refusal).toBeNull();
  });

  it('leaves -nl only its fp32 merged decoder on WebGPU', () => {
    const choices = dtypeChoices(CODEGEN_350M_NL, 'webgpu', desktop);
    expect(choices.map((c) => [c.dtype, c.refusal === null])).toEqual([
      ['fp32', true],
      ['q8', false],
    ]);
    expect(choices[0]?.label).toBe('fp32 · ≈1.34 GB');
  });
});
