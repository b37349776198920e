// What WebGPU sees of the kit's machine: the adapter, its features and limits, and how fast
// its memory moves data (a buffer-to-buffer copy, timed), which sets the bandwidth bound.

export interface GpuProbe {
  adapter: { vendor: string; architecture: string; device: string; description: string };
  features: string[];
  maxBufferBytes: number;
  maxBindingBytes: number;
  /** Bytes read plus bytes written per second by copyBufferToBuffer (null: not measured). */
  copyBytesPerS: number | null;
  copy: { bytes: number; copies: number; ms: number } | null;
}

/** Large enough to leave every cache behind (an H200's L2 is 60 MB), small enough for any GPU. */
const COPY_BYTES = 256 * 2 ** 20;
const COPIES = 32;

export async function probeGpu(gpu: GPU): Promise<GpuProbe> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('WebGPU found no adapter');
  const info = adapter.info;
  const probe: GpuProbe = {
    adapter: {
      vendor: info.vendor,
      architecture: info.architecture,
      device: info.device,
      description: info.description,
    },
    features: [...adapter.features].map(String).sort(),
    maxBufferBytes: adapter.limits.maxBufferSize,
    maxBindingBytes: adapter.limits.maxStorageBufferBindingSize,
    copyBytesPerS: null,
    copy: null,
  };
  const bytes = Math.min(COPY_BYTES, adapter.limits.maxBufferSize);
  const device = await adapter.requestDevice({
    requiredLimits: { maxBufferSize: adapter.limits.maxBufferSize },
  });
  try {
    const usage = GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const a = device.createBuffer({ size: bytes, usage });
    const b = device.createBuffer({ size: bytes, usage });
    const copies = (count: number): void => {
      const encoder = device.createCommandEncoder();
      for (let i = 0; i < count; i++)
        encoder.copyBufferToBuffer(i % 2 ? b : a, 0, i % 2 ? a : b, 0, bytes);
      device.queue.submit([encoder.finish()]);
    };
    copies(2); // first touch: the pages are made resident here, not in the timed copies
    await device.queue.onSubmittedWorkDone();
    const started = performance.now();
    copies(COPIES);
    await device.queue.onSubmittedWorkDone();
    const ms = performance.now() - started;
    probe.copy = { bytes, copies: COPIES, ms: Math.round(ms * 100) / 100 };
    probe.copyBytesPerS = (2 * bytes * COPIES) / (ms / 1000);
  } finally {
    device.destroy();
  }
  return probe;
}
