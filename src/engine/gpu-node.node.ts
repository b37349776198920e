// WebGPU under Node (tests, CLI) for the WGSL engine: Dawn through the `webgpu` package,
// imported only when asked for, so onnxruntime-only runs never load Dawn.

import { existsSync } from 'node:fs';

/** Chromium's SwiftShader Vulkan driver: the only Vulkan driver on machines without a GPU. */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

let gpu: Promise<GPU> | null = null;

/**
 * Dawn's GPU, made once per process. Dawn needs a Vulkan driver on Linux; where none is
 * named and Chromium's SwiftShader is installed, it is named here, before Dawn starts and
 * reads the variable. The WebGPU classes and constants (GPUBufferUsage, …) become globals,
 * as in a browser, for code written for the page.
 */
export function nodeGpu(): Promise<GPU> {
  gpu ??= (async () => {
    if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD))
      process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    return create([]);
  })();
  return gpu;
}
