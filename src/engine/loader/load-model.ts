import { AbortedError, AppError, isAppError } from '../../shared/errors.ts';
import { chooseEngine } from '../engine-choice.ts';
import type { LanguageModel } from '../language-model.ts';
import { CausalLm } from '../onnx/causal-lm.ts';
import type { Backend } from '../registry/types.ts';
import type {
  EngineChoice,
  EngineDecision,
  LoadEvent,
  Notice,
} from '../../shared/contracts/model-worker.ts';
import type { Ort } from '../onnx/ort-types.ts';
import { openWgslModel } from '../webgpu/open.ts';
import type { WgslModel } from '../webgpu/open.ts';
import { TextTokenizer } from '../tokenizer.ts';
import { checkTokenizerFits, parseModelConfig } from './model-config.ts';
import type { CodegenModelConfig } from './model-config.ts';
import type { FileSource } from './sources.ts';

export type { LoadEvent, LoadPhase } from '../../shared/contracts/model-worker.ts';

/** Which engine holds the model: a CausalLm is onnxruntime's, a WgslModel the WGSL kernels'. */
export type EngineModel = CausalLm | WgslModel;

export interface LoadedModel {
  config: CodegenModelConfig;
  tokenizer: TextTokenizer;
  /** Narrow with `instanceof CausalLm` for what one engine alone has (a session, `lost`). */
  lm: EngineModel;
  backend: Backend;
  /** Which engine runs `lm`, and why (Auto's reasoning, or the choice as given). */
  engineDecision: EngineDecision;
  onnxPath: string;
  timings: { downloadMs: number; sessionMs: number; warmupMs: number; totalMs: number };
  fromCache: boolean;
}

/** A model onnxruntime runs: what tests and benchmarks that reach its session hold. */
export type OrtLoadedModel = LoadedModel & { lm: CausalLm };

/** `model` as onnxruntime's, or an error naming the engine that runs it instead. */
export function asOrtModel(model: LoadedModel): OrtLoadedModel {
  const { lm } = model;
  if (!(lm instanceof CausalLm))
    throw new AppError(
      'internal',
      `This needs the onnxruntime engine; the model runs on ${lm.engine}.`,
    );
  return { ...model, lm };
}

export interface LoadOptions {
  ort: Ort;
  source: FileSource;
  onnxPath: string; // e.g. onnx/model_q4.onnx
  backend: Backend;
  engine: EngineChoice;
  /**
   * Where the WGSL engine gets WebGPU: navigator.gpu in a worker, Dawn under Node
   * (gpu-node.node.ts). Asked for only when that engine runs.
   */
  gpu?: () => Promise<GPU>;
  signal?: AbortSignal;
  onEvent?: (event: LoadEvent | Notice) => void;
}

const SMALL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;

/**
 * Fetches the files, checks them, creates the session and runs one warm-up step (on WebGPU
 * that is when shaders compile, so it is reported as its own phase). A cancel is honoured
 * between phases too: the session is released and AbortedError thrown, never a model.
 */
export async function loadModel(options: LoadOptions): Promise<LoadedModel> {
  const { source, onnxPath, signal } = options;
  const emit = options.onEvent ?? (() => {});
  // Refuses the WGSL engine on WASM before any download.
  const decision = chooseEngine(options.engine, options.backend);
  const started = performance.now();
  const stopIfCancelled = (): void => {
    if (signal?.aborted) throw new AbortedError('Loading the model was cancelled.');
  };
  emit({ kind: 'phase', phase: 'download' });

  let allFromCache = true;
  const read = async (path: string): Promise<Uint8Array> => {
    const result = await source.read(path, {
      ...(signal ? { signal } : {}),
      onProgress: (loaded, total) =>
        emit({ kind: 'file', path, loaded, total, fromCache: false, done: false }),
    });
    allFromCache &&= result.fromCache;
    emit({
      kind: 'file',
      path,
      loaded: result.bytes.byteLength,
      total: result.bytes.byteLength,
      fromCache: result.fromCache,
      done: true,
    });
    return result.bytes;
  };
  const [configBytes, tokenizerBytes, tokenizerConfigBytes] = await Promise.all([
    read(SMALL_FILES[0]),
    read(SMALL_FILES[1]),
    read(SMALL_FILES[2]),
  ]);
  // Check the config before the large download and before any session: a wrong model type
  // or an id outside the vocabulary fails in milliseconds, naming the field and the file.
  const configFile = source.describe(SMALL_FILES[0]);
  const tokenizerFile = source.describe(SMALL_FILES[1]);
  const tokenizerConfigFile = source.describe(SMALL_FILES[2]);
  const config = parseModelConfig(parseJson(configFile, configBytes), configFile);
  const tokenizer = new TextTokenizer(
    parseJson(tokenizerFile, tokenizerBytes),
    parseJson(tokenizerConfigFile, tokenizerConfigBytes),
    config.eosId,
  );
  checkTokenizerFits(config, tokenizer.size, { config: configFile, tokenizer: tokenizerFile });
  const onnx = await read(onnxPath);
  const downloadMs = performance.now() - started;
  stopIfCancelled();

  const sessionStarted = performance.now();
  const { lm, engineDecision } = await openEngine(decision, options, config, onnx, emit);
  let sessionMs: number;
  let warmupMs: number;
  try {
    if (lm.layers !== config.nLayer) {
      throw new AppError(
        'bad-model',
        `${source.describe(onnxPath)} has ${lm.layers} layers but ${configFile} says n_layer ${config.nLayer}.`,
        {
          hint: 'config.json and the weights file come from different models.',
        },
      );
    }
    sessionMs = performance.now() - sessionStarted;
    stopIfCancelled();

    emit({ kind: 'phase', phase: 'warmup' });
    const warmupStarted = performance.now();
    await warmUp(lm, config.eosId, options.backend);
    warmupMs = performance.now() - warmupStarted;
    stopIfCancelled();
  } catch (error) {
    await lm.release();
    throw error;
  }
  emit({ kind: 'phase', phase: 'ready' });
  return {
    config,
    tokenizer,
    lm,
    backend: options.backend,
    engineDecision,
    onnxPath,
    fromCache: allFromCache,
    timings: { downloadMs, sessionMs, warmupMs, totalMs: performance.now() - started },
  };
}

/** Upload progress is sent at most this often (the weights go up one tensor at a time). */
const UPLOAD_EVENT_MS = 100;

/**
 * The engine `decision` names, holding the model file. Auto on WebGPU tries the WGSL kernels
 * first; a file they cannot map ('bad-model') goes to onnxruntime instead, with a notice.
 * Any other failure is the load's.
 */
async function openEngine(
  decision: EngineDecision,
  options: LoadOptions,
  config: CodegenModelConfig,
  file: Uint8Array,
  emit: (event: LoadEvent | Notice) => void,
): Promise<{ lm: EngineModel; engineDecision: EngineDecision }> {
  if (decision.engine === 'wgsl') {
    emit({ kind: 'phase', phase: 'upload-weights' });
    try {
      return { lm: await openWgsl(options, config, file, emit), engineDecision: decision };
    } catch (error) {
      if (decision.choice !== 'auto' || !isAppError(error) || error.code !== 'bad-model')
        throw error;
      emit({
        kind: 'notice',
        level: 'info',
        message: `Loading with onnxruntime-web: the WGSL kernels cannot run ${options.onnxPath} (${error.message}).`,
      });
      return {
        lm: await openOrt(options, config, file, emit),
        engineDecision: chooseEngine(decision.choice, options.backend, error.message),
      };
    }
  }
  return { lm: await openOrt(options, config, file, emit), engineDecision: decision };
}

async function openWgsl(
  options: LoadOptions,
  config: CodegenModelConfig,
  file: Uint8Array,
  emit: (event: LoadEvent) => void,
): Promise<WgslModel> {
  if (!options.gpu)
    throw new AppError('internal', 'The WGSL engine was chosen, but this loader has no WebGPU.');
  let lastEvent = -Infinity;
  return openWgslModel({
    gpu: await options.gpu(),
    file,
    path: options.onnxPath,
    config,
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (uploaded, total) => {
      const now = performance.now();
      if (uploaded < total && now - lastEvent < UPLOAD_EVENT_MS) return;
      lastEvent = now;
      emit({ kind: 'upload', uploaded, total });
    },
  });
}

function openOrt(
  options: LoadOptions,
  config: CodegenModelConfig,
  file: Uint8Array,
  emit: (event: LoadEvent) => void,
): Promise<CausalLm> {
  emit({ kind: 'phase', phase: 'create-session' });
  return CausalLm.create(options.ort, file, options.backend, {
    nHead: config.nHead,
    headDim: config.headDim,
    vocabSize: config.vocabSize,
  });
}

/** Decode steps of the WASM warm-up (measured in Chromium: see warmUp). */
const WASM_WARMUP_STEPS = 8;

/**
 * One prefill and decode steps: compiles every kernel the real run will need. On WASM the
 * browser first runs the module's code from its baseline compiler and swaps in optimized code
 * for the functions that turn out hot, in the background: a few more steps here move those
 * slow first steps out of the user's first generation.
 */
async function warmUp(lm: LanguageModel, tokenId: number, backend: Backend): Promise<void> {
  const id = BigInt(tokenId);
  const prompt = 16;
  await lm.step({
    batch: 1,
    seq: prompt,
    inputIds: new BigInt64Array(prompt).fill(id),
    attentionMask: new BigInt64Array(prompt).fill(1n),
    positionIds: BigInt64Array.from({ length: prompt }, (_, i) => BigInt(i)),
  });
  const steps = backend === 'wasm' ? WASM_WARMUP_STEPS : 1;
  for (let step = 0; step < steps; step++) {
    await lm.step({
      batch: 1,
      seq: 1,
      inputIds: BigInt64Array.of(id),
      attentionMask: new BigInt64Array(prompt + step + 1).fill(1n),
      positionIds: BigInt64Array.of(BigInt(prompt + step)),
    });
  }
  lm.reset();
}

function parseJson(name: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch (error) {
    throw new AppError(
      'bad-model',
      `${name} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint: 'The file may be truncated or not a model file: delete it from the cache and download again.',
      },
    );
  }
}
