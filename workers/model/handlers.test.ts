import { describe, expect, it } from 'vitest';
import { createModelHandlers } from './handlers.ts';

const env = {
  loadOrt: () => Promise.reject(new Error('not used')),
  caches: undefined,
};
const noCall = { emit: () => undefined, signal: new AbortController().signal };

describe('model worker handlers without WebGPU', () => {
  it('reports why WebGPU is unavailable and skips the self-check', async () => {
    const handlers = createModelHandlers({}, env);
    const probe = await handlers.probeGpu({ kind: 'probeGpu' }, noCall);
    expect(probe.available).toBe(false);
    expect(probe.available === false && probe.reason).toContain('no navigator.gpu');
    const check = await handlers.gpuSelfCheck({ kind: 'gpuSelfCheck', m: 4, k: 4, n: 4 }, noCall);
    expect(check).toMatchObject({ status: 'skipped' });
  });

  it('reports a browser whose WebGPU finds no adapter', async () => {
    const gpu = { requestAdapter: () => Promise.resolve(null) } as unknown as GPU;
    const probe = await createModelHandlers({ gpu }, env).probeGpu({ kind: 'probeGpu' }, noCall);
    expect(probe.available === false && probe.reason).toContain('no GPU adapter');
  });
});
