import type { Contract } from '../rpc/contract.ts';
import type { SerializedError } from '../errors.ts';
import type { GenerationParamsInput } from '../../engine/generation/params.ts';
import type { StopReason } from '../../engine/generation/stopping.ts';
import type { CacheCheck } from '../../engine/loader/file-cache.ts';
import type { LoadEvent } from '../../engine/loader/load-model.ts';
import type { GenerationTimings } from '../../engine/generate.ts';

/** What the model worker sees of WebGPU: the adapter inference will actually run on. */
export type GpuReport =
  | { available: false; reason: string }
  | {
      available: true;
      adapter: {
        vendor: string;
        architecture: string;
        device: string;
        description: string;
        isFallbackAdapter: boolean;
      };
      features: {
        shaderF16: boolean;
        subgroups: boolean;
        timestampQuery: boolean;
        all: string[];
      };
      limits: {
        maxStorageBufferBindingSize: number;
        maxBufferSize: number;
        maxComputeWorkgroupStorageSize: number;
        maxComputeInvocationsPerWorkgroup: number;
      };
    };

/** A small WGSL matmul compared with a plain JS reference. */
export type SelfCheckReport =
  | { status: 'skipped'; reason: string }
  | {
      status: 'passed' | 'failed';
      shape: { m: number; k: number; n: number };
      maxAbsError: number;
      tolerance: number;
      gpuMs: number;
    }
  | { status: 'error'; error: SerializedError };

/** Where a model's files are: any URL base (the hub or same-origin) or files the user picked. */
export type ModelSource =
  | { kind: 'url'; label: string; baseUrl: string }
  | { kind: 'files'; label: string; files: Map<string, Blob> };

export type BackendChoice = 'webgpu' | 'wasm' | 'auto';

export interface LoadRequest {
  kind: 'load';
  source: ModelSource;
  onnxPath: string;
  backend: BackendChoice;
  /** Keep downloaded files in Cache Storage (off for files picked from disk). */
  cache: boolean;
}

/**
 * Fetches files into the model cache without creating a session ("make available offline").
 * Files already stored intact are not fetched again; each streams 'file' events as load does.
 * A full storage quota fails the request ('storage-quota'): a file that cannot be kept is no
 * use offline.
 */
export interface PrefetchRequest {
  kind: 'prefetch';
  source: Extract<ModelSource, { kind: 'url' }>;
  /** Paths inside the folder, fetched in this order (e.g. config.json, onnx/model_q4.onnx). */
  paths: string[];
}

export interface PrefetchResult {
  files: Array<{ path: string; bytes: number; fromCache: boolean }>;
}

/** One cached URL checked against its stored size and SHA-256 (a corrupt entry is deleted). */
export type CachedFileCheck = CacheCheck & { url: string };

export interface LoadedInfo {
  label: string;
  onnxPath: string;
  backend: 'webgpu' | 'wasm';
  fromCache: boolean;
  vocabSize: number;
  tokenizerSize: number;
  contextLength: number;
  layers: number;
  timings: { downloadMs: number; sessionMs: number; warmupMs: number; totalMs: number };
}

export interface GenerateRequest {
  kind: 'generate';
  /** Text prompts, or token ids (a branch from the inspector continues from exact ids). */
  prompts: Array<{ text: string } | { ids: number[] }>;
  params: GenerationParamsInput;
  /** Stop each row as soon as the MTPB truncation point is certain (the kept text is unchanged). */
  truncation?: 'mtpb';
  /** 'skip': a row whose prompt does not fit the context is returned empty with stop 'context-overflow' instead of failing the batch. */
  overflow?: 'error' | 'skip';
}

export interface GeneratedToken {
  tokenId: number;
  text: string; // the token's own decoded text (may be part of a character)
  logprob: number;
  top: Array<{ tokenId: number; text: string; logprob: number }>;
}

/** Why a row stopped; 'context-overflow' rows (overflow: 'skip') did not run at all. */
export type RowStop =
  StopReason | { kind: 'context-overflow'; promptTokens: number; contextLength: number };

export interface GenerateResult {
  rows: Array<{
    promptIds: number[];
    ids: number[];
    text: string;
    stop: RowStop;
    tokens: GeneratedToken[];
  }>;
  timings: GenerationTimings;
}

export type ModelWorkerRequest =
  | { kind: 'probeGpu' }
  | { kind: 'gpuSelfCheck'; m: number; k: number; n: number }
  | LoadRequest
  | GenerateRequest
  | { kind: 'logits'; ids: number[] }
  | { kind: 'tokenize'; text: string }
  | { kind: 'unload' }
  | { kind: 'cachedFiles' }
  | { kind: 'deleteCached'; urlPrefix: string }
  | PrefetchRequest
  | { kind: 'verifyCached'; urls: string[] }
  /** Diagnostic: destroys the GPU device, to exercise recovery. */
  | { kind: 'loseDevice' };

export type ModelWorkerEvent =
  | LoadEvent
  | { kind: 'token'; row: number; index: number; delta: string; token: GeneratedToken }
  | { kind: 'notice'; level: 'warn' | 'info'; message: string };

export interface ModelWorkerContract extends Contract {
  request: ModelWorkerRequest;
  results: {
    probeGpu: GpuReport;
    gpuSelfCheck: SelfCheckReport;
    load: LoadedInfo;
    generate: GenerateResult;
    logits: { logits: Float32Array; vocab: number };
    tokenize: { ids: number[] };
    unload: undefined;
    cachedFiles: Array<{ url: string; bytes: number }>;
    deleteCached: { deleted: number };
    prefetch: PrefetchResult;
    /** In the order of the request's urls. */
    verifyCached: { files: CachedFileCheck[] };
    loseDevice: { lost: boolean };
  };
  event: ModelWorkerEvent;
}
