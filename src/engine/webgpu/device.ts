import { AppError } from '../../shared/errors.ts';
import { isSoftwareAdapter } from '../backend-choice.ts';

export interface EngineDevice {
  device: GPUDevice;
  /** shader-f16 exists: a sign of a real GPU, where a float16 cache halves its traffic. */
  hasF16: boolean;
  /** Largest buffer one storage binding may hold on this device. */
  maxBindingBytes: number;
  /** A CPU behind the WebGPU API (SwiftShader, llvmpipe, WARP): see isSoftwareAdapter. */
  software: boolean;
  /** The narrowest subgroup the device may run, where it has the `subgroups` feature. */
  subgroupMinSize: number | null;
}

/**
 * A device of its own for one model, with the adapter's largest buffer limits (the defaults,
 * 128 MiB per binding, would split most matrices of a 2B model). Each failure names its cause.
 */
export async function requestEngineDevice(gpu: GPU): Promise<EngineDevice> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new AppError('webgpu-unavailable', 'WebGPU found no GPU adapter.', {
      hint: 'Enable hardware acceleration, or use the WASM backend.',
    });
  }
  const limits = adapter.limits;
  const hasF16 = adapter.features.has('shader-f16');
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      // Timestamps cost nothing until used: the benchmark's per-kernel profile needs them.
      requiredFeatures: (['timestamp-query', 'subgroups'] as const).filter((f) =>
        adapter.features.has(f),
      ),
      requiredLimits: {
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxStorageBuffersPerShaderStage: Math.min(limits.maxStorageBuffersPerShaderStage, 10),
      },
    });
  } catch (error) {
    throw new AppError(
      'webgpu-unavailable',
      `The GPU adapter refused a device: ${error instanceof Error ? error.message : String(error)}.`,
      { hint: 'Use the onnxruntime-web engine or the WASM backend.', cause: error },
    );
  }
  if (device.limits.maxStorageBuffersPerShaderStage < 8) {
    device.destroy();
    throw new AppError(
      'missing-gpu-feature',
      `This GPU binds ${device.limits.maxStorageBuffersPerShaderStage} storage buffers per shader; the WGSL engine needs 8.`,
      { hint: 'Use the onnxruntime-web engine (engine=ort).' },
    );
  }
  const info = adapter.info;
  return {
    device,
    hasF16,
    maxBindingBytes: device.limits.maxStorageBufferBindingSize,
    subgroupMinSize: device.features.has('subgroups')
      ? ((info as GPUAdapterInfo & { subgroupMinSize?: number }).subgroupMinSize ?? null)
      : null,
    software: isSoftwareAdapter({
      vendor: info.vendor,
      architecture: info.architecture,
      device: info.device,
      description: info.description,
      isFallbackAdapter:
        (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false,
    }),
  };
}
