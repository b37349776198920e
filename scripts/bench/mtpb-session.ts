import { readFileSync } from 'node:fs';
import { MTPB_PATH } from '../../src/mtpb/dataset.node.ts';
import type { Problem } from '../../src/mtpb/dataset.ts';
import { datasetFromText } from '../../src/mtpb/load-dataset.ts';
import { parseProblemSelection } from '../../src/mtpb/selection.ts';
import type { LoadedModel } from '../../src/engine/loader/load-model.ts';
import { nodeGpu } from '../../src/engine/gpu-node.node.ts';
import { EngineHost } from '../../workers/model/engine-host.ts';
import { openModel, parseDtype } from '../cli/open-model.ts';

/** What the MTPB performance programs run on: the selected problems and a Node engine. */
export interface MtpbSession {
  problems: Problem[];
  model: LoadedModel;
  /** The model worker's host, in process, serving `model` on onnxruntime-web WASM. */
  host: EngineHost;
}

/**
 * The published MTPB file's `problems` selection ("1-8", "" for all) and the model folder
 * `model` in `dtype`, adopted by an EngineHost as the app's model worker would hold it.
 */
export async function openMtpbSession(options: {
  model: string;
  dtype: string;
  problems: string;
}): Promise<MtpbSession> {
  const dataset = datasetFromText(readFileSync(MTPB_PATH, 'utf8'), 'mtpb.jsonl');
  const ids = parseProblemSelection(
    options.problems,
    dataset.problems.map((p) => p.id),
  );
  const problems = dataset.problems.filter((p) => ids.includes(p.id));
  const model = await openModel(options.model, parseDtype(options.dtype));
  const host = new EngineHost({
    loadOrt: () => Promise.reject(new Error('unused: the session adopts an open model')),
    probeGpu: () => Promise.resolve({ available: false, reason: 'Node has no WebGPU' }),
    gpu: nodeGpu,
    caches: undefined,
  });
  host.adopt(model);
  return { problems, model, host };
}
