// Feeds a generated CodeGen ONNX model under Node (tests and smoke checks).

import { int64Tensor, ort } from '../../src/engine/ort-node.node.ts';
import type { ModelDims } from './config.ts';

export interface StepInput {
  ids: number[][]; // [B, S]
  mask: number[][]; // [B, P + S]
  positions: number[][]; // [B, S]
  /** present.* of the previous step; empty past when absent. */
  past?: Record<string, ort.Tensor>;
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
    position_ids: int64Tensor(input.positions.flat(), [B, S]),
  };
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

/** max |a - b| / max |ref|: error relative to the logit scale. */
export function relativeError(actual: Float32Array, ref: Float32Array): number {
  if (actual.length !== ref.length) throw new Error(`length ${actual.length} vs ${ref.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - ref[i]!));
    scale = Math.max(scale, Math.abs(ref[i]!));
  }
  return diff / scale;
}
