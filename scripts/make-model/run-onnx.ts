// Feeds a generated CodeGen ONNX model under Node (tests and smoke checks).

import { int64Tensor, ort } from '../../src/engine/ort-node.node.ts';
import type { ModelDims } from './config.ts';
export { relativeError } from '../../src/engine/testing/relative-error.ts';

export interface StepInput {
  ids: number[][]; // [B, S]
  mask: number[][]; // [B, P + S]
  /** [B, S]; required when the graph has position_ids, ignored when it has none (merged decoder). */
  positions?: number[][];
  /** present.* of the previous step; empty past when absent. */
  past?: Record<string, ort.Tensor>;
  /** The merged decoder's use_cache_branch; default: whether `past` was given. */
  useCacheBranch?: boolean;
}

export interface StepOutput {
  logits: Float32Array; // [B, S, V]
  presents: Record<string, ort.Tensor>; // present.{i}.key/value [B, H, P+S, D]
}

export async function runStep(
  session: ort.InferenceSession,
  d: ModelDims,
  input: StepInput,
): Promise<StepOutput> {
  const B = input.ids.length;
  const S = input.ids[0]!.length;
  const headDim = d.n_embd / d.n_head;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: int64Tensor(input.ids.flat(), [B, S]),
    attention_mask: int64Tensor(input.mask.flat(), [B, input.mask[0]!.length]),
  };
  if (session.inputNames.includes('position_ids')) {
    if (!input.positions) throw new Error('this graph takes position_ids: give positions');
    feeds.position_ids = int64Tensor(input.positions.flat(), [B, S]);
  }
  if (session.inputNames.includes('use_cache_branch')) {
    const useCache = input.useCacheBranch ?? input.past !== undefined;
    feeds.use_cache_branch = new ort.Tensor('bool', Uint8Array.of(useCache ? 1 : 0), [1]);
  }
  for (let i = 0; i < d.n_layer; i++) {
    for (const kind of ['key', 'value']) {
      feeds[`past_key_values.${i}.${kind}`] =
        input.past?.[`present.${i}.${kind}`] ??
        new ort.Tensor('float32', new Float32Array(0), [B, d.n_head, 0, headDim]);
    }
  }
  const out = await session.run(feeds);
  const presents: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(out)) if (name.startsWith('present.')) presents[name] = t;
  return { logits: out.logits!.data as Float32Array, presents };
}
