import type { SelfCheckReport } from '../../src/shared/contracts/model-worker.ts';
import { serializeError } from '../../src/shared/errors.ts';
import { matmulReference, maxAbsDifference, seededMatrix } from '../../src/shared/math/matmul.ts';
import { requestAdapter, requestDevice } from './adapter.ts';

const TILE = 8;

// One invocation per output element; f32 accumulation like the JS reference.
const MATMUL_WGSL = /* wgsl */ `
struct Dims { m: u32, k: u32, n: u32 }
@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> a: array<f32>;   // [m, k]
@group(0) @binding(2) var<storage, read> b: array<f32>;   // [k, n]
@group(0) @binding(3) var<storage, read_write> c: array<f32>; // [m, n]

@compute @workgroup_size(${TILE}, ${TILE})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let row = id.y;
  let col = id.x;
  if (row >= dims.m || col >= dims.n) { return; }
  var sum = 0.0;
  for (var p = 0u; p < dims.k; p++) {
    sum += a[row * dims.k + p] * b[p * dims.n + col];
  }
  c[row * dims.n + col] = sum;
}`;

/**
 * Runs a small matmul on the GPU and compares it with the JS reference. Proves that
 * shaders compile, buffers map and results are right on this device, in this worker.
 */
export async function gpuSelfCheck(
  nav: { gpu?: GPU },
  shape: { m: number; k: number; n: number },
): Promise<SelfCheckReport> {
  let adapter: GPUAdapter;
  try {
    adapter = await requestAdapter(nav);
  } catch (error) {
    return { status: 'skipped', reason: error instanceof Error ? error.message : String(error) };
  }
  // Written by the device's failure callback, which runs outside this control flow.
  const state: { failure: Error | null } = { failure: null };
  const device = await requestDevice(adapter, (error) => (state.failure = error));
  try {
    const { m, k, n } = shape;
    const a = seededMatrix(m * k, 1);
    const b = seededMatrix(k * n, 2);
    const started = performance.now();
    const gpu = await runMatmul(device, a, b, shape);
    const gpuMs = performance.now() - started;
    if (state.failure) throw state.failure;
    const maxAbsError = maxAbsDifference(gpu, matmulReference(a, b, m, k, n));
    // f32 sums of k products of values in [-1, 1): rounding grows like sqrt(k)·eps.
    const tolerance = 1e-5 * Math.max(1, k);
    return {
      status: maxAbsError <= tolerance ? 'passed' : 'failed',
      shape,
      maxAbsError,
      tolerance,
      gpuMs,
    };
  } catch (error) {
    return { status: 'error', error: serializeError(error) };
  } finally {
    device.destroy();
  }
}

async function runMatmul(
  device: GPUDevice,
  a: Float32Array,
  b: Float32Array,
  { m, k, n }: { m: number; k: number; n: number },
): Promise<Float32Array> {
  const storage = (data: Float32Array): GPUBuffer => {
    const buffer = device.createBuffer({
      size: data.byteLength,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(buffer, 0, data);
    return buffer;
  };
  const dims = device.createBuffer({
    size: 16,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(dims, 0, Uint32Array.from([m, k, n, 0]));
  const bufferA = storage(a);
  const bufferB = storage(b);
  const bytes = m * n * 4;
  const bufferC = device.createBuffer({
    size: bytes,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
  });
  const readback = device.createBuffer({
    size: bytes,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });

  const pipeline = await device.createComputePipelineAsync({
    layout: 'auto',
    compute: { module: device.createShaderModule({ code: MATMUL_WGSL }), entryPoint: 'main' },
  });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [dims, bufferA, bufferB, bufferC].map((buffer, binding) => ({
      binding,
      resource: { buffer },
    })),
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(Math.ceil(n / TILE), Math.ceil(m / TILE));
  pass.end();
  encoder.copyBufferToBuffer(bufferC, 0, readback, 0, bytes);
  device.queue.submit([encoder.finish()]);
  await readback.mapAsync(GPUMapMode.READ);
  const result = new Float32Array(readback.getMappedRange().slice(0));
  readback.unmap();
  return result;
}
