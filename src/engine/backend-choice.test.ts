import { describe, expect, it } from 'vitest';
import type { GpuReport } from '../shared/contracts/model-worker.ts';
import { chooseBackend, describeDecision } from './backend-choice.ts';

function adapterReport(adapter: Partial<Extract<GpuReport, { available: true }>['adapter']>) {
  const report: GpuReport = {
    available: true,
    adapter: {
      vendor: '',
      architecture: '',
      device: '',
      description: '',
      isFallbackAdapter: false,
      ...adapter,
    },
    features: { shaderF16: false, subgroups: false, timestampQuery: false, all: [] },
    limits: {
      maxStorageBufferBindingSize: 2 ** 27,
      maxBufferSize: 2 ** 28,
      maxComputeWorkgroupStorageSize: 16384,
      maxComputeInvocationsPerWorkgroup: 256,
    },
  };
  return report;
}

// What headless Chromium without a GPU reports (the CI browser).
const SWIFTSHADER = adapterReport({
  vendor: 'google',
  architecture: 'swiftshader',
  description: 'SwiftShader Device (Subzero)',
  isFallbackAdapter: true,
});
const HARDWARE = adapterReport({ vendor: 'nvidia', architecture: 'ampere' });

describe('chooseBackend', () => {
  it('Auto takes WASM on a fallback adapter and says why', () => {
    const decision = chooseBackend('auto', SWIFTSHADER);
    expect(decision).toEqual({
      backend: 'wasm',
      choice: 'auto',
      reason:
        'the WebGPU adapter is a software fallback (SwiftShader Device (Subzero)), slower than WASM on the CPU',
    });
    expect(describeDecision(decision)).toBe(
      'WASM — Auto chose it: the WebGPU adapter is a software fallback (SwiftShader Device (Subzero)), slower than WASM on the CPU',
    );
  });

  it('Auto takes WASM on a CPU rasterizer that does not call itself a fallback', () => {
    const llvmpipe = adapterReport({ vendor: 'mesa', architecture: 'llvmpipe' });
    expect(chooseBackend('auto', llvmpipe)).toMatchObject({
      backend: 'wasm',
      reason: expect.stringContaining('software fallback (mesa llvmpipe)') as string,
    });
  });

  it('Auto takes WebGPU on a hardware adapter', () => {
    expect(chooseBackend('auto', HARDWARE)).toEqual({
      backend: 'webgpu',
      choice: 'auto',
      reason: 'the WebGPU adapter is a hardware GPU (nvidia ampere)',
    });
  });

  it('Auto takes WASM without WebGPU, with the probe’s reason', () => {
    const none: GpuReport = { available: false, reason: 'no GPU adapter was found' };
    expect(chooseBackend('auto', none)).toEqual({
      backend: 'wasm',
      choice: 'auto',
      reason: 'this browser has no WebGPU (no GPU adapter was found)',
    });
  });

  it('keeps an explicit choice, even WebGPU on a software adapter', () => {
    const forced = chooseBackend('webgpu', SWIFTSHADER);
    expect(forced).toMatchObject({ backend: 'webgpu', choice: 'webgpu' });
    expect(describeDecision(forced)).toBe('WebGPU — chosen in the Backend menu');
    expect(chooseBackend('wasm', HARDWARE)).toMatchObject({ backend: 'wasm', choice: 'wasm' });
  });
});
