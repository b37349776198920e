import { AppError } from '../../shared/errors.ts';
import type { RetainLayout } from '../prefix-reuse.ts';
import type { Ort, OrtTensor } from './ort-types.ts';

/** Where the old cache's tokens are: each row right-aligned at `oldWidth`. */
export interface CacheGeometry {
  oldWidth: number;
  /** Tokens cached per old row. */
  oldRows: readonly number[];
  nHead: number;
  headDim: number;
}

/**
 * One contiguous run to copy, in elements: a (row, head) pair's kept positions. The cache
 * is [batch, n_head, seq, head_dim], so a row's positions under one head are contiguous.
 */
interface Run {
  from: number;
  to: number;
  length: number;
}

/** Every copy that turns the old cache into `layout`; pads stay zero (they are masked). */
function runs(layout: RetainLayout, geometry: CacheGeometry): Run[] {
  const { oldWidth, oldRows, nHead, headDim } = geometry;
  const out: Run[] = [];
  layout.rows.forEach(({ from, keep }, row) => {
    if (keep === 0) return;
    const oldPad = oldWidth - (oldRows[from] ?? 0);
    const newPad = layout.width - keep;
    for (let h = 0; h < nHead; h++) {
      out.push({
        from: ((from * nHead + h) * oldWidth + oldPad) * headDim,
        to: ((row * nHead + h) * layout.width + newPad) * headDim,
        length: keep * headDim,
      });
    }
  });
  return out;
}

/** [rows, n_head, width, head_dim] */
function newDims(layout: RetainLayout, geometry: CacheGeometry): number[] {
  return [layout.rows.length, geometry.nHead, layout.width, geometry.headDim];
}

/** WASM: the cache tensors are in JS memory; the new ones are copied out of them. */
export function relayoutOnCpu(
  ort: Ort,
  past: readonly OrtTensor[],
  layout: RetainLayout,
  geometry: CacheGeometry,
): OrtTensor[] {
  const dims = newDims(layout, geometry);
  const size = dims.reduce((a, b) => a * b, 1);
  const copies = runs(layout, geometry);
  return past.map((tensor) => {
    const { data } = tensor;
    if (tensor.type === 'float32' && data instanceof Float32Array) {
      const out = new Float32Array(size);
      for (const run of copies) out.set(data.subarray(run.from, run.from + run.length), run.to);
      return new ort.Tensor('float32', out, dims);
    }
    if (tensor.type === 'float16' && data instanceof Uint16Array) {
      const out = new Uint16Array(size);
      for (const run of copies) out.set(data.subarray(run.from, run.from + run.length), run.to);
      return new ort.Tensor('float16', out, dims);
    }
    throw new AppError(
      'internal',
      `Cannot keep a ${tensor.type} cache held in ${tensor.location}.`,
    );
  });
}

/**
 * WebGPU: the cache stays on the GPU. Each new tensor is a buffer of its own (zeroed on
 * creation, as WebGPU guarantees), filled by buffer-to-buffer copies in one submission that
 * the queue orders before the next session run; the tensor destroys it when disposed.
 */
export async function relayoutOnGpu(
  ort: Ort,
  past: readonly OrtTensor[],
  layout: RetainLayout,
  geometry: CacheGeometry,
): Promise<OrtTensor[]> {
  // Typed as a promise, but some builds return the device itself: accept both.
  const device = await Promise.resolve(ort.env.webgpu.device);
  const dims = newDims(layout, geometry);
  const copies = runs(layout, geometry);
  const encoder = device.createCommandEncoder();
  const made: OrtTensor[] = [];
  try {
    for (const tensor of past) {
      if (
        tensor.location !== 'gpu-buffer' ||
        (tensor.type !== 'float32' && tensor.type !== 'float16')
      )
        throw new AppError(
          'internal',
          `Cannot keep a ${tensor.type} cache held in ${tensor.location} on WebGPU.`,
        );
      const bytes = tensor.type === 'float16' ? 2 : 4;
      // Buffer sizes are multiples of 4 bytes; head_dim is even, so every copy is too.
      const size = Math.max(4, Math.ceil((dims.reduce((a, b) => a * b, 1) * bytes) / 4) * 4);
      const buffer = device.createBuffer({
        size,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      });
      for (const run of copies) {
        encoder.copyBufferToBuffer(
          tensor.gpuBuffer,
          run.from * bytes,
          buffer,
          run.to * bytes,
          run.length * bytes,
        );
      }
      made.push(
        ort.Tensor.fromGpuBuffer(buffer, {
          dataType: tensor.type,
          dims,
          dispose: () => buffer.destroy(),
        }),
      );
    }
    device.queue.submit([encoder.finish()]);
  } catch (error) {
    for (const tensor of made) tensor.dispose();
    throw error;
  }
  return made;
}
