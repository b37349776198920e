import { createContext, runInContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { gpuCounterScript, installGpuCounters, steadyDecodeStep } from './gpu-counters.ts';
import type { GpuCounterApi, GpuSnapshot } from './gpu-counters.ts';

/** Stand-ins for the WebGPU classes: only what the wrappers touch. */
function fakeScope(): {
  scope: typeof globalThis & { __benchGpu?: GpuCounterApi };
  device: { createBuffer: (d: { size: number }) => { size: number; destroy: () => void } };
  pass: { dispatchWorkgroups: (x: number) => void; dispatchWorkgroupsIndirect: () => void };
  calls: string[];
} {
  const calls: string[] = [];
  class GPUBuffer {
    constructor(readonly size: number) {}
    mapAsync(mode: number, offset?: number, size?: number): Promise<void> {
      calls.push(`map ${mode} ${offset} ${size}`);
      return Promise.resolve();
    }
    destroy(): void {
      calls.push('destroy');
    }
  }
  class GPUDevice {
    createBuffer(descriptor: { size: number }): GPUBuffer {
      return new GPUBuffer(descriptor.size);
    }
  }
  class GPUComputePassEncoder {
    dispatchWorkgroups(x: number): void {
      calls.push(`dispatch ${x}`);
    }
    dispatchWorkgroupsIndirect(): void {
      calls.push('indirect');
    }
  }
  const scope = { GPUBuffer, GPUDevice, GPUComputePassEncoder } as unknown as typeof globalThis;
  installGpuCounters(scope);
  return { scope, device: new GPUDevice(), pass: new GPUComputePassEncoder(), calls };
}

const snap = (dispatches: number, readBytes: number, liveBytes: number, peakBytes = liveBytes) => ({
  dispatches,
  readBytes,
  liveBytes,
  peakBytes,
});

describe('installGpuCounters', () => {
  it('counts dispatches, bytes mapped for reading and live buffer bytes, calling through', async () => {
    const { scope, device, pass, calls } = fakeScope();
    const api = scope.__benchGpu!;
    api.reset();
    const a = device.createBuffer({ size: 1000 });
    const b = device.createBuffer({ size: 24 });
    pass.dispatchWorkgroups(3);
    pass.dispatchWorkgroupsIndirect();
    await (a as unknown as GPUBuffer).mapAsync(1, 0, 256); // READ, explicit size
    await (b as unknown as GPUBuffer).mapAsync(1, 8); // READ, the rest of the buffer
    await (a as unknown as GPUBuffer).mapAsync(2); // WRITE: not read back
    a.destroy();
    a.destroy(); // twice: counted once
    api.mark();
    expect(calls).toEqual([
      'dispatch 3',
      'indirect',
      'map 1 0 256',
      'map 1 8 undefined',
      'map 2 undefined undefined',
      'destroy',
      'destroy',
    ]);
    expect(api.marks).toEqual([snap(0, 0, 0), snap(2, 256 + 16, 24, 1024)]);
  });

  it('installs once per scope, and not where WebGPU is missing', () => {
    const { scope } = fakeScope();
    const api = scope.__benchGpu;
    installGpuCounters(scope);
    expect(scope.__benchGpu).toBe(api);
    const bare = {} as typeof globalThis & { __benchGpu?: unknown };
    installGpuCounters(bare);
    expect(bare.__benchGpu).toBeUndefined();
  });

  it('ships as a script that runs without tsx helpers', () => {
    const script = gpuCounterScript();
    const scope = fakeScope().scope;
    delete scope.__benchGpu;
    // The script installs into its own globalThis: run it in a context made of the stand-ins.
    runInContext(script, createContext(scope));
    const installed = (scope as { __benchGpu?: GpuCounterApi }).__benchGpu;
    expect(installed?.marks).toEqual([]);
  });
});

describe('steadyDecodeStep', () => {
  it('takes the last step with GPU work, merging marks with nothing between them', () => {
    const marks: GpuSnapshot[] = [
      snap(0, 0, 100), // reset
      snap(50, 4000, 300), // prefill, batch 2: two token events
      snap(50, 4000, 300),
      snap(80, 4512, 320), // decode step 1
      snap(80, 4512, 320),
      snap(110, 5024, 330, 900), // decode step 2
      snap(110, 5024, 330, 900),
      snap(110, 5024, 330, 900), // the result message
    ];
    expect(steadyDecodeStep(marks)).toEqual({
      source: 'wrapped',
      dispatches: 30,
      readbackBytes: 512,
      liveBytes: 330,
      peakBytes: 900,
    });
  });

  it('is null without a decode step', () => {
    expect(steadyDecodeStep([])).toBeNull();
    expect(steadyDecodeStep([snap(0, 0, 0), snap(40, 10, 10)])).toBeNull();
  });
});
