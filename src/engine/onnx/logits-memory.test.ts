// The logits bound at the size that matters: vocabulary 51,200 (real CodeGen) and a prefill
// of 5 rows × 1,500 tokens, on a model that is otherwise tiny (1 layer, width 32) so the
// logits dominate every other buffer. Every logits tensor onnxruntime returns is measured
// (logits-probe.ts), and so is the growth of the WASM heap, which never shrinks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirSource } from '../loader/dir-source.node.ts';
import { asOrtModel, loadModel } from '../loader/load-model.ts';
import type { OrtLoadedModel } from '../loader/load-model.ts';
import { ort } from '../ort-node.node.ts';
import { buildPrefill } from '../padding.ts';
import { probeLogits } from './logits-probe.ts';
import { DEFAULT_LOGITS_BUDGET_BYTES } from './prefill-chunks.ts';
import { generateModel } from '../../../scripts/make-model/generate.ts';
import { DEFAULT_SEED, resolveSpec } from '../../../scripts/make-model/model-spec.ts';

const VOCAB = 51_200;
const BOUND = 64 * 2 ** 20;
const F32 = 4;

let dir: string;
let model: OrtLoadedModel;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wide-vocab-'));
  const spec = resolveSpec(
    {
      config: { n_layer: 1, n_head: 4, n_embd: 32, rotary_dim: 8, vocab_size: VOCAB },
    },
    'tiny',
  );
  generateModel({
    dims: spec.dims,
    seed: DEFAULT_SEED,
    tokenizer: spec.tokenizer,
    outDir: dir,
    dtypes: ['fp32'],
    skipSafetensors: true,
  });
  model = asOrtModel(
    await loadModel({
      ort,
      source: new DirSource(dir),
      onnxPath: 'onnx/model.onnx',
      backend: 'wasm',
      engine: 'ort',
    }),
  );
}, 120_000);
afterAll(async () => {
  WebAssembly.Memory.prototype.grow = grow;
  await model.lm.release();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Bytes the WASM heap has grown by since this file started. Emscripten grows its heap with
 * `WebAssembly.Memory.prototype.grow` and never shrinks it, so counting the pages of each
 * grow call measures how much more memory a prefill needed than the heap already had free.
 */
let wasmGrownBytes = 0;
// eslint-disable-next-line @typescript-eslint/unbound-method -- always called with .call(memory)
const grow = WebAssembly.Memory.prototype.grow;
WebAssembly.Memory.prototype.grow = function (this: WebAssembly.Memory, pages: number): number {
  wasmGrownBytes += pages * 65_536;
  return grow.call(this, pages);
};

/** A left-padded batch: `rows` prompts of up to `tokens` ids, the shortest half as long. */
function batchOf(rows: number, tokens: number): number[][] {
  return Array.from({ length: rows }, (_, r) =>
    Array.from(
      { length: tokens - Math.floor((r * tokens) / (2 * rows)) },
      (_, i) => 3 + ((i * 7 + r) % 1000),
    ),
  );
}

async function measuredPrefill(prompts: number[][]): Promise<{
  peakLogitsBytes: number;
  runs: number;
  heapGrowth: number;
  logits: Float32Array;
}> {
  const before = wasmGrownBytes;
  model.lm.reset();
  const probe = probeLogits(model.lm.session);
  try {
    const { logits } = await model.lm.step(buildPrefill(prompts, model.config.eosId).inputs);
    return { ...probe, heapGrowth: wasmGrownBytes - before, logits };
  } finally {
    probe.detach();
    model.lm.reset();
  }
}

describe('logits memory at vocabulary 51,200 (onnxruntime-web WASM under Node)', () => {
  it('a 5 × 1,500 prefill never holds more than the budget of logits', async () => {
    const prompts = batchOf(5, 1500);
    const result = await measuredPrefill(prompts);
    // Unbounded, one run would return all of it: 5 × 1,500 × 51,200 float32 = 1.5 GB.
    const oneShotBytes = 5 * 1500 * VOCAB * F32;
    expect(oneShotBytes).toBeGreaterThan(20 * BOUND);
    expect(result.peakLogitsBytes).toBeLessThanOrEqual(DEFAULT_LOGITS_BUDGET_BYTES);
    expect(result.runs).toBe(Math.ceil(1500 / 12));
    // Everything the prefill added to the WASM heap (logits, cache and activations), plus
    // the JavaScript copy of one run's logits that is alive at a time.
    expect(result.heapGrowth + result.peakLogitsBytes).toBeLessThan(BOUND);
    expect(result.logits.length).toBe(5 * VOCAB);
    expect(result.logits.every(Number.isFinite)).toBe(true);
  }, 300_000);

  it('without the bound the same measurement exceeds 64 MB already at 5 × 300 tokens', async () => {
    model.lm.logitsBudgetBytes = Infinity;
    try {
      const result = await measuredPrefill(batchOf(5, 300));
      expect(result.runs).toBe(1);
      expect(result.peakLogitsBytes).toBe(5 * 300 * VOCAB * F32); // 307 MB
      // The heap grows by about twice that (576 MB when written: the LM head's MatMul
      // output and its bias Add output). 5 × 1,500 would need 3 GB of it, and 1.5 GB more
      // for the JavaScript copy: too much to run in a test.
      expect(result.heapGrowth).toBeGreaterThan(4 * BOUND);
    } finally {
      model.lm.logitsBudgetBytes = DEFAULT_LOGITS_BUDGET_BYTES;
    }
  }, 120_000);
});
