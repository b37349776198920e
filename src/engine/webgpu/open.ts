// Opens a model on the WGSL engine: reads the weights' layout from the file (failing before
// any GPU work when the engine cannot run it), takes a device of its own, uploads the
// weights tensor by tensor, and returns the model.

import type { CodegenModelConfig } from '../loader/model-config.ts';
import type { LanguageModel } from '../language-model.ts';
import { requestEngineDevice } from './device.ts';
import type { EngineDevice } from './device.ts';
import { GEMV_LAYOUT, GEMV_LAYOUT_GPU } from './shaders/linear.ts';
import type { GemvLayout } from './shaders/linear.ts';
import { uploadWeights } from './gpu-weights.ts';
import { WgslLm } from './wgsl-lm.ts';
import type { StepStats, WgslShape } from './wgsl-lm.ts';
import { openWeights } from './weights/open-weights.ts';

export interface OpenWgslOptions {
  /** navigator.gpu in a browser or worker; the `webgpu` package's GPU under Node. */
  gpu: GPU;
  /** The model file's bytes: an ONNX export (any published layout) or model.safetensors. */
  file: Uint8Array;
  /** Its path in the model folder (onnx/model_q4.onnx, model.safetensors): picks the reader. */
  path: string;
  config: CodegenModelConfig;
  signal?: AbortSignal;
  /** Upload progress: bytes on the GPU so far, of about the file's size (exact at the end). */
  onProgress?: (uploaded: number, total: number) => void;
  /** Cache element type; default float16 where the GPU has shader-f16 (a real GPU), else fp32. */
  kvDtype?: 'float16' | 'float32';
  /** Sample from GPU candidates (default on hardware adapters; see CandidateSource). */
  candidatesOnDevice?: boolean;
}

export type WgslModel = LanguageModel & {
  /** Resolves with a reason when the GPU device is lost; the model is dead from then on. */
  readonly lost: Promise<string>;
  /** Diagnostic: destroys the model's own device, so recovery can be exercised. */
  loseDevice(): void;
  /** Diagnostic (the benchmark): what the last step cost, and the GPU memory held now. */
  readonly lastStep: StepStats;
  readonly allocatedBytes: number;
};

/** The default CodeGen LayerNorm epsilon (transformers' CodeGenConfig). */
const DEFAULT_EPSILON = 1e-5;

/** The decode kernel's layout for this device (GEMV_LAYOUT's comment says why). */
export function decodeLayout(engine: EngineDevice): GemvLayout {
  if (engine.software) return GEMV_LAYOUT;
  const lanes = GEMV_LAYOUT_GPU.lanes;
  return { ...GEMV_LAYOUT_GPU, subgroups: (engine.subgroupMinSize ?? 0) >= lanes };
}

export async function openWgslModel(options: OpenWgslOptions): Promise<WgslLm> {
  const { config } = options;
  const source = openWeights(options.file, options.path, config.nLayer);
  const shape: WgslShape = {
    nLayer: config.nLayer,
    nHead: config.nHead,
    nEmbd: config.nEmbd,
    // n_inner may be null in config.json (4 × n_embd); the weights say what it is.
    nInner: source.vector('transformer.h.0.mlp.fc_in.bias').length,
    rotaryDim: config.rotaryDim,
    vocabSize: config.vocabSize,
    nPositions: config.contextLength,
    layerNormEpsilon: source.layerNormEpsilon ?? DEFAULT_EPSILON,
  };
  const engine = await requestEngineDevice(options.gpu);
  try {
    const weights = await uploadWeights(engine.device, source, shape, {
      maxBindingBytes: engine.maxBindingBytes,
      expectedBytes: options.file.byteLength,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const kvF16 = (options.kvDtype ?? (engine.hasF16 ? 'float16' : 'float32')) === 'float16';
    const lm = new WgslLm(engine.device, weights, shape, {
      kvF16,
      candidatesOnDevice: options.candidatesOnDevice ?? !engine.software,
    });
    lm.gemvLayout = decodeLayout(engine);
    return lm;
  } catch (error) {
    engine.device.destroy();
    throw error;
  }
}
