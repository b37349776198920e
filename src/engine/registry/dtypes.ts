import {
  ALL_DTYPES,
  type Backend,
  type Dtype,
  type GpuFeature,
  type GraphLayout,
  type ModelEntry,
} from './types.ts';

/**
 * What each weight format demands, whichever repo it comes from. Backends follow
 * onnxruntime-web 1.30's WebGPU kernel list: MatMulNBits (q4, q4f16) is there;
 * MatMulInteger / DynamicQuantizeLinear (int8, uint8, q8) and MatMulBnb4 (bnb4) are not, so
 * on WebGPU those nodes would run on the CPU with copies every layer. fp16 has no CPU kernels
 * for MatMul and LayerNorm in onnxruntime, and needs `shader-f16` on the GPU.
 */
export const DTYPE_TRAITS: {
  readonly [D in Dtype]: {
    readonly backends: readonly Backend[];
    readonly requiredFeatures: readonly GpuFeature[];
  };
} = {
  fp32: { backends: ['webgpu', 'wasm'], requiredFeatures: [] },
  fp16: { backends: ['webgpu'], requiredFeatures: ['shader-f16'] },
  q4: { backends: ['webgpu', 'wasm'], requiredFeatures: [] },
  q4f16: { backends: ['webgpu'], requiredFeatures: ['shader-f16'] },
  int8: { backends: ['wasm'], requiredFeatures: [] },
  uint8: { backends: ['wasm'], requiredFeatures: [] },
  q8: { backends: ['wasm'], requiredFeatures: [] },
  bnb4: { backends: ['wasm'], requiredFeatures: [] },
};

/** transformers.js file-name suffixes: q8 is "_quantized", fp32 has none. */
const SUFFIX: { readonly [D in Dtype]: string } = {
  fp32: '',
  fp16: '_fp16',
  q4: '_q4',
  q4f16: '_q4f16',
  int8: '_int8',
  uint8: '_uint8',
  q8: '_quantized',
  bnb4: '_bnb4',
};

/** Where a dtype's weights live in a hub-layout folder, e.g. onnx/model_q4.onnx. */
export function onnxPath(layout: GraphLayout, dtype: Dtype): string {
  const stem = layout === 'model' ? 'model' : 'decoder_model_merged';
  return `onnx/${stem}${SUFFIX[dtype]}.onnx`;
}

/** The dtypes an entry is published in, in a stable order. */
export function availableDtypes(entry: ModelEntry): Dtype[] {
  return ALL_DTYPES.filter((d) => entry.dtypes[d] !== undefined);
}
