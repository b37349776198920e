// The graph layouts make-model writes, and the files each one publishes per dtype (the names
// the hub repositories use).

import type { ModelDims } from '../../config.ts';
import type { WeightSource } from '../../weights.ts';
import type { GraphModel } from '../graph-model.ts';
import type { PublishedDtype } from '../passes/index.ts';
import { buildCompact } from './compact.ts';
import { buildMergedDecoder } from './merged-decoder.ts';
import { buildTransformersJs } from './transformers-js.ts';

export type LayoutName = 'transformers-js' | 'merged-decoder' | 'compact';

export interface Layout {
  /** The fp32 graph: every nn.Linear a MatMul with an fp32 [K, N] initializer. */
  build: (dims: ModelDims, source: WeightSource) => GraphModel;
  /** ONNX file under onnx/ per dtype this layout publishes, in the order they are written. */
  files: { readonly [D in PublishedDtype]?: string };
}

/** transformers.js v3 file names (quantize.py: `model_<dtype>`, q8 → `model_quantized`). */
const MODEL_FILES = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q4: 'model_q4.onnx',
  q4f16: 'model_q4f16.onnx',
  int8: 'model_int8.onnx',
  uint8: 'model_uint8.onnx',
  q8: 'model_quantized.onnx',
  bnb4: 'model_bnb4.onnx',
} as const satisfies Record<PublishedDtype, string>;

export const LAYOUTS: Record<LayoutName, Layout> = {
  // Xenova/codegen-350M-mono: every dtype transformers.js v3 publishes.
  'transformers-js': { build: buildTransformersJs, files: MODEL_FILES },
  // Xenova/codegen-350M-multi and -nl: only the 2023 merged decoder, fp32 and q8.
  'merged-decoder': {
    build: buildMergedDecoder,
    files: { fp32: 'decoder_model_merged.onnx', q8: 'decoder_model_merged_quantized.onnx' },
  },
  // Our own graph (fused LayerNormalization), any dtype, named as transformers-js.
  compact: { build: buildCompact, files: MODEL_FILES },
};

export const DEFAULT_LAYOUT: LayoutName = 'transformers-js';

export function isLayoutName(name: string): name is LayoutName {
  return name in LAYOUTS;
}

/** The dtypes a layout publishes, in file order. */
export function layoutDtypes(layout: LayoutName): PublishedDtype[] {
  return Object.keys(LAYOUTS[layout].files) as PublishedDtype[];
}

/** onnx/<file> of one dtype; throws when the layout does not publish it. */
export function onnxFile(layout: LayoutName, dtype: PublishedDtype): string {
  const file = LAYOUTS[layout].files[dtype];
  if (!file) throw new Error(`layout ${layout} publishes no ${dtype} file`);
  return `onnx/${file}`;
}
