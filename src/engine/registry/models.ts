import { DTYPE_TRAITS, onnxPath } from './dtypes.ts';
import type {
  Architecture,
  Dtype,
  DtypeVariant,
  FileSize,
  GraphLayout,
  LeftOutFile,
  ModelEntry,
} from './types.ts';

/**
 * Built-in models: what each hub repository really has. Sizes: `bytes` are exact, from the LFS
 * pointers of Xenova/codegen-350M-mono at commit c4dbfe2 ("Transformers.js v3 ONNX weights
 * (#4)"); `approxBytes` are the rounded sizes the hub's file listings and blob pages show
 * (e.g. "358 MB"), i.e. estimates. main has moved on since (357a310, "Add/update the quantized
 * ONNX model files … (#5)"), so the loader trusts the server's Content-Length either way.
 * Backends and GPU features per dtype: DTYPE_TRAITS in dtypes.ts.
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
 * Bytes per element of the token embedding [vocab_size, n_embd], the largest tensor, per
 * dtype. Inferred from the 350M file sizes: the 4-bit exports quantize MatMuls only and keep
 * the embedding at fp32 (q4, bnb4) or fp16 (q4f16); the 8-bit ones are about a quarter of fp32
 * overall, so they quantize the embedding Gather too.
 */
const EMBEDDING_BYTES_PER_ELEMENT: { readonly [D in Dtype]: number } = {
  fp32: 4,
  fp16: 2,
  q4: 4,
  q4f16: 2,
  int8: 1,
  uint8: 1,
  q8: 1,
  bnb4: 4,
};

/** One dtype of a repository: its file in `layout`, its size, and the dtype's traits. */
function variant(
  arch: Architecture,
  layout: GraphLayout,
  dtype: Dtype,
  size: FileSize,
): DtypeVariant {
  return {
    ...DTYPE_TRAITS[dtype],
    file: { path: onnxPath(layout, dtype), ...size },
    largestTensorBytes: arch.vocabSize * arch.nEmbd * EMBEDDING_BYTES_PER_ELEMENT[dtype],
  };
}

const exact = (bytes: number): FileSize => ({ bytes });
const about = (approxBytes: number): FileSize => ({ approxBytes });

const mono = (dtype: Dtype, size: FileSize): DtypeVariant =>
  variant(CODEGEN_350M, 'model', dtype, size);

/** The transformers.js v3 files of Xenova/codegen-350M-mono (onnx/model*.onnx). */
const MONO_DTYPES: ModelEntry['dtypes'] = {
  fp32: mono('fp32', exact(1_427_700_304)),
  fp16: mono('fp16', exact(714_154_549)),
  q4: mono('q4', exact(401_418_657)),
  q4f16: mono('q4f16', about(277_000_000)),
  int8: mono('int8', exact(358_044_778)),
  uint8: mono('uint8', about(358_000_000)),
  // model_quantized.onnx: its blob page says 358 MB (sha256 1c25f4c6…).
  q8: mono('q8', about(358_000_000)),
  bnb4: mono('bnb4', exact(382_413_885)),
};

/** The 2023 optimum files mono still has beside its transformers.js v3 ones. */
const MONO_LEFT_OUT: readonly LeftOutFile[] = [
  {
    path: 'onnx/decoder_model_merged.onnx',
    size: about(1_440_000_000),
    reason: 'The same weights in the older merged-decoder layout; model.onnx replaces it.',
  },
  {
    path: 'onnx/decoder_model_merged_quantized.onnx',
    size: about(373_000_000),
    reason:
      'The same weights in the older merged-decoder layout; model_quantized.onnx replaces it.',
  },
  {
    path: 'onnx/decoder_model*.onnx, onnx/decoder_with_past_model*.onnx',
    size: { sizeUnknown: true },
    reason:
      'Halves of the 2023 export (without past, or with past only); the merged files hold both.',
  },
];

const merged = (dtype: Dtype, size: FileSize): DtypeVariant =>
  variant(CODEGEN_350M, 'merged-decoder', dtype, size);

/**
 * The only files of codegen-350M-multi and -nl a decoder with a KV cache can use: the 2023
 * optimum merged decoder (hub listings: 1.44 GB and 373 MB). On WebGPU only fp32 runs: the
 * quantized one is MatMulInteger (see DTYPE_TRAITS.q8). On WASM only q8 does: a generated
 * merged decoder of the 350M shape (`npm run make-model -- --preset 350M --layout
 * merged-decoder --dtypes fp32`) fails session creation in onnxruntime-web's WASM build with
 * std::bad_alloc, where the same weights as model.onnx (no If) load: onnxruntime holds more
 * for initializers that If branches use, and the 4 GiB heap does not have it. Measured on our
 * file of that shape, not on the hub's (no download here); the q8 file of that shape loads.
 */
const MERGED_DTYPES: ModelEntry['dtypes'] = {
  fp32: {
    ...merged('fp32', about(1_440_000_000)),
    support: {
      ...DTYPE_TRAITS.fp32.support,
      wasm: {
        runs: false,
        reason:
          'The 1.4 GB merged decoder does not fit the WASM heap: onnxruntime needs extra memory for weights used inside its If branches (a file of this shape fails with std::bad_alloc). Use q8 on WASM.',
      },
    },
  },
  q8: merged('q8', about(373_000_000)),
};

/** The other files of the 2023 export in -multi and -nl, and why none is offered. */
const MERGED_LEFT_OUT: readonly LeftOutFile[] = [
  {
    path: 'onnx/decoder_model.onnx',
    size: about(1_440_000_000),
    reason:
      'No past_key_values inputs: every new token would recompute the whole prompt. The merged file contains this graph.',
  },
  {
    path: 'onnx/decoder_model_quantized.onnx',
    size: about(368_000_000),
    reason: 'No past_key_values inputs (q8): every new token would recompute the whole prompt.',
  },
  {
    path: 'onnx/decoder_model_fp16.onnx',
    size: about(724_000_000),
    reason:
      'fp16 without past_key_values inputs: every new token would recompute the whole prompt. There is no merged fp16 file.',
  },
  {
    path: 'onnx/decoder_with_past_model.onnx',
    size: about(1_430_000_000),
    reason:
      'Needs past_key_values from a first step it cannot take itself. The merged file contains this graph.',
  },
  {
    path: 'onnx/decoder_with_past_model_quantized.onnx',
    size: about(363_000_000),
    reason: 'Needs past_key_values from a first step it cannot take itself (q8).',
  },
];

/**
 * The random-weights model scripts/make-model writes to public/models/tiny (its `tiny`
 * preset with the 1024-id tiny tokenizer; vocab padded to 1088 like CodeGen pads to 51200).
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

// The files scripts/make-model wrote (GENERATOR_VERSION 2), rounded: estimates, since any
// generator change rewrites them. The loader reads the real Content-Length either way.
const TINY_APPROX_BYTES: { readonly [D in Dtype]: number } = {
  fp32: 2_870_000,
  fp16: 1_450_000,
  q4: 1_070_000,
  q4f16: 690_000,
  int8: 760_000,
  uint8: 760_000,
  q8: 760_000,
  bnb4: 1_040_000,
};

const tiny = (layout: GraphLayout, dtype: Dtype): DtypeVariant =>
  variant(TINY_ARCHITECTURE, layout, dtype, about(TINY_APPROX_BYTES[dtype]));

export const TINY: ModelEntry = {
  id: 'tiny',
  label: 'Tiny CodeGen (random weights)',
  description:
    'A 2-layer CodeGen with random weights, served by this app. Its output is noise: it exists to test the pipeline without a download.',
  source: { kind: 'local', basePath: '/models/tiny/' },
  weights: 'random',
  layout: 'model',
  architecture: TINY_ARCHITECTURE,
  // Every file the transformers.js toolchain writes, in its layout.
  dtypes: {
    fp32: tiny('model', 'fp32'),
    fp16: tiny('model', 'fp16'),
    q4: tiny('model', 'q4'),
    q4f16: tiny('model', 'q4f16'),
    int8: tiny('model', 'int8'),
    uint8: tiny('model', 'uint8'),
    q8: tiny('model', 'q8'),
    bnb4: tiny('model', 'bnb4'),
  },
};

/** The tiny model in the 2023 merged-decoder layout, for tests: not in the model menu. */
export const TINY_MERGED: ModelEntry = {
  id: 'tiny-merged',
  label: 'Tiny CodeGen, merged decoder (random weights)',
  description:
    'The tiny model as the 2023 optimum export lays it out (decoder_model_merged*.onnx), served by this app, for tests.',
  source: { kind: 'local', basePath: '/models/tiny-merged/' },
  weights: 'random',
  layout: 'merged-decoder',
  architecture: TINY_ARCHITECTURE,
  dtypes: { fp32: tiny('merged-decoder', 'fp32'), q8: tiny('merged-decoder', 'q8') },
  hidden: true,
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
  leftOut: MONO_LEFT_OUT,
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
  leftOut: MERGED_LEFT_OUT,
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
  leftOut: MERGED_LEFT_OUT,
};

export const BUILT_IN_MODELS: readonly ModelEntry[] = [
  CODEGEN_350M_MONO,
  CODEGEN_350M_MULTI,
  CODEGEN_350M_NL,
  TINY,
  TINY_MERGED,
];

/** The built-in models a user picks from: all but the hidden test models. */
export const LISTED_MODELS: readonly ModelEntry[] = BUILT_IN_MODELS.filter((m) => !m.hidden);

export function findModel(id: string): ModelEntry | undefined {
  return BUILT_IN_MODELS.find((m) => m.id === id);
}
