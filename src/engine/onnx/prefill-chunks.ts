import type { StepInputs } from './causal-lm.ts';

/**
 * Splitting one step's tokens into runs that each produce a bounded logits tensor.
 *
 * The published CodeGen exports return logits for EVERY position, [batch, seq, vocab]: a
 * 5 × 1,500-token prefill with vocab 51,200 is 1.5 GB of float32, held at once in the WASM
 * heap or a GPU buffer and again as the JavaScript copy. Running the prompt in column
 * chunks, each feeding its presents to the next as the past, computes the same keys,
 * values and last-position logits while no run's logits exceed the budget.
 *
 * Why chunks (measured with `npm run bench:prefill-memory`, vocab 51,200, 5 × 1,500):
 * one-shot, the WASM heap grew by 3.06 GB and the JavaScript copy took 1.5 GB more; chunked
 * (125 runs of 12 MB), the heap did not grow at all, and the prefill was no slower (the LM
 * head's work is the same; fewer, smaller buffers). CodeGen-350M at 5 × 1,500 only runs
 * chunked on WASM (one-shot: std::bad_alloc, the 4 GB heap is exceeded). On WebGPU the
 * one-shot logits need one 1.5 GB buffer, which SwiftShader (like many devices) refuses.
 * The alternatives: slicing the hidden state before the LM head in the graph would avoid
 * even the chunk's logits, but needs a rewrite of 1.4 GB protobufs with the head inside If
 * branches for the merged decoders; reading only the last rows of a GPU logits tensor
 * through `ort.env.webgpu.device` is unsafe, since onnxruntime's JSEP backend keeps recent
 * dispatches in a command encoder it submits only on its own downloads (no public flush),
 * so our copy could run before the LM head has.
 * Chunking works for every layout unchanged; on WebGPU the intermediate chunks' logits stay
 * on the GPU and are disposed unread (causal-lm.ts).
 */

/**
 * Logits bytes one run may produce: 12 MiB. Up to four logits-sized buffers exist at once:
 * the LM head's MatMul output and its bias Add output (WASM heap or GPU), then for the last
 * chunk the GPU staging buffer of the download and the JavaScript copy. 4 × 12 MiB stays
 * under the 64 MB bound even with onnxruntime's WebGPU buffer buckets, which round a size
 * up (12 MiB is itself a bucket); 16 MiB would not (4 × 16.8 MB). Measured on WebGPU at 5 ×
 * 1,500: 51 MB of GPU buffers added during the prefill, logits and cache together. A 5-row
 * batch with vocab 51,200 still runs 12 columns per chunk, one row 61: the per-run
 * overhead, and copying the growing cache into each run's presents, stay small beside the
 * compute on WASM and on a real GPU (SwiftShader's large per-run cost makes it the
 * exception).
 */
export const DEFAULT_LOGITS_BUDGET_BYTES = 12 * 2 ** 20;

/** Token columns per run so that batch × columns × vocab × elementBytes ≤ budget; at least 1. */
export function chunkColumns(
  budgetBytes: number,
  batch: number,
  vocab: number,
  elementBytes: number,
): number {
  if (!Number.isFinite(budgetBytes)) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.floor(budgetBytes / (batch * vocab * elementBytes)));
}

/**
 * Widths of the runs that cover `total` columns with at most `maxColumns` each: as few runs
 * as that allows, their widths differing by at most one. Equal widths keep every run's
 * logits in one buffer size: onnxruntime's WebGPU allocator rounds sizes up to buckets and
 * caches freed buffers per bucket, so a short last chunk (1,500 = 93 × 16 + 12) would add
 * a second set of logits-sized buffers (measured: 77 MB of GPU buffers instead of ~50).
 */
export function chunkWidths(total: number, maxColumns: number): number[] {
  if (total <= maxColumns) return [total];
  const runs = Math.ceil(total / maxColumns);
  const base = Math.floor(total / runs);
  const wider = total - base * runs; // the first `wider` runs take one column more
  return Array.from({ length: runs }, (_, i) => (i < wider ? base + 1 : base));
}

/**
 * Columns [from, to) of a step's inputs, where the step began with `pastLength` positions
 * cached (so its mask is [batch, pastLength + seq]) and the run before this one left
 * `pastLength + from` cached. Ids and positions are those columns; the mask covers all the
 * run sees, which is the first `pastLength + to` columns of each row of the step's mask.
 */
export function sliceColumns(
  inputs: StepInputs,
  pastLength: number,
  from: number,
  to: number,
): StepInputs {
  const { batch, seq } = inputs;
  const width = to - from;
  const maskWidth = pastLength + seq; // the step's full mask
  const chunkMaskWidth = pastLength + to;
  const inputIds = new BigInt64Array(batch * width);
  const positionIds = new BigInt64Array(batch * width);
  const attentionMask = new BigInt64Array(batch * chunkMaskWidth);
  for (let b = 0; b < batch; b++) {
    inputIds.set(inputs.inputIds.subarray(b * seq + from, b * seq + to), b * width);
    positionIds.set(inputs.positionIds.subarray(b * seq + from, b * seq + to), b * width);
    attentionMask.set(
      inputs.attentionMask.subarray(b * maskWidth, b * maskWidth + chunkMaskWidth),
      b * chunkMaskWidth,
    );
  }
  return { batch, seq: width, inputIds, attentionMask, positionIds };
}
