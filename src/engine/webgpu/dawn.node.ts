// WebGPU under Node: Dawn through the `webgpu` package (a prebuilt dawn.node). Dawn needs a
// Vulkan driver; on machines without a GPU, SwiftShader's (shipped by Debian's chromium
// package) works, and Mesa's lavapipe is refused by Dawn, so that one is the default here.

import { existsSync } from 'node:fs';
import { create, globals } from 'webgpu';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

let gpu: GPU | null = null;

/** navigator.gpu's equivalent under Node (one per process). */
export function nodeGpu(): GPU {
  if (!gpu) {
    if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
      process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    }
    Object.assign(globalThis, globals);
    gpu = create([]);
  }
  return gpu;
}
