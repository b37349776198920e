import type { Contract } from '../rpc/contract.ts';
import type { SerializedError } from '../errors.ts';

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

export type ModelWorkerRequest =
  { kind: 'probeGpu' } | { kind: 'gpuSelfCheck'; m: number; k: number; n: number };

export interface ModelWorkerContract extends Contract {
  request: ModelWorkerRequest;
  results: {
    probeGpu: GpuReport;
    gpuSelfCheck: SelfCheckReport;
  };
  event: { kind: 'phase'; phase: string };
}
