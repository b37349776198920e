import { DTYPE_TRAITS } from './dtypes.ts';
import type { Architecture, Dtype, DtypeVariant, ModelEntry } from './types.ts';

/**
 * Built-in models. Sizes: exact bytes come from the LFS pointers in Xenova/codegen-350M-mono
 * commit c4dbfe2 ("Transformers.js v3 ONNX weights (#4)"); `approxBytes` are the rounded
 * sizes the hub's file listing shows, i.e. estimates. Either way the loader reads the real
 * Content-Length. Backends and GPU features per dtype: see dtypes.ts.
 */

/** Salesforce CodeGen-350M (mono, multi and nl share the architecture). */
export const CODEGEN_350M: Architecture = {
  nLayer: 20,
  nHead: 16,
  nEmbd: 1024,
  rotaryDim: 32,
  vocabSize: 51200,
  tokenizerSize: 50295,
  contextLength: 2048,
  eosTokenId: 50256,
};

/**
 * The largest tensor is the token embedding [51200, 1024]. Its element size per file is
 * inferred from the file sizes: the 4-bit exports quantize MatMuls only and keep the
 * embedding at fp32 (q4, bnb4) or fp16 (q4f16); the 8-bit ones are ~¼ of fp32 overall,
 * so they quantize it too.
 */
const embeddingBytes = (bytesPerElement: number): number =>
  CODEGEN_350M.vocabSize * CODEGEN_350M.nEmbd * bytesPerElement;

/** The transformers.js v3 files of Xenova/codegen-350M-mono. */
const MONO_DTYPES: ModelEntry['dtypes'] = {
  fp32: {
    ...DTYPE_TRAITS.fp32,
    file: { path: 'onnx/model.onnx', bytes: 1_427_700_304 },
    largestTensorBytes: embeddingBytes(4),
  },
  fp16: {
    ...DTYPE_TRAITS.fp16,
    file: { path: 'onnx/model_fp16.onnx', bytes: 714_154_549 },
    largestTensorBytes: embeddingBytes(2),
  },
  q4: {
    ...DTYPE_TRAITS.q4,
    file: { path: 'onnx/model_q4.onnx', bytes: 401_418_657 },
    largestTensorBytes: embeddingBytes(4),
  },
  q4f16: {
    ...DTYPE_TRAITS.q4f16,
    // Estimate: the hub lists "277 MB".
    file: { path: 'onnx/model_q4f16.onnx', approxBytes: 277_000_000 },
    largestTensorBytes: embeddingBytes(2),
  },
  int8: {
    ...DTYPE_TRAITS.int8,
    file: { path: 'onnx/model_int8.onnx', bytes: 358_044_778 },
    largestTensorBytes: embeddingBytes(1),
  },
  uint8: {
    ...DTYPE_TRAITS.uint8,
    // Estimate: the hub lists "358 MB".
    file: { path: 'onnx/model_uint8.onnx', approxBytes: 358_000_000 },
    largestTensorBytes: embeddingBytes(1),
  },
  q8: {
    ...DTYPE_TRAITS.q8,
    // Estimate: not seen directly; transformers.js writes the uint8 export under this name
    // too, so assumed the size of model_uint8.onnx.
    file: { path: 'onnx/model_quantized.onnx', approxBytes: 358_000_000 },
    largestTensorBytes: embeddingBytes(1),
  },
  bnb4: {
    ...DTYPE_TRAITS.bnb4,
    file: { path: 'onnx/model_bnb4.onnx', bytes: 382_413_885 },
    largestTensorBytes: embeddingBytes(4),
  },
};

/**
 * The older optimum export that codegen-350M-multi and -nl still have. Estimates: the hub
 * lists "1.44 GB" and "373 MB". (Their decoder_model_fp16.onnx has no past-key-values
 * inputs, so it would recompute the whole prefix every token; it is deliberately left out.)
 */
const MERGED_DTYPES: ModelEntry['dtypes'] = {
  fp32: {
    ...DTYPE_TRAITS.fp32,
    file: { path: 'onnx/decoder_model_merged.onnx', approxBytes: 1_440_000_000 },
    largestTensorBytes: embeddingBytes(4),
  },
  q8: {
    ...DTYPE_TRAITS.q8,
    file: { path: 'onnx/decoder_model_merged_quantized.onnx', approxBytes: 373_000_000 },
    largestTensorBytes: embeddingBytes(1),
  },
};

/**
 * The random-weights model scripts/make-model writes to public/models/tiny (its `tiny`
 * preset with the 1024-id tiny tokenizer; vocab padded to 1088 like CodeGen pads to 51200).
 * The loader checks these against the served config.json.
 */
export const TINY_ARCHITECTURE: Architecture = {
  nLayer: 2,
  nHead: 4,
  nEmbd: 128,
  rotaryDim: 16,
  vocabSize: 1088,
  tokenizerSize: 1024,
  contextLength: 2048,
  eosTokenId: 1008,
};

// Estimates from the preset's shapes (~0.7 M parameters), not measured files. The generator
// quantizes Linear layers only, so the fp32 embedding is the largest tensor in every file.
const tinyVariant = (
  path: string,
  approxBytes: number,
  traits: (typeof DTYPE_TRAITS)[Dtype],
): DtypeVariant => ({
  ...traits,
  file: { path, approxBytes },
  largestTensorBytes: TINY_ARCHITECTURE.vocabSize * TINY_ARCHITECTURE.nEmbd * 4,
});

export const TINY: ModelEntry = {
  id: 'tiny',
  label: 'Tiny CodeGen (random weights)',
  description:
    'A 2-layer CodeGen with random weights, served by this app. Its output is noise: it exists to test the pipeline without a download.',
  source: { kind: 'local', basePath: '/models/tiny/' },
  weights: 'random',
  layout: 'model',
  architecture: TINY_ARCHITECTURE,
  dtypes: {
    fp32: tinyVariant('onnx/model.onnx', 2_800_000, DTYPE_TRAITS.fp32),
    q4: tinyVariant('onnx/model_q4.onnx', 900_000, DTYPE_TRAITS.q4),
    // DynamicQuantizeLinear + MatMulInteger, like onnxruntime's quantize_dynamic: wasm only.
    q8: tinyVariant('onnx/model_quantized.onnx', 900_000, DTYPE_TRAITS.q8),
  },
};

export const CODEGEN_350M_MONO: ModelEntry = {
  id: 'codegen-350M-mono',
  label: 'CodeGen 350M mono (Python)',
  description: 'Salesforce CodeGen-350M further trained on Python: the MTPB model.',
  source: { kind: 'hub', repo: 'Xenova/codegen-350M-mono', revision: 'main' },
  weights: 'pretrained',
  layout: 'model',
  architecture: CODEGEN_350M,
  dtypes: MONO_DTYPES,
};

export const CODEGEN_350M_MULTI: ModelEntry = {
  id: 'codegen-350M-multi',
  label: 'CodeGen 350M multi (6 languages)',
  description: 'Salesforce CodeGen-350M trained on C, C++, Go, Java, JavaScript and Python.',
  source: { kind: 'hub', repo: 'Xenova/codegen-350M-multi', revision: 'main' },
  weights: 'pretrained',
  layout: 'merged-decoder',
  architecture: CODEGEN_350M,
  dtypes: MERGED_DTYPES,
};

export const CODEGEN_350M_NL: ModelEntry = {
  id: 'codegen-350M-nl',
  label: 'CodeGen 350M nl (natural language)',
  description: 'Salesforce CodeGen-350M trained on the Pile only: the base the others start from.',
  source: { kind: 'hub', repo: 'Xenova/codegen-350M-nl', revision: 'main' },
  weights: 'pretrained',
  layout: 'merged-decoder',
  architecture: CODEGEN_350M,
  dtypes: MERGED_DTYPES,
};

export const BUILT_IN_MODELS: readonly ModelEntry[] = [
  CODEGEN_350M_MONO,
  CODEGEN_350M_MULTI,
  CODEGEN_350M_NL,
  TINY,
];

export function findModel(id: string): ModelEntry | undefined {
  return BUILT_IN_MODELS.find((m) => m.id === id);
}
