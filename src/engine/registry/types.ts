/**
 * The model registry's vocabulary. Entries are plain data (see models.ts): everything the app
 * must know before a byte is downloaded — files, sizes, GPU features — so it can refuse early
 * with a specific reason instead of failing deep inside onnxruntime.
 */
import type { Backend } from '../../shared/contracts/model-worker.ts';

/** Weight formats, named as transformers.js names them and its file suffixes. */
export type Dtype = 'fp32' | 'fp16' | 'q4' | 'q4f16' | 'int8' | 'uint8' | 'q8' | 'bnb4';

export const ALL_DTYPES: readonly Dtype[] = [
  'fp32',
  'fp16',
  'q4',
  'q4f16',
  'int8',
  'uint8',
  'q8',
  'bnb4',
];

/** onnxruntime-web execution providers this app uses (defined with the model worker's contract). */
export type { Backend };

/** WebGPU features a variant needs (GPUFeatureName values). */
export type GpuFeature = 'shader-f16';

/**
 * Exact bytes where the hub's LFS pointer was seen; otherwise an estimate, or nothing for
 * custom models. Either way the loader trusts the server's Content-Length for progress and
 * quota checks.
 */
export type FileSize =
  { readonly bytes: number } | { readonly approxBytes: number } | { readonly sizeUnknown: true };

export type OnnxFile = { readonly path: string } & FileSize;

/** Whether one backend runs a dtype's file, and if not, why: shown before any download. */
export type BackendSupport =
  { readonly runs: true } | { readonly runs: false; readonly reason: string };

/** What a weight format demands of each backend (see DTYPE_TRAITS). */
export interface DtypeTraits {
  /**
   * Per backend: runs every op of the file, or why not (an op without a kernel there, which
   * would fail or fall back to the CPU op by op). Data, so a measurement can flip it.
   */
  readonly support: { readonly [B in Backend]: BackendSupport };
  /** Needed on WebGPU only; the wasm backend needs no GPU features. */
  readonly requiredFeatures: readonly GpuFeature[];
}

export interface DtypeVariant extends DtypeTraits {
  readonly file: OnnxFile;
  /**
   * The largest single tensor, in bytes: on WebGPU it must fit one buffer
   * (maxBufferSize) and one storage binding (maxStorageBufferBindingSize). For CodeGen it is
   * the token embedding, [vocab_size, n_embd]. Absent when unknown (custom models).
   */
  readonly largestTensorBytes?: number;
}

/** A file the repository has that the registry deliberately does not offer, and why. */
export interface LeftOutFile {
  readonly path: string;
  readonly size: FileSize;
  readonly reason: string;
}

/** The config.json facts generation needs. */
export interface Architecture {
  readonly nLayer: number;
  readonly nHead: number;
  readonly nEmbd: number;
  readonly rotaryDim: number;
  /** Rows of the embedding and width of the logits; may exceed tokenizerSize (padding). */
  readonly vocabSize: number;
  /** Ids the tokenizer can produce; logits at or above it are masked. */
  readonly tokenizerSize: number;
  readonly contextLength: number;
  readonly eosTokenId: number;
}

export type ModelSource =
  | { readonly kind: 'hub'; readonly repo: string; readonly revision: string }
  /** A same-origin folder with the hub layout (config.json, tokenizer.json, onnx/…). */
  | { readonly kind: 'local'; readonly basePath: string };

/**
 * Which graph the ONNX files hold. 'model': the transformers.js v3 export, one graph taking
 * input_ids, attention_mask, position_ids and past_key_values.*. 'merged-decoder': the older
 * optimum export (decoder_model_merged*.onnx), which also takes a use_cache_branch flag.
 */
export type GraphLayout = 'model' | 'merged-decoder';

export interface ModelEntry {
  /** Stable key for settings, caches and URLs. */
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly source: ModelSource;
  /** 'random': untrained weights for tests and demos; their output is noise. */
  readonly weights: 'pretrained' | 'random';
  readonly layout: GraphLayout;
  /** null for custom entries: known only once config.json is read. */
  readonly architecture: Architecture | null;
  readonly dtypes: { readonly [D in Dtype]?: DtypeVariant };
  /** Other ONNX files the repository has, and why none of them is offered. */
  readonly leftOut?: readonly LeftOutFile[];
  /** Kept out of the model menu and catalog (test models); findModel still finds it. */
  readonly hidden?: boolean;
}
