// Writes a complete random-weight CodeGen model directory in the HF hub layout
// used by transformers.js exports:
//   config.json, tokenizer.json, tokenizer_config.json, model.safetensors,
//   onnx/model.onnx (fp32), onnx/model_q4.onnx (MatMulNBits), onnx/model_quantized.onnx (q8).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Chunk } from './chunks.ts';
import { writeChunks } from './chunks.ts';
import { hfConfig } from './config.ts';
import type { ModelDims } from './config.ts';
import { buildCodegenGraph } from './onnx/codegen-graph.ts';
import { linearEmitter } from './onnx/linear.ts';
import type { Variant } from './onnx/linear.ts';
import { modelChunks } from './onnx/model-writer.ts';
import { safetensorsChunks } from './safetensors-writer.ts';
import type { TokenizerFiles } from './tokenizer-info.ts';
import { WeightSource } from './weights.ts';

/** Bump when the output for a given seed changes; ensure-tiny regenerates on mismatch. */
export const GENERATOR_VERSION = 1;

export const ONNX_FILES: Record<Variant, string> = {
  fp32: 'model.onnx',
  q4: 'model_q4.onnx',
  q8: 'model_quantized.onnx',
};

export interface GenerateOptions {
  dims: ModelDims;
  seed: number;
  tokenizer: TokenizerFiles;
  outDir: string;
  /** ONNX variants to write (default all three). */
  variants?: Variant[];
  /** Skip model.safetensors (e.g. for a quick 350M ONNX-only run). */
  skipSafetensors?: boolean;
  log?: (message: string) => void;
}

export function onnxChunks(dims: ModelDims, seed: number, variant: Variant): Chunk[] {
  const source = new WeightSource(dims, seed);
  const { graph, inputs, outputs } = buildCodegenGraph(
    dims,
    source,
    linearEmitter(variant, source),
  );
  const opsets = [{ domain: '', version: 17 }];
  if (variant === 'q4') opsets.push({ domain: 'com.microsoft', version: 1 });
  return modelChunks({
    graph,
    graphName: `codegen_${variant}`,
    inputs,
    outputs,
    opsets,
    producerVersion: String(GENERATOR_VERSION),
  });
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
  for (const variant of opts.variants ?? (['fp32', 'q4', 'q8'] as const)) {
    timed(join('onnx', ONNX_FILES[variant]), () => onnxChunks(dims, seed, variant));
  }
}
