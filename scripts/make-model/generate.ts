// Writes a complete random-weight CodeGen model directory in the HF hub layout:
//   config.json, tokenizer.json, tokenizer_config.json, model.safetensors,
//   onnx/<file> per dtype, named as the chosen graph layout publishes them (onnx/layouts).
// Each ONNX file is the layout's fp32 graph rewritten by the dtype's pass (onnx/passes).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Chunk } from './chunks.ts';
import { writeChunks } from './chunks.ts';
import { hfConfig } from './config.ts';
import type { ModelDims } from './config.ts';
import { DEFAULT_LAYOUT, LAYOUTS, layoutDtypes, onnxFile } from './onnx/layouts/index.ts';
import type { LayoutName } from './onnx/layouts/index.ts';
import { modelChunks } from './onnx/model-writer.ts';
import { applyDtype } from './onnx/passes/index.ts';
import type { PublishedDtype } from './onnx/passes/index.ts';
import { safetensorsChunks } from './safetensors-writer.ts';
import type { TokenizerFiles } from './tokenizer-info.ts';
import { WeightSource } from './weights.ts';

/** Bump when the output for a given seed changes; ensure-tiny regenerates on mismatch. */
export const GENERATOR_VERSION = 2;

export interface GenerateOptions {
  dims: ModelDims;
  seed: number;
  tokenizer: TokenizerFiles;
  outDir: string;
  /** Graph layout (default transformers-js). */
  layout?: LayoutName;
  /** ONNX dtypes to write (default: every dtype the layout publishes). */
  dtypes?: readonly PublishedDtype[];
  /** fp16 / q4f16 with float16 inputs and outputs instead of the published float32 I/O. */
  fp16Io?: boolean;
  /** Skip model.safetensors (e.g. for a quick 350M ONNX-only run). */
  skipSafetensors?: boolean;
  log?: (message: string) => void;
}

export function onnxChunks(
  dims: ModelDims,
  seed: number,
  layout: LayoutName,
  dtype: PublishedDtype,
  options: { fp16Io?: boolean } = {},
): Chunk[] {
  const source = new WeightSource(dims, seed);
  const model = LAYOUTS[layout].build(dims, source);
  applyDtype(model, dtype, { fp16KeepIoTypes: !options.fp16Io });
  return modelChunks({ ...model, producerVersion: String(GENERATOR_VERSION) });
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function generateModel(opts: GenerateOptions): void {
  const log = opts.log ?? (() => {});
  const { dims, seed, outDir } = opts;
  const layout = opts.layout ?? DEFAULT_LAYOUT;
  const dtypes = opts.dtypes ?? layoutDtypes(layout);
  for (const dtype of dtypes) onnxFile(layout, dtype); // refuse unknown dtypes before writing
  mkdirSync(join(outDir, 'onnx'), { recursive: true });
  writeFileSync(join(outDir, 'config.json'), json(hfConfig(dims)));
  writeFileSync(join(outDir, 'tokenizer.json'), json(opts.tokenizer.tokenizerJson));
  writeFileSync(join(outDir, 'tokenizer_config.json'), json(opts.tokenizer.tokenizerConfig));
  const timed = (file: string, chunks: () => Chunk[]): void => {
    const t0 = performance.now();
    const bytes = writeChunks(join(outDir, file), chunks());
    log(
      `${file}: ${(bytes / 2 ** 20).toFixed(1)} MiB in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  };
  if (!opts.skipSafetensors)
    timed('model.safetensors', () => safetensorsChunks(new WeightSource(dims, seed)));
  for (const dtype of dtypes) {
    const fp16Io = opts.fp16Io ?? false;
    timed(onnxFile(layout, dtype), () => onnxChunks(dims, seed, layout, dtype, { fp16Io }));
  }
}
