import {
  ALL_DTYPES,
  type Backend,
  type BackendSupport,
  type Dtype,
  type DtypeTraits,
  type GraphLayout,
  type ModelEntry,
} from './types.ts';

/** Every backend, in the order the UI lists them. */
export const ALL_BACKENDS: readonly Backend[] = ['webgpu', 'wasm'];

const RUNS = { runs: true } as const;
const refused = (reason: string): BackendSupport => ({ runs: false, reason });

// onnxruntime-web 1.30's WebGPU (JSEP) kernels: onnxruntime/core/providers/js/
// js_execution_provider.cc and contrib_ops/js/js_contrib_kernels.cc. MatMulNBits is there;
// MatMulInteger, DynamicQuantizeLinear and MatMulBnb4 are not. An op without a kernel is
// placed on the CPU provider, with copies between GPU and CPU around it in every layer.
// Measured too: forced onto WebGPU anyway, the generated int8/uint8/q8 files give wrong logits
// (relative error 1.7 on SwiftShader; e2e/exports-matrix.spec.ts records it).
const NO_WEBGPU_INTEGER_MATMUL = refused(
  'MatMulInteger and DynamicQuantizeLinear have no WebGPU kernel in onnxruntime-web 1.30: every quantized MatMul would fall back to the CPU, copying activations between GPU and CPU in every layer.',
);
const NO_WEBGPU_BNB4 = refused(
  'MatMulBnb4 has no WebGPU kernel in onnxruntime-web 1.30: every 4-bit MatMul would fall back to the CPU, copying activations between GPU and CPU in every layer.',
);
// onnxruntime's CPU provider (the WASM backend) has float16 kernels for only some ops; for the
// others it inserts Casts to float32 around them (InsertCastTransformer). Measured on the
// generated fp16 and q4f16 files (e2e/exports-matrix.spec.ts, scripts/make-model/dtypes.test.ts):
// they load and their logits stay within 1e-3 of the float16-rounded reference, so they run,
// computed in float32 behind those Casts: half the download of fp32, not faster than it.

/**
 * What each weight format demands, whichever repo it comes from. On WASM, MatMulNBits (q4),
 * MatMulInteger (int8, uint8, q8) and MatMulBnb4 (bnb4: its name is in
 * ort-wasm-simd-threaded.wasm) all have CPU kernels. fp16 and q4f16 need `shader-f16` on
 * WebGPU (SwiftShader has none).
 */
export const DTYPE_TRAITS: { readonly [D in Dtype]: DtypeTraits } = {
  fp32: { support: { webgpu: RUNS, wasm: RUNS }, requiredFeatures: [] },
  fp16: { support: { webgpu: RUNS, wasm: RUNS }, requiredFeatures: ['shader-f16'] },
  q4: { support: { webgpu: RUNS, wasm: RUNS }, requiredFeatures: [] },
  q4f16: { support: { webgpu: RUNS, wasm: RUNS }, requiredFeatures: ['shader-f16'] },
  int8: { support: { webgpu: NO_WEBGPU_INTEGER_MATMUL, wasm: RUNS }, requiredFeatures: [] },
  uint8: { support: { webgpu: NO_WEBGPU_INTEGER_MATMUL, wasm: RUNS }, requiredFeatures: [] },
  q8: { support: { webgpu: NO_WEBGPU_INTEGER_MATMUL, wasm: RUNS }, requiredFeatures: [] },
  bnb4: { support: { webgpu: NO_WEBGPU_BNB4, wasm: RUNS }, requiredFeatures: [] },
};

/** The backends that run every op of `traits`' file, in Backend order. */
export function runsOn(traits: DtypeTraits): Backend[] {
  return ALL_BACKENDS.filter((b) => traits.support[b].runs);
}

/** What each graph layout is, in words a student can read, and where each fact comes from. */
export const LAYOUT_TRAITS: {
  readonly [L in GraphLayout]: { readonly label: string; readonly description: string };
} = {
  // transformers.js scripts/convert.py (optimum 1.23.3, transformers 4.46.3), CodeGen's
  // optimum config: GPT-2 style inputs, opset 14.
  model: {
    label: 'transformers.js v3',
    description:
      'onnx/model*.onnx: one graph taking input_ids, attention_mask, position_ids and past_key_values.* (opset 14).',
  },
  // The 2023 optimum export merged "without past" and "with past" into one file. If has
  // WebGPU kernels (js_execution_provider.cc registers If for opsets 1 to 19), so the merged
  // graph itself runs on WebGPU; the ops inside its branches are placed one by one.
  'merged-decoder': {
    label: 'optimum merged decoder (2023)',
    description:
      'onnx/decoder_model_merged*.onnx: an If on the use_cache_branch input chooses the first step or a step with past_key_values; no position_ids input, so positions count from the first column (opset 13).',
  },
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
