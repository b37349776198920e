import { describe, expect, it } from 'vitest';
import { checkCompatibility, defaultDtype, type DeviceSupport } from './compat.ts';
import { customModel } from './custom.ts';
import { DTYPE_TRAITS } from './dtypes.ts';
import { CODEGEN_350M_MONO, CODEGEN_350M_MULTI, TINY } from './models.ts';

const GiB = 1024 ** 3;
/** A desktop GPU: shader-f16 and large limits. */
const desktop: DeviceSupport = {
  webgpu: true,
  shaderF16: true,
  maxBufferSize: 4 * GiB,
  maxStorageBufferBindingSize: 2 * GiB,
};
/** WebGPU's default limits (256 MiB buffers, 128 MiB bindings), no shader-f16. */
const baseline: DeviceSupport = {
  webgpu: true,
  shaderF16: false,
  maxBufferSize: 268_435_456,
  maxStorageBufferBindingSize: 134_217_728,
};
const noGpu: DeviceSupport = { webgpu: false, shaderF16: false };

describe('checkCompatibility', () => {
  it('accepts every WebGPU dtype on a capable GPU', () => {
    for (const dtype of ['fp32', 'fp16', 'q4', 'q4f16'] as const) {
      expect(checkCompatibility(CODEGEN_350M_MONO, dtype, desktop)).toEqual({
        ok: true,
        backend: 'webgpu',
      });
    }
  });

  it('explains a missing shader-f16 and suggests a dtype that works', () => {
    const result = checkCompatibility(CODEGEN_350M_MONO, 'q4f16', { ...desktop, shaderF16: false });
    expect(result).toMatchObject({
      ok: false,
      backend: 'webgpu',
      reasons: [{ code: 'missing-feature', feature: 'shader-f16' }],
      suggestedDtype: 'q4',
    });
  });

  it('checks the largest tensor against the buffer limits', () => {
    // The fp32 embedding is 200 MiB: over a 128 MiB binding, under a 256 MiB buffer.
    const result = checkCompatibility(CODEGEN_350M_MONO, 'q4', baseline);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reasons).toEqual([
      expect.objectContaining({
        code: 'tensor-too-large',
        limit: 'maxStorageBufferBindingSize',
        needed: 209_715_200,
      }),
    ]);
    expect(result.reasons[0]?.message).toMatch(/200 MiB.*128 MiB/);
    // Nothing fits those limits on WebGPU: q4f16/fp16 need shader-f16.
    expect(result.suggestedDtype).toBeNull();
    // Limits unknown: no claim either way.
    expect(checkCompatibility(CODEGEN_350M_MONO, 'q4', { webgpu: true, shaderF16: false }).ok).toBe(
      true,
    );
  });

  it('lists every reason at once', () => {
    const result = checkCompatibility(CODEGEN_350M_MONO, 'fp16', baseline);
    expect(result.ok === false && result.reasons.map((r) => r.code)).toEqual(['missing-feature']);
    const q8OnGpu = checkCompatibility(CODEGEN_350M_MONO, 'q8', {
      ...baseline,
      maxStorageBufferBindingSize: 1,
    });
    expect(q8OnGpu.ok === false && q8OnGpu.reasons.map((r) => r.code)).toEqual([
      'backend-unsupported',
      'tensor-too-large',
    ]);
  });

  it('falls back to wasm without WebGPU, where float16 files run without shader-f16', () => {
    expect(checkCompatibility(CODEGEN_350M_MONO, 'q8', noGpu)).toEqual({
      ok: true,
      backend: 'wasm',
    });
    // shader-f16 is a WebGPU feature; the CPU computes float16 files in float32 behind Casts.
    expect(checkCompatibility(CODEGEN_350M_MONO, 'q4f16', noGpu)).toEqual({
      ok: true,
      backend: 'wasm',
    });
    expect(checkCompatibility(CODEGEN_350M_MONO, 'q4', noGpu, 'webgpu')).toMatchObject({
      ok: false,
      reasons: [{ code: 'no-webgpu' }],
    });
  });

  it('says when a model is not published in a dtype', () => {
    expect(checkCompatibility(CODEGEN_350M_MULTI, 'q4', desktop)).toMatchObject({
      ok: false,
      reasons: [{ code: 'no-such-dtype' }],
      suggestedDtype: 'fp32',
    });
  });
});

describe('backend refusals', () => {
  it("say why a backend cannot run a dtype, in the registry's words", () => {
    const int8OnGpu = checkCompatibility(CODEGEN_350M_MONO, 'int8', desktop, 'webgpu');
    const gpuSupport = DTYPE_TRAITS.int8.support.webgpu;
    expect(int8OnGpu.ok === false && int8OnGpu.reasons[0]?.message).toBe(
      `int8 is not offered on WebGPU: ${gpuSupport.runs ? 'runs' : gpuSupport.reason}`,
    );
    expect(int8OnGpu).toMatchObject({ suggestedDtype: 'q4f16' });
    const bnb4OnGpu = checkCompatibility(CODEGEN_350M_MONO, 'bnb4', desktop, 'webgpu');
    expect(bnb4OnGpu.ok === false && bnb4OnGpu.reasons[0]?.message).toMatch(
      /^bnb4 is not offered on WebGPU: MatMulBnb4/,
    );
    // -multi on WebGPU: the quantized merged decoder is refused, fp32 is what remains.
    expect(checkCompatibility(CODEGEN_350M_MULTI, 'q8', desktop, 'webgpu')).toMatchObject({
      ok: false,
      reasons: [{ code: 'backend-unsupported', message: /MatMulInteger/ }],
      suggestedDtype: 'fp32',
    });
  });
});

describe('defaultDtype', () => {
  it('prefers the smallest file that runs', () => {
    expect(defaultDtype(CODEGEN_350M_MONO, 'webgpu', desktop)).toBe('q4f16');
    expect(defaultDtype(CODEGEN_350M_MONO, 'webgpu', { ...desktop, shaderF16: false })).toBe('q4');
    expect(defaultDtype(CODEGEN_350M_MONO, 'wasm')).toBe('q8');
    expect(defaultDtype(CODEGEN_350M_MULTI, 'webgpu', desktop)).toBe('fp32');
    expect(defaultDtype(CODEGEN_350M_MULTI, 'wasm')).toBe('q8');
    expect(defaultDtype(TINY, 'webgpu')).toBe('q4');
  });

  it('assumes no optional features when capabilities are unknown', () => {
    expect(defaultDtype(CODEGEN_350M_MONO, 'webgpu')).toBe('q4');
  });

  it('returns null when nothing fits', () => {
    const onlyHalf = customModel({ location: 'a/b', dtypes: ['fp16'] });
    expect(defaultDtype(onlyHalf, 'wasm')).toBe('fp16');
    expect(defaultDtype(onlyHalf, 'webgpu', { ...desktop, shaderF16: false })).toBeNull();
    const onlyInt8 = customModel({ location: 'a/b', dtypes: ['int8'] });
    expect(defaultDtype(onlyInt8, 'webgpu', desktop)).toBeNull();
  });
});
