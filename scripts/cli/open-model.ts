import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { engineLabel, ENGINE_CHOICES, parseEngineChoice } from '../../src/engine/engine-choice.ts';
import { nodeGpu } from '../../src/engine/gpu-node.node.ts';
import { DirSource } from '../../src/engine/loader/dir-source.node.ts';
import { loadModel } from '../../src/engine/loader/load-model.ts';
import type { LoadedModel } from '../../src/engine/loader/load-model.ts';
import { HttpSource } from '../../src/engine/loader/sources.ts';
import type { FileSource } from '../../src/engine/loader/sources.ts';
import { ort, useWasmThreads } from '../../src/engine/ort-node.node.ts';
import {
  customModel,
  defaultDtype,
  fileUrl,
  findModel,
  onnxPath,
} from '../../src/engine/registry/index.ts';
import type { Dtype, ModelEntry } from '../../src/engine/registry/index.ts';
import { ALL_DTYPES } from '../../src/engine/registry/types.ts';
import type { Backend } from '../../src/engine/registry/types.ts';
import type { EngineChoice } from '../../src/shared/contracts/model-worker.ts';
import { AppError } from '../../src/shared/errors.ts';

export function parseDtype(value: string): Dtype {
  const dtype = ALL_DTYPES.find((d) => d === value);
  if (!dtype)
    throw new AppError('bad-input', `Unknown dtype "${value}"; one of ${ALL_DTYPES.join(', ')}.`);
  return dtype;
}

export function parseEngine(value: string): EngineChoice {
  const engine = parseEngineChoice(value);
  if (!engine)
    throw new AppError(
      'bad-input',
      `Unknown engine "${value}"; one of ${ENGINE_CHOICES.join(', ')}.`,
    );
  return engine;
}

/**
 * Where the command line computes for `engine`: the WGSL kernels on WebGPU (Dawn), everything
 * else on WASM, the only backend onnxruntime-web has under Node. Auto therefore takes
 * onnxruntime, as the page's Auto does on WASM.
 */
export function cliBackend(engine: EngineChoice): Backend {
  return engine === 'wgsl' ? 'webgpu' : 'wasm';
}

/**
 * The dtype the page would load on `backend` (the registry's preference; on WASM q8 first,
 * which onnxruntime's CPU kernels run fastest; q4 is the slowest there). For a folder, among
 * the dtypes whose ONNX file it has.
 */
export function defaultDtypeOn(model: string, backend: Backend): Dtype {
  let entry: ModelEntry;
  if (existsSync(model) && statSync(model).isDirectory()) {
    const dir = resolve(model);
    const present = ALL_DTYPES.filter(
      (d) =>
        existsSync(resolve(dir, onnxPath('model', d))) ||
        existsSync(resolve(dir, onnxPath('merged-decoder', d))),
    );
    // A stand-in location: only the dtypes matter for the choice.
    entry = customModel({ location: '/cli-model/', dtypes: present });
  } else {
    entry = findModel(model) ?? customModel({ location: model });
  }
  const dtype = defaultDtype(entry, backend);
  if (!dtype)
    throw new AppError(
      'bad-input',
      `${model} has no weights that run on ${backend.toUpperCase()}.`,
    );
  return dtype;
}

/**
 * A model folder on disk, or a Hugging Face hub id (fetched from `hubBase`, which tests
 * point at a local server), on `engine` (default Auto): onnxruntime-web's WASM backend, as
 * the browser runs without WebGPU, with the threads the browser's model worker would take;
 * or the WGSL kernels on Dawn's WebGPU (cliBackend).
 */
export async function openModel(
  model: string,
  dtype: Dtype,
  options: { hubBase?: string; engine?: EngineChoice; log?: (line: string) => void } = {},
): Promise<LoadedModel> {
  const engine = options.engine ?? 'auto';
  const backend = cliBackend(engine);
  let source: FileSource;
  let path: string;
  if (existsSync(model) && statSync(model).isDirectory()) {
    const dir = resolve(model);
    source = new DirSource(dir);
    const merged = onnxPath('merged-decoder', dtype);
    path =
      existsSync(resolve(dir, onnxPath('model', dtype))) || !existsSync(resolve(dir, merged))
        ? onnxPath('model', dtype)
        : merged;
  } else {
    const entry: ModelEntry = findModel(model) ?? customModel({ location: model });
    const variant = entry.dtypes[dtype];
    if (!variant) throw new AppError('bad-input', `${entry.label} has no ${dtype} weights.`);
    const urlOptions = options.hubBase ? { hubBaseUrl: options.hubBase } : {};
    source = new HttpSource(entry.label, (file) => fileUrl(entry, file, urlOptions), null);
    path = variant.file.path;
  }
  let lastReport = 0;
  if (backend === 'wasm') useWasmThreads();
  const loaded = await loadModel({
    ort,
    source,
    onnxPath: path,
    backend,
    engine,
    gpu: nodeGpu,
    onEvent: (event) => {
      if (event.kind === 'phase') options.log?.(`[load] ${event.phase}`);
      else if (event.kind === 'notice') options.log?.(`[load] ${event.message}`);
      else if (event.kind === 'upload')
        options.log?.(`[load] weights on the GPU: ${event.uploaded} / ${event.total} bytes`);
      else if (event.done || performance.now() - lastReport > 1000) {
        lastReport = performance.now();
        options.log?.(
          `[load] ${event.path}: ${event.loaded}${event.total ? ` / ${event.total}` : ''} bytes${event.fromCache ? ' (cache)' : ''}`,
        );
      }
    },
  });
  const { engineDecision } = loaded;
  options.log?.(
    `[load] engine: ${engineLabel(engineDecision.engine)} (${engineDecision.choice === 'auto' ? `Auto: ${engineDecision.reason}` : `--engine ${engine}`})`,
  );
  return loaded;
}
