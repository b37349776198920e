// The GPU kit's model: no weights travel. The kit carries the preset's small files (config,
// tokenizer) and its resolved shape (spec.json), made by build.ts with the model generator;
// on the device the same generator writes each weight file from the seed, one process per
// file.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeChunks } from '../make-model/chunks.ts';
import type { ModelDims } from '../make-model/config.ts';
import { onnxChunks } from '../make-model/generate.ts';
import { DEFAULT_LAYOUT, onnxFile } from '../make-model/onnx/layouts/index.ts';
import { safetensorsChunks } from '../make-model/safetensors-writer.ts';
import { WeightSource } from '../make-model/weights.ts';
import { DTYPES } from '../bench/types.ts';
import type { BenchDtype } from '../bench/types.ts';
import type { KitPreset } from './plan.ts';

/** What a kit's model folder says about the weights to write (spec.json, made by build.ts). */
export interface KitSpec {
  preset: KitPreset;
  seed: number;
  dims: ModelDims;
}

export const SPEC_FILE = 'spec.json';

/** A weight file the device writes: an ONNX dtype, or model.safetensors (for PyTorch). */
export type WeightPart = BenchDtype | 'safetensors';

export function isWeightPart(part: string): part is WeightPart {
  return part === 'safetensors' || DTYPES.some((d) => d === part);
}

/**
 * Writes one weight file into the model folder `dir` (device side), byte for byte what
 * `npm run make-model` writes for the same preset and seed. Returns its path and size.
 */
export function writeWeightPart(dir: string, part: WeightPart): { path: string; bytes: number } {
  const spec = readSpec(dir);
  const file = part === 'safetensors' ? 'model.safetensors' : onnxFile(DEFAULT_LAYOUT, part);
  const path = join(dir, file);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const bytes =
    part === 'safetensors'
      ? writeChunks(path, safetensorsChunks(new WeightSource(spec.dims, spec.seed)))
      : writeChunks(path, onnxChunks(spec.dims, spec.seed, DEFAULT_LAYOUT, part));
  return { path, bytes };
}

function readSpec(dir: string): KitSpec {
  return JSON.parse(readFileSync(join(dir, SPEC_FILE), 'utf8')) as KitSpec;
}

/** The preset's shape, as the weights were written with it. */
export function readModelDims(dir: string): ModelDims {
  return readSpec(dir).dims;
}
