import { describe, expect, it } from 'vitest';
import { GRACE_MS } from '../bench/node-runner.ts';
import { capsFor, KIT_DEFAULTS, kitPlans, kitWorkloads, ortWebGpuRefuses } from './plan.ts';

describe('the GPU kit plan', () => {
  it('runs the issue’s points: batch 1 then 5, each at contexts 0, 256, 512, 1024', () => {
    const points = kitWorkloads(KIT_DEFAULTS).filter((w) => w.purpose === 'context');
    expect(points.map((w) => [w.batch, w.promptTokens])).toEqual([
      [1, 1],
      [1, 256],
      [1, 512],
      [1, 1024],
      [5, 1],
      [5, 256],
      [5, 512],
      [5, 1024],
    ]);
    expect(points.every((w) => w.newTokens === KIT_DEFAULTS.steps + 1)).toBe(true);
    // The prefill rate is read off the 256-token prompt.
    expect(points.some((w) => w.promptTokens === KIT_DEFAULTS.prefillTokens)).toBe(true);
  });

  it('starts each configuration with a warm-up, smallest contexts first', () => {
    const workloads = kitWorkloads({ ...KIT_DEFAULTS, contexts: [512, 0, 256] });
    expect(workloads[0]?.purpose).toBe('warmup');
    expect(workloads.slice(1, 4).map((w) => w.promptTokens)).toEqual([1, 256, 512]);
  });

  it('fits every configuration, kill grace included, inside the budget', () => {
    const plans = kitPlans({ ...KIT_DEFAULTS, budgetS: 200 });
    expect(plans.map((p) => `${p.runtime} ${p.dtype}`)).toEqual([
      'node-wgsl q4f16',
      'node-wgsl q4',
      'node-wgsl fp16',
      'node-ort-webgpu q4f16',
      'node-ort-webgpu q4',
      'node-ort-webgpu fp16',
    ]);
    const worst = plans.reduce((sum, p) => sum + p.loadCapMs + p.capMs + GRACE_MS, 0);
    expect(worst).toBeLessThanOrEqual(200_000);
    expect(plans.every((p) => p.loadCapMs > 0 && p.capMs > p.loadCapMs)).toBe(true);
  });

  it('gives a configuration that starts later what the earlier ones left', () => {
    const even = capsFor(200_000, 4);
    // The first finished in 10 s of its 50: the three left share 190 s.
    const later = capsFor(190_000, 3);
    expect(later.loadCapMs + later.capMs).toBeGreaterThan(even.loadCapMs + even.capMs);
    expect(3 * (later.loadCapMs + later.capMs + GRACE_MS)).toBeLessThanOrEqual(190_000 + 3);
    expect(capsFor(10_000, 4)).toEqual({ loadCapMs: 0, capMs: 0 });
  });

  it('skips onnxruntime-web fp16 and q4f16 only where the adapter lacks shader-f16', () => {
    expect(ortWebGpuRefuses('fp16', ['timestamp-query'])).toMatch(/shader-f16/);
    expect(ortWebGpuRefuses('q4f16', [])).toMatch(/shader-f16 for q4f16/);
    expect(ortWebGpuRefuses('fp16', ['shader-f16'])).toBeNull();
    expect(ortWebGpuRefuses('q4', [])).toBeNull();
  });
});
