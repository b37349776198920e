// Writes a complete random-weight CodeGen model directory in the HF hub layout
// used by transformers.js exports:
//   config.json, tokenizer.json, tokenizer_config.json, model.safetensors and
//   onnx/model*.onnx: the fp32 graph rewritten by one dtype pass per file (onnx/passes).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Chunk } from './chunks.ts';
import { writeChunks } from './chunks.ts';
import { hfConfig } from './config.ts';
import type { ModelDims } from './config.ts';
import { buildCodegenGraph } from './onnx/codegen-graph.ts';
import { linearEmitter } from './onnx/linear.ts';
import type { GraphModel } from './onnx/graph-model.ts';
import { modelChunks } from './onnx/model-writer.ts';
import { applyDtype, dtypeFileName, PUBLISHED_DTYPES } from './onnx/passes/index.ts';
import type { PublishedDtype } from './onnx/passes/index.ts';
import { safetensorsChunks } from './safetensors-writer.ts';
import type { TokenizerFiles } from './tokenizer-info.ts';
import { WeightSource } from './weights.ts';

/** Bump when the output for a given seed changes; ensure-tiny regenerates on mismatch. */
export const GENERATOR_VERSION = 2;

export const ONNX_FILES = Object.fromEntries(
  PUBLISHED_DTYPES.map((d) => [d, dtypeFileName('model', d)]),
) as Record<PublishedDtype, string>;

export interface GenerateOptions {
  dims: ModelDims;
  seed: number;
  tokenizer: TokenizerFiles;
  outDir: string;
  /** ONNX dtypes to write (default: every published dtype). */
  variants?: PublishedDtype[];
  /** fp16 / q4f16 with float16 inputs and outputs instead of the published float32 I/O. */
  fp16Io?: boolean;
  /** Skip model.safetensors (e.g. for a quick 350M ONNX-only run). */
  skipSafetensors?: boolean;
  log?: (message: string) => void;
}

export function onnxChunks(
  dims: ModelDims,
  seed: number,
  dtype: PublishedDtype,
  options: { fp16Io?: boolean } = {},
): Chunk[] {
  const source = new WeightSource(dims, seed);
  const { graph, inputs, outputs } = buildCodegenGraph(dims, source, linearEmitter('fp32', source));
  const model: GraphModel = {
    graph,
    graphName: `codegen_${dtype}`,
    inputs,
    outputs,
    opsets: [{ domain: '', version: 17 }],
  };
  applyDtype(model, dtype, { fp16KeepIoTypes: !options.fp16Io });
  return modelChunks({ ...model, producerVersion: String(GENERATOR_VERSION) });
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function generateModel(opts: GenerateOptions): void {
  const log = opts.log ?? (() => {});
  const { dims, seed, outDir } = opts;
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
  for (const dtype of opts.variants ?? PUBLISHED_DTYPES) {
    const fp16Io = opts.fp16Io ?? false;
    timed(join('onnx', ONNX_FILES[dtype]), () => onnxChunks(dims, seed, dtype, { fp16Io }));
  }
}
