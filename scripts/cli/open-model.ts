import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
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
import { AppError } from '../../src/shared/errors.ts';

export function parseDtype(value: string): Dtype {
  const dtype = ALL_DTYPES.find((d) => d === value);
  if (!dtype)
    throw new AppError('bad-input', `Unknown dtype "${value}"; one of ${ALL_DTYPES.join(', ')}.`);
  return dtype;
}

/**
 * The dtype the page would load on the WASM backend (the registry's preference: q8 first,
 * which onnxruntime's CPU kernels run fastest; q4 is the slowest there). For a folder, among
 * the dtypes whose ONNX file it has.
 */
export function defaultWasmDtype(model: string): Dtype {
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
  const dtype = defaultDtype(entry, 'wasm');
  if (!dtype) throw new AppError('bad-input', `${model} has no weights that run on WASM.`);
  return dtype;
}

/**
 * A model folder on disk, or a Hugging Face hub id (fetched from `hubBase`, which tests
 * point at a local server). Runs on onnxruntime-web's WASM backend, as the browser does
 * without WebGPU, with the threads the browser's model worker would take.
 */
export async function openModel(
  model: string,
  dtype: Dtype,
  options: { hubBase?: string; log?: (line: string) => void } = {},
): Promise<LoadedModel> {
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
  useWasmThreads();
  return loadModel({
    ort,
    source,
    onnxPath: path,
    backend: 'wasm',
    onEvent: (event) => {
      if (event.kind === 'phase') options.log?.(`[load] ${event.phase}`);
      else if (event.done || performance.now() - lastReport > 1000) {
        lastReport = performance.now();
        options.log?.(
          `[load] ${event.path}: ${event.loaded}${event.total ? ` / ${event.total}` : ''} bytes${event.fromCache ? ' (cache)' : ''}`,
        );
      }
    },
  });
}
