/**
 * `gpu` as it is, except that each device requested through it (through an adapter it gave)
 * is also handed to `onDevice`: the model worker can then destroy the device an engine made
 * for itself (the `loseDevice` diagnostic) without the engine exposing it. Members are read
 * from the real objects and methods bound to them, as the browser's WebGPU objects require.
 */
export function observeDevices(gpu: GPU, onDevice: (device: GPUDevice) => void): GPU {
  return withOverrides(gpu, {
    requestAdapter: async (options?: GPURequestAdapterOptions) => {
      const adapter = await gpu.requestAdapter(options);
      return (
        adapter &&
        withOverrides(adapter, {
          requestDevice: async (descriptor?: GPUDeviceDescriptor) => {
            const device = await adapter.requestDevice(descriptor);
            onDevice(device);
            return device;
          },
        })
      );
    },
  });
}

function withOverrides<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(real, key): unknown {
      if (Object.hasOwn(overrides, key)) return Reflect.get(overrides, key);
      const value: unknown = Reflect.get(real, key, real);
      return typeof value === 'function' ? value.bind(real) : value;
    },
  });
}
