import { describe, expect, it } from 'vitest';
import { contextPlans, onWebGpu, parseOptions, throughputPlans } from './plan.ts';

describe('engine benchmark plans', () => {
  it('runs the WGSL runtimes on the WebGPU dtypes, profiling under Node only', () => {
    const options = parseOptions([
      '--runtimes',
      'node-wasm,node-wgsl,chromium-wgsl',
      '--dtypes',
      'q4,q8',
      '--profile-tokens',
      '32',
    ]);
    const plans = throughputPlans(options);
    expect(plans.map((p) => `${p.runtime} ${p.dtype}`)).toEqual([
      'node-wasm q4',
      'node-wasm q8',
      'node-wgsl q4',
      'chromium-wgsl q4',
    ]);
    const node = plans[2]!;
    expect(node.workloads.map((w) => `${w.purpose} b${w.batch} ${w.promptTokens}`)).toEqual([
      // SwiftShader: a 350M prefill of 256 tokens would outlast the cap.
      'throughput b1 64',
      'throughput b5 64',
      'profile b1 32',
    ]);
    expect(plans[3]!.workloads.map((w) => w.purpose)).toEqual(['throughput', 'throughput']);
    // The profile's time is added to the cap, not taken from the throughput runs.
    expect(node.capMs).toBeGreaterThan(plans[3]!.capMs);
    expect(onWebGpu('node-wgsl') && onWebGpu('tjs-webgpu') && !onWebGpu('node-wasm')).toBe(true);
  });

  it('sweeps context on the WGSL engine: the tiny model in Chromium, the chosen one in Node', () => {
    const options = parseOptions([
      '--runtimes',
      'node-wgsl,chromium-wgsl',
      '--profile-tokens',
      '0',
    ]);
    expect(contextPlans(options).map((s) => `${s.plan.runtime} ${s.model}`)).toEqual([
      'chromium-wgsl tiny',
      'node-wgsl 350M',
    ]);
    expect(throughputPlans(options)[0]!.workloads.some((w) => w.purpose === 'profile')).toBe(false);
  });
});
