// Counts a WebGPU runtime's work from outside it: dispatches, bytes mapped for reading and
// live buffer bytes, by wrapping the WebGPU prototypes of the scope it runs in, before it
// makes its device. The same wrappers serve onnxruntime-web (JSEP, asyncify), transformers.js
// and our WGSL engine, so their columns compare like for like. Bench-only: the script is
// served beside the built app (serve.ts) or added to a page by Playwright, never bundled.

import type { GpuStepCost } from './types.ts';

/** Cumulative counts at one moment: marks split a run into steps. */
export interface GpuSnapshot {
  dispatches: number;
  readBytes: number;
  liveBytes: number;
  peakBytes: number;
}

/** What the wrappers expose as `globalThis.__benchGpu`. */
export interface GpuCounterApi {
  /** Records a snapshot: the end of one step and the start of the next. */
  mark: () => void;
  /** Drops the marks and starts again from a mark of the counts now (peak reset to live). */
  reset: () => void;
  marks: GpuSnapshot[];
}

/**
 * Wraps dispatchWorkgroups(+Indirect), mapAsync (READ mode) and createBuffer / destroy on
 * `scope`'s WebGPU classes, and exposes `__benchGpu`. In a worker, every postMessage is a
 * mark: the model worker posts one token event per row per step, so marks fall exactly on
 * step boundaries. Self-contained (no imports, no closure): it is shipped as its source
 * text (`gpuCounterScript`).
 */
export function installGpuCounters(scope: typeof globalThis): void {
  const g = scope as typeof globalThis & { __benchGpu?: GpuCounterApi };
  if (g.__benchGpu || typeof g.GPUBuffer === 'undefined') return;
  const counts = { dispatches: 0, readBytes: 0, liveBytes: 0, peakBytes: 0 };
  const sizes = new WeakMap<GPUBuffer, number>();
  const api: GpuCounterApi = {
    marks: [],
    mark: () => {
      api.marks.push({ ...counts });
    },
    reset: () => {
      counts.peakBytes = counts.liveBytes;
      api.marks = [{ ...counts }];
    },
  };
  g.__benchGpu = api;

  // Each wrapper counts, then calls the original with the same `this` and arguments.
  const wrap = <T extends object>(
    proto: T,
    name: string,
    count: (self: T, args: unknown[], result: unknown) => void,
  ): void => {
    const original = Object.getOwnPropertyDescriptor(proto, name)?.value as
      ((this: T, ...args: unknown[]) => unknown) | undefined;
    if (!original) return;
    Object.defineProperty(proto, name, {
      configurable: true,
      writable: true,
      value(this: T, ...args: unknown[]): unknown {
        const result = original.apply(this, args);
        count(this, args, result);
        return result;
      },
    });
  };
  const countDispatch = (): void => {
    counts.dispatches++;
  };
  wrap(g.GPUComputePassEncoder.prototype, 'dispatchWorkgroups', countDispatch);
  wrap(g.GPUComputePassEncoder.prototype, 'dispatchWorkgroupsIndirect', countDispatch);
  wrap(g.GPUBuffer.prototype, 'mapAsync', (buffer, args) => {
    const [mode, offset, size] = args as [number, number | undefined, number | undefined];
    // GPUMapMode.READ is 1; the constant is not a global in every scope that has GPUBuffer.
    if (mode & 1) counts.readBytes += size ?? buffer.size - (offset ?? 0);
  });
  wrap(g.GPUBuffer.prototype, 'destroy', (buffer) => {
    const size = sizes.get(buffer);
    // A buffer destroyed twice (or made before the wrappers) is counted once, or not at all.
    if (size !== undefined) {
      counts.liveBytes -= size;
      sizes.delete(buffer);
    }
  });
  wrap(g.GPUDevice.prototype, 'createBuffer', (_device, args, made) => {
    const size = (args[0] as GPUBufferDescriptor).size;
    sizes.set(made as GPUBuffer, size);
    counts.liveBytes += size;
    counts.peakBytes = Math.max(counts.peakBytes, counts.liveBytes);
  });
  // A worker's own postMessage (a page's takes a target origin and is left alone).
  if (typeof (g as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined') {
    const post = g.postMessage.bind(g) as (...args: unknown[]) => void;
    (g as { postMessage: unknown }).postMessage = (...args: unknown[]): void => {
      api.mark();
      post(...args);
    };
  }
}

/** The wrappers as a script for a page's init script or a worker's first import. */
export function gpuCounterScript(): string {
  // tsx compiles this file with esbuild's keepNames, whose `__name` calls travel with the
  // function's text: the script brings a no-op of its own.
  return `var __name = (fn) => fn;\n(${installGpuCounters.toString()})(globalThis);\n`;
}

/**
 * One steady decode step from a run's marks: the differences between consecutive marks are
 * steps (marks with nothing between them, as a batch's rows post one event each, are
 * merged); the first step with GPU work is the prefill, the last one the steadiest decode
 * step. Null when no decode step was seen.
 */
export function steadyDecodeStep(marks: readonly GpuSnapshot[]): GpuStepCost | null {
  const steps: Array<{ from: GpuSnapshot; to: GpuSnapshot }> = [];
  for (let i = 1; i < marks.length; i++) {
    const from = marks[i - 1]!;
    const to = marks[i]!;
    if (to.dispatches > from.dispatches) steps.push({ from, to });
  }
  const last = steps.at(-1);
  if (steps.length < 2 || !last) return null;
  return {
    source: 'wrapped',
    dispatches: last.to.dispatches - last.from.dispatches,
    readbackBytes: last.to.readBytes - last.from.readBytes,
    liveBytes: last.to.liveBytes,
    peakBytes: Math.max(...marks.map((m) => m.peakBytes)),
  };
}
