import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { RunModel } from '../../src/mtpb/run-model.ts';
import { customModel, findModel } from '../../src/engine/registry/index.ts';
import { nodeGpu } from '../../src/engine/gpu-node.node.ts';
import type { EngineChoice } from '../../src/shared/contracts/model-worker.ts';
import { EngineHost } from '../../workers/model/engine-host.ts';
import { cliBackend, defaultDtypeOn, openModel, parseDtype } from './open-model.ts';

/** A benchmark command's model: loaded into the worker's engine host, as the page loads it. */
export interface RunEngine {
  host: EngineHost;
  /** What was loaded, as runs record it. */
  model: RunModel;
  release: () => Promise<void>;
}

/** Loads `model` (a folder or hub id) for `npm run mtpb` / `npm run humaneval`. */
export async function startRunEngine(
  model: string,
  options: {
    dtype: string | undefined;
    engine: EngineChoice;
    hubBase: string | undefined;
    log: (line: string) => void;
  },
): Promise<RunEngine> {
  const dtype = options.dtype
    ? parseDtype(options.dtype)
    : defaultDtypeOn(model, cliBackend(options.engine));
  options.log(`[load] ${model} (${dtype})`);
  const loaded = await openModel(model, dtype, {
    ...(options.hubBase ? { hubBase: options.hubBase } : {}),
    engine: options.engine,
    log: options.log,
  });
  const host = new EngineHost({
    loadOrt: () => Promise.reject(new Error('unused')),
    probeGpu: () => Promise.resolve({ available: false, reason: 'Node has no WebGPU' }),
    gpu: nodeGpu,
    caches: undefined,
  });
  host.adopt(loaded);
  const entry = existsSync(model) ? null : (findModel(model) ?? customModel({ location: model }));
  return {
    host,
    model: {
      id: entry?.source.kind === 'hub' ? entry.source.repo : (entry?.id ?? model),
      label: entry?.label ?? basename(model),
      revision: entry?.source.kind === 'hub' ? entry.source.revision : null,
      dtype,
      onnxPath: loaded.onnxPath,
      backend: loaded.backend,
      engine: loaded.lm.engine,
    },
    release: () => loaded.lm.release(),
  };
}
