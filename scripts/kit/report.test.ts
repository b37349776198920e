import { describe, expect, it } from 'vitest';
import { configResult, measurement } from '../bench/test-fixtures.ts';
import type { Measurement } from '../bench/types.ts';
import { boundMs, decodeStepBytes } from './bound.ts';
import type { ModelStepBytes } from './bound.ts';
import { KIT_DEFAULTS } from './plan.ts';
import { boundBandwidth, kitJson, kitMarkdown } from './report.ts';
import type { EnginesRun, KitInputs, TorchRun } from './report.ts';

/** A measured kit point: 16 decode steps after a prompt filling the cache to the context. */
function point(batch: number, promptTokens: number, medianStepMs: number): Measurement {
  return measurement(batch, {
    purpose: 'context',
    promptTokens,
    newTokensRequested: 17,
    newTokensRun: 17,
    prefillTokPerS: (batch * promptTokens * 1000) / 100,
    decodeSteps: 16,
    decodeMs: medianStepMs * 16,
    decodeTokPerS: (batch * 1000) / medianStepMs,
    msPerStep: medianStepMs,
    medianStepMs,
    stepMs: [],
    gpu: [
      {
        source: 'wrapped',
        dispatches: 126,
        readbackBytes: 528,
        liveBytes: 2 ** 20,
        peakBytes: 2 ** 21,
      },
    ],
  });
}

const options = { ...KIT_DEFAULTS, batches: [1], contexts: [0, 256] };
const wgsl = configResult('node-wgsl', 'q4', [
  { status: 'ok', ...point(1, 8, 1), purpose: 'warmup' },
  { status: 'ok', ...point(1, 1, 2.5) },
  { status: 'ok', ...point(1, 256, 3.25) },
]);
const ort = configResult('node-ort-webgpu', 'q4', [
  { status: 'ok', ...point(1, 8, 1), purpose: 'warmup' },
  { status: 'ok', ...point(1, 1, 7.5) },
  { status: 'timeout', message: 'over the 60 s left for the workloads' },
]);
const engines: EnginesRun = {
  startedAt: '2026-12-05T00:00:00Z',
  wallS: 10,
  options,
  probe: {
    adapter: { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'H200' },
    features: ['shader-f16'],
    maxBufferBytes: 2 ** 32,
    maxBindingBytes: 2 ** 31,
    copyBytesPerS: 3e12,
    copy: { bytes: 2 ** 28, copies: 32, ms: 5.7 },
  },
  machine: {},
  configs: [wgsl, ort],
};
const torch: TorchRun = {
  status: 'ok',
  device: 'NVIDIA H200',
  dtype: 'fp16',
  copyBytesPerS: 4e12,
  points: [
    { batch: 1, context: 0, steps: 16, msPerStep: 6.1, medianStepMs: 6 },
    { batch: 1, context: 256, steps: 16, msPerStep: 6.6, medianStepMs: 6.5 },
  ],
  prefill: [{ batch: 1, tokens: 256, ms: 12, tokPerS: 21333.3 }],
  peakBytes: 2 ** 30,
};
const q4: ModelStepBytes = {
  linearBytes: 250e6,
  vectorBytes: 1e6,
  embeddingRowBytes: 4096,
  nLayer: 20,
  nEmbd: 1024,
};

describe('the kit report', () => {
  const inputs: KitInputs = { engines, checks: null, torch, stepBytes: { q4 } };

  it('takes the bound’s bandwidth from PyTorch’s copy where it ran, else from WebGPU’s', () => {
    expect(boundBandwidth(inputs)).toEqual({
      bytesPerS: 4e12,
      from: 'PyTorch device-to-device copy',
    });
    expect(boundBandwidth({ ...inputs, torch: null })?.bytesPerS).toBe(3e12);
  });

  it('puts each engine, PyTorch and the bound side by side per batch and context', () => {
    const md = kitMarkdown(inputs);
    const bound0 = boundMs(decodeStepBytes(q4, 1, 0), 4e12);
    const bound256 = boundMs(decodeStepBytes(q4, 1, 256), 4e12);
    expect(md).toContain('| batch | context | WGSL q4 | ORT-web q4 | PyTorch fp16 | bound q4 |');
    expect(md).toContain(`| 1 | 0 | 2.50 | 7.50 | 6.00 | ${bound0.toPrecision(3)} |`);
    // onnxruntime-web timed out before context 256: a dash, and the reason below the tables.
    expect(md).toContain(`| 1 | 256 | 3.25 | — | 6.50 | ${bound256.toPrecision(3)} |`);
    expect(md).toContain('- ORT-web q4: timeout: over the 60 s left for the workloads');
    // Prefill of the 256-token prompt: batch × tokens / time.
    expect(md).toContain('| 1 | 2560 | — | 21333 |');
    expect(md).toContain('| WGSL q4 | 1 | wrapped | 126 | 0.52 | 1.0 (2.0) |');
  });

  it('keeps every input in the JSON and the bound per point', () => {
    const json = kitJson(inputs) as { bound: Array<{ context: number; ms: number }> };
    expect(json.bound.map((b) => b.context)).toEqual([0, 256]);
    expect(json.bound[1]!.ms).toBeCloseTo(boundMs(decodeStepBytes(q4, 1, 256), 4e12), 12);
    expect(json).toMatchObject({ engines, torch, stepBytes: { q4 } });
  });
});
