// End-to-end: generate the tiny model, run its ONNX files with onnxruntime-web (WASM, Node)
// and compare with the plain-TS reference forward: signature, fp32 logits, KV cache and
// padding. Every dtype against its own reference: dtypes.test.ts.
//
// Error metric everywhere: max |onnx - ref| / max |ref| over the compared logits.
//   fp32 vs reference: ≤ 1e-4 (fp32 summation order only)

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { forward } from '../../src/engine/reference/forward.ts';
import { loadSafetensors } from '../../src/engine/reference/safetensors.ts';
import type { Tensor } from '../../src/engine/reference/types.ts';
import { createNodeSession } from '../../src/engine/ort-node.node.ts';
import type { ort } from '../../src/engine/ort-node.node.ts';
import { generateModel, ONNX_FILES } from './generate.ts';
import { DEFAULT_SEED, resolveSpec } from './model-spec.ts';
import type { ResolvedModel } from './model-spec.ts';
import type { PublishedDtype } from './onnx/passes/index.ts';
import { relativeError, runStep } from './run-onnx.ts';
import { tokenizerSize } from './tokenizer-info.ts';

let spec: ResolvedModel;
let dir: string;
let weights: Map<string, Tensor>;
const OPENED = ['fp32', 'q4'] as const satisfies readonly PublishedDtype[];
const sessions = {} as Record<(typeof OPENED)[number], ort.InferenceSession>;
const PROMPT = [31, 400, 7, 999, 250, 12];
const ones = (n: number): number[] => new Array<number>(n).fill(1);
const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

beforeAll(async () => {
  spec = resolveSpec({ preset: 'tiny' });
  dir = mkdtempSync(join(tmpdir(), 'codegen-tiny-'));
  generateModel({ dims: spec.dims, seed: DEFAULT_SEED, tokenizer: spec.tokenizer, outDir: dir });
  weights = loadSafetensors(readFileSync(join(dir, 'model.safetensors')));
  for (const v of OPENED) {
    sessions[v] = await createNodeSession(join(dir, 'onnx', ONNX_FILES[v]));
  }
});

afterAll(async () => {
  for (const s of Object.values(sessions)) await s.release();
  rmSync(dir, { recursive: true, force: true });
});

const single = (session: ort.InferenceSession, ids: number[]) =>
  runStep(session, spec.dims, {
    ids: [ids],
    mask: [ones(ids.length)],
    positions: [range(0, ids.length)],
  });

describe('tiny model', () => {
  test('writes a HF CodeGen config whose vocab exceeds the tokenizer', () => {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({
      model_type: 'codegen',
      n_layer: 2,
      n_head: 4,
      n_embd: 128,
      rotary_dim: 16,
    });
    expect(config.vocab_size).toBe(spec.dims.vocab_size);
    expect(spec.dims.vocab_size % 64).toBe(0);
    expect(spec.dims.vocab_size).toBeGreaterThan(tokenizerSize(spec.tokenizer.tokenizerJson));
    expect(sessions.fp32.inputNames).toEqual([
      'input_ids',
      'attention_mask',
      'position_ids',
      'past_key_values.0.key',
      'past_key_values.0.value',
      'past_key_values.1.key',
      'past_key_values.1.value',
    ]);
    expect(sessions.q4.outputNames).toEqual([
      'logits',
      'present.0.key',
      'present.0.value',
      'present.1.key',
      'present.1.value',
    ]);
  });

  test('fp32 logits match the reference and are not degenerate', async () => {
    const ref = forward(weights, spec.dims, PROMPT);
    const { logits } = await single(sessions.fp32, PROMPT);
    expect(relativeError(logits, ref)).toBeLessThan(1e-4);
    // Distinct top tokens across positions: the random model is input dependent.
    const V = spec.dims.vocab_size;
    const top = range(0, PROMPT.length).map((s) => argmax(ref.subarray(s * V, (s + 1) * V)));
    expect(new Set(top).size).toBeGreaterThan(2);
  });

  test('token ids the tokenizer never emits (vocab padding) still run', async () => {
    const ids = [spec.dims.vocab_size - 1, tokenizerSize(spec.tokenizer.tokenizerJson), 3];
    const { logits } = await single(sessions.fp32, ids);
    expect(relativeError(logits, forward(weights, spec.dims, ids))).toBeLessThan(1e-4);
  });

  test.each(['fp32', 'q4'] as const)(
    '%s: prefill 5 + one cached step equals the 6-token run',
    async (v) => {
      const full = await single(sessions[v], PROMPT);
      const prefill = await single(sessions[v], PROMPT.slice(0, 5));
      const step = await runStep(sessions[v], spec.dims, {
        ids: [[PROMPT[5]!]],
        mask: [ones(6)],
        positions: [[5]],
        past: prefill.presents,
      });
      expect(step.presents['present.0.key']!.dims).toEqual([
        1,
        spec.dims.n_head,
        6,
        spec.dims.n_embd / spec.dims.n_head,
      ]);
      const V = spec.dims.vocab_size;
      expect(relativeError(step.logits, full.logits.subarray(5 * V))).toBeLessThan(1e-5);
    },
  );

  test('left-padded batch equals each prompt alone, also for a cached step', async () => {
    const V = spec.dims.vocab_size;
    const pad = spec.dims.eos_token_id;
    const a = PROMPT;
    const b = [77, 5, 600];
    const batch = await runStep(sessions.fp32, spec.dims, {
      ids: [a, [pad, pad, pad, ...b]],
      mask: [ones(6), [0, 0, 0, 1, 1, 1]],
      positions: [range(0, 6), [0, 0, 0, 0, 1, 2]],
    });
    const aloneA = await single(sessions.fp32, a);
    const aloneB = await single(sessions.fp32, b);
    expect(relativeError(batch.logits.subarray(0, 6 * V), aloneA.logits)).toBeLessThan(1e-4);
    expect(relativeError(batch.logits.subarray(9 * V, 12 * V), aloneB.logits)).toBeLessThan(1e-4);
    const refB = forward(weights, spec.dims, [pad, pad, pad, ...b], {
      attentionMask: [0, 0, 0, 1, 1, 1],
    });
    expect(relativeError(batch.logits.subarray(9 * V, 12 * V), refB.subarray(3 * V))).toBeLessThan(
      1e-4,
    );

    // One decode step for both rows with the padded cache.
    const next = [11, 22];
    const step = await runStep(sessions.fp32, spec.dims, {
      ids: [[next[0]!], [next[1]!]],
      mask: [ones(7), [0, 0, 0, 1, 1, 1, 1]],
      positions: [[6], [3]],
      past: batch.presents,
    });
    const fullA = await single(sessions.fp32, [...a, next[0]!]);
    const fullB = await single(sessions.fp32, [...b, next[1]!]);
    expect(relativeError(step.logits.subarray(0, V), fullA.logits.subarray(6 * V))).toBeLessThan(
      1e-4,
    );
    expect(
      relativeError(step.logits.subarray(V, 2 * V), fullB.logits.subarray(3 * V)),
    ).toBeLessThan(1e-4);
  });

  test('same seed gives byte-identical files, another seed different weights', () => {
    const again = mkdtempSync(join(tmpdir(), 'codegen-tiny-'));
    const other = mkdtempSync(join(tmpdir(), 'codegen-tiny-'));
    try {
      generateModel({
        dims: spec.dims,
        seed: DEFAULT_SEED,
        tokenizer: spec.tokenizer,
        outDir: again,
      });
      generateModel({
        dims: spec.dims,
        seed: DEFAULT_SEED + 1,
        tokenizer: spec.tokenizer,
        outDir: other,
        variants: [],
      });
      const files = [
        'config.json',
        'tokenizer.json',
        'tokenizer_config.json',
        'model.safetensors',
        ...Object.values(ONNX_FILES).map((f) => join('onnx', f)),
      ];
      for (const f of files)
        expect(readFileSync(join(again, f)).equals(readFileSync(join(dir, f))), f).toBe(true);
      const st = (d: string): Buffer => readFileSync(join(d, 'model.safetensors'));
      expect(st(other).length).toBe(st(dir).length);
      expect(st(other).equals(st(dir))).toBe(false);
    } finally {
      rmSync(again, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });
});

function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}
