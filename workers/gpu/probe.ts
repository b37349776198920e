import type { GpuReport } from '../../src/shared/contracts/model-worker.ts';
import { isFallbackAdapter, requestAdapter } from './adapter.ts';

/** Describes the adapter this scope gets, or says plainly why there is none. */
export async function probeGpu(nav: { gpu?: GPU }): Promise<GpuReport> {
  let adapter: GPUAdapter;
  try {
    adapter = await requestAdapter(nav);
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const all = [...adapter.features].map(String).sort();
  return {
    available: true,
    adapter: {
      vendor: adapter.info.vendor,
      architecture: adapter.info.architecture,
      device: adapter.info.device,
      description: adapter.info.description,
      isFallbackAdapter: isFallbackAdapter(adapter),
    },
    features: {
      shaderF16: adapter.features.has('shader-f16'),
      subgroups: adapter.features.has('subgroups'),
      timestampQuery: adapter.features.has('timestamp-query'),
      all,
    },
    limits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
      maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
    },
  };
}
