// The graph layouts make-model writes, and the files each one publishes per dtype (the names
// the hub repositories use).

import type { ModelDims } from '../../config.ts';
import type { WeightSource } from '../../weights.ts';
import type { GraphModel } from '../graph-model.ts';
import { onnxPath } from '../../../../src/engine/registry/dtypes.ts';
import { ALL_DTYPES } from '../../../../src/engine/registry/types.ts';
import type { GraphLayout } from '../../../../src/engine/registry/types.ts';
import type { PublishedDtype } from '../passes/index.ts';
import { buildCompact } from './compact.ts';
import { buildMergedDecoder } from './merged-decoder.ts';
import { buildTransformersJs } from './transformers-js.ts';

export type LayoutName = 'transformers-js' | 'merged-decoder' | 'compact';

export interface Layout {
  /** The fp32 graph: every nn.Linear a MatMul with an fp32 [K, N] initializer. */
  build: (dims: ModelDims, source: WeightSource) => GraphModel;
  /** Whose file names it publishes under (the app's registry names them the same way). */
  files: GraphLayout;
  /** The dtypes it publishes, in the order they are written. */
  dtypes: readonly PublishedDtype[];
}

export const LAYOUTS: Record<LayoutName, Layout> = {
  // Xenova/codegen-350M-mono: every dtype transformers.js v3 publishes (model_<dtype>.onnx).
  'transformers-js': { build: buildTransformersJs, files: 'model', dtypes: ALL_DTYPES },
  // Xenova/codegen-350M-multi and -nl: only the 2023 merged decoder, fp32 and q8.
  'merged-decoder': { build: buildMergedDecoder, files: 'merged-decoder', dtypes: ['fp32', 'q8'] },
  // Our own graph (fused LayerNormalization), any dtype, named as transformers-js.
  compact: { build: buildCompact, files: 'model', dtypes: ALL_DTYPES },
};

export const DEFAULT_LAYOUT: LayoutName = 'transformers-js';

export function isLayoutName(name: string): name is LayoutName {
  return name in LAYOUTS;
}

/** The dtypes a layout publishes, in file order. */
export function layoutDtypes(layout: LayoutName): PublishedDtype[] {
  return [...LAYOUTS[layout].dtypes];
}

/** onnx/<file> of one dtype, e.g. onnx/model_quantized.onnx; throws when not published. */
export function onnxFile(layout: LayoutName, dtype: PublishedDtype): string {
  const { files, dtypes } = LAYOUTS[layout];
  if (!dtypes.includes(dtype)) throw new Error(`layout ${layout} publishes no ${dtype} file`);
  return onnxPath(files, dtype);
}
