import { describe, expect, it } from 'vitest';
import { gpuTable, kernelSummary, kernelTable, mtpbTable } from './table.ts';
import { configResult, measurement } from './test-fixtures.ts';
import type { ConfigResult } from './types.ts';

const config = (runs: ConfigResult['runs']): ConfigResult =>
  configResult('chromium-wgsl', 'q4', runs);

describe('gpuTable', () => {
  it('has a row per count of each throughput run, in KiB and MiB', () => {
    const table = gpuTable([
      config([
        {
          status: 'ok',
          ...measurement(1, {
            gpu: [
              {
                source: 'wrapped',
                dispatches: 150,
                readbackBytes: 2048,
                liveBytes: 3 * 2 ** 20,
                peakBytes: 5 * 2 ** 20,
              },
              {
                source: 'engine',
                dispatches: 150,
                readbackBytes: 1536,
                liveBytes: 3 * 2 ** 20,
                peakBytes: 3 * 2 ** 20,
              },
            ],
          }),
        },
        { status: 'timeout', message: 'over the cap' },
        // No count (a WASM run): no row.
        { status: 'ok', ...measurement(5) },
      ]),
    ]);
    expect(table.split('\n').slice(2)).toEqual([
      '| Chromium WGSL engine (ours) | q4 | 1 | wrapped | 150 | 2.00 | 3.00 (5.00) |',
      '| Chromium WGSL engine (ours) | q4 | 1 | engine | 150 | 1.50 | 3.00 (3.00) |',
    ]);
  });
});

describe('kernelTable', () => {
  it('sums kernels per name, shares of each phase, slowest decode kernel first', () => {
    const decode = [
      { kernel: 'ln#a', ms: 1 },
      { kernel: 'qkv#.#.v', ms: 3 },
      { kernel: 'qkv#.#.v', ms: 4 },
      { kernel: 'cand#', ms: 2 },
    ];
    const prefill = [
      { kernel: 'qkv#.#.m', ms: 30 },
      { kernel: 'ln#a', ms: 10 },
    ];
    expect(kernelSummary(decode).get('qkv#.#.v')).toEqual({ calls: 2, ms: 7 });
    expect(kernelTable({ prefill, decode }).split('\n').slice(2)).toEqual([
      '| qkv#.#.v | 2 | 7.00 | 70.0% | – | – | – |',
      '| cand# | 1 | 2.00 | 20.0% | – | – | – |',
      '| ln#a | 1 | 1.00 | 10.0% | 1 | 10.0 | 25.0% |',
      '| qkv#.#.m | – | – | – | 1 | 30.0 | 75.0% |',
      '| total | 4 | 10.0 | 100% | 2 | 40.0 | 100% |',
    ]);
  });
});

describe('mtpbTable', () => {
  it('gives hours and the rates behind them', () => {
    const table = mtpbTable([
      {
        runtime: 'node-wgsl',
        dtype: 'q4',
        rates: { batch: 5, msPerStep: 2500, prefillTokPerS: 1.8 },
        fullMtpbMs: 90 * 3_600_000,
      },
      {
        runtime: 'tjs-webgpu',
        dtype: 'q4',
        rates: { batch: 1, msPerStep: 5000, prefillTokPerS: 0 },
        fullMtpbMs: null,
      },
    ]);
    expect(table.split('\n').slice(2)).toEqual([
      '| Node Dawn WGSL engine (ours) | q4 | b5 2500 ms/step, prefill 1.80 tok/s | 90.0 |',
      '| transformers.js WebGPU | q4 | b1 5000 ms/step, prefill 0.00 tok/s | – |',
    ]);
  });
});
