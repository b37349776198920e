import { GpuDeviceLostError, WebGpuUnavailableError } from '../../src/shared/errors.ts';

/** Asserts WebGPU exists in this global scope (page or worker), with a reason when it does not. */
export function assertWebGpu(nav: { gpu?: GPU }): asserts nav is { gpu: GPU } {
  if (!nav.gpu) {
    throw new WebGpuUnavailableError(
      'this browser exposes no navigator.gpu (WebGPU is off, unsupported, or not exposed to workers)',
    );
  }
}

export async function requestAdapter(nav: { gpu?: GPU }): Promise<GPUAdapter> {
  assertWebGpu(nav);
  const adapter = await nav.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new WebGpuUnavailableError('no GPU adapter was found');
  return adapter;
}

/** The spec moved isFallbackAdapter from the adapter onto adapter.info; read either. */
export function isFallbackAdapter(adapter: GPUAdapter): boolean {
  if ('isFallbackAdapter' in adapter.info) return adapter.info.isFallbackAdapter;
  return 'isFallbackAdapter' in adapter && adapter.isFallbackAdapter === true;
}

/**
 * A device whose loss and uncaptured errors go to one failure path: `onFailure` is called
 * once with an error class the UI knows how to explain.
 */
export async function requestDevice(
  adapter: GPUAdapter,
  onFailure: (error: Error) => void,
): Promise<GPUDevice> {
  const device = await adapter.requestDevice();
  let failed = false;
  const fail = (error: Error): void => {
    if (failed) return;
    failed = true;
    onFailure(error);
  };
  void device.lost.then((info) => {
    // 'destroyed' is our own device.destroy(): not a failure.
    if (info.reason !== 'destroyed') fail(new GpuDeviceLostError(info.message || 'unknown reason'));
  });
  device.addEventListener('uncapturederror', (event) => {
    fail(new Error(`WebGPU error: ${event.error.message}`));
  });
  return device;
}
