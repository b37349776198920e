// Every graph layout in fp32, run with onnxruntime-web (WASM, Node) against the TypeScript
// reference forward pass (src/engine/reference). Error metric: max |onnx - ref| / max |ref|.
//   prompt, prefill + cached decode, left-padded batch vs the reference:   ≤ 1e-4
//   merged decoder, left-padded row vs the row alone (positions shifted by the padding, RoPE
//   is relative so only rounding differs):                                ≤ MERGED_SHIFT_TOLERANCE

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { forward } from '../../src/engine/reference/forward.ts';
import { referenceGreedy } from '../../src/engine/reference/greedy.ts';
import type { Tensor } from '../../src/engine/reference/types.ts';
import { createNodeSession } from '../../src/engine/ort-node.node.ts';
import type { ort } from '../../src/engine/ort-node.node.ts';
import { generateModel } from './generate.ts';
import { DEFAULT_SEED, resolveSpec } from './model-spec.ts';
import { FLOAT32_MIN } from './onnx/layouts/common.ts';
import { onnxFile } from './onnx/layouts/index.ts';
import type { LayoutName } from './onnx/layouts/index.ts';
import { decodeModel } from './onnx/read-model.ts';
import { DataType } from './onnx/proto.ts';
import { relativeError, runStep } from './run-onnx.ts';
import type { StepInput, StepOutput } from './run-onnx.ts';
import { tokenizerSize } from './tokenizer-info.ts';
import { planParameters, WeightSource } from './weights.ts';

const spec = resolveSpec({ preset: 'tiny' });
const d = spec.dims;
const V = d.vocab_size;
const PROMPT = [31, 400, 7, 999, 250, 12];
/** Greedy continuation of PROMPT by the reference (no KV cache), 8 tokens. */
const GOLDEN = [819, 577, 434, 403, 713, 110, 471, 58];
/** Measured 4.8e-7 on the tiny model (prefill and the cached step): sin/cos of other angles. */
const MERGED_SHIFT_TOLERANCE = 1e-5;

const ones = (n: number): number[] => new Array<number>(n).fill(1);
const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);
const LAYOUT_NAMES: LayoutName[] = ['transformers-js', 'merged-decoder', 'compact'];

let root: string;
let weights: Map<string, Tensor>;
const sessions = new Map<LayoutName, ort.InferenceSession>();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'codegen-layouts-'));
  const source = new WeightSource(d, DEFAULT_SEED);
  weights = new Map(
    planParameters(d).map((p) => [p.name, { shape: p.shape, data: source.values(p.name) }]),
  );
  for (const layout of LAYOUT_NAMES) {
    const dir = join(root, layout);
    generateModel({
      dims: d,
      seed: DEFAULT_SEED,
      tokenizer: spec.tokenizer,
      outDir: dir,
      layout,
      dtypes: ['fp32'],
      skipSafetensors: true,
    });
    sessions.set(layout, await createNodeSession(join(dir, onnxFile(layout, 'fp32'))));
  }
});

afterAll(async () => {
  for (const s of sessions.values()) await s.release();
  rmSync(root, { recursive: true, force: true });
});

function session(layout: LayoutName): ort.InferenceSession {
  const s = sessions.get(layout);
  if (!s) throw new Error(`no session for ${layout}`);
  return s;
}

/** One row, no padding, positions 0..n-1 (the merged decoder ignores them). */
function single(layout: LayoutName, ids: number[]): Promise<StepOutput> {
  return runStep(session(layout), d, {
    ids: [ids],
    mask: [ones(ids.length)],
    positions: [range(0, ids.length)],
  });
}

function dimNames(
  vs: {
    name?: string | null;
    type?: {
      tensorType?: {
        shape?: { dim?: { dimParam?: string | null; dimValue?: unknown }[] | null } | null;
      } | null;
    } | null;
  }[],
  name: string,
): (string | number)[] {
  const v = vs.find((x) => x.name === name)!;
  return v.type!.tensorType!.shape!.dim!.map((x) => x.dimParam || Number(x.dimValue));
}

function attr(
  n: { attribute?: { name?: string | null; i?: unknown; ints?: unknown[] | null }[] | null },
  name: string,
): unknown {
  const a = n.attribute!.find((x) => x.name === name)!;
  return a.ints && a.ints.length > 0 ? a.ints.map(Number) : Number(a.i);
}

function ops(layout: LayoutName): {
  top: string[];
  all: string[];
  model: ReturnType<typeof decodeModel>;
} {
  const model = decodeModel(readFileSync(join(root, layout, onnxFile(layout, 'fp32'))));
  const top = model.graph!.node!.map((n) => n.opType!);
  const all = [...top];
  for (const n of model.graph!.node!)
    for (const a of n.attribute ?? []) for (const sub of a.g?.node ?? []) all.push(sub.opType!);
  return { top, all, model };
}

describe.each(LAYOUT_NAMES)('%s layout, fp32', (layout) => {
  test('prompt logits equal the reference', async () => {
    const { logits } = await single(layout, PROMPT);
    expect(relativeError(logits, forward(weights, d, PROMPT))).toBeLessThan(1e-4);
  });

  test('ids past the tokenizer (vocab padding) run', async () => {
    const ids = [V - 1, tokenizerSize(spec.tokenizer.tokenizerJson), 3];
    const { logits } = await single(layout, ids);
    expect(relativeError(logits, forward(weights, d, ids))).toBeLessThan(1e-4);
  });

  test('prefill + two cached decode steps equal the reference', async () => {
    const full = forward(weights, d, PROMPT);
    const prefill = await single(layout, PROMPT.slice(0, 4));
    expect(relativeError(prefill.logits, full.subarray(0, 4 * V))).toBeLessThan(1e-4);
    let past = prefill.presents;
    for (const t of [4, 5]) {
      const step = await runStep(session(layout), d, {
        ids: [[PROMPT[t]!]],
        mask: [ones(t + 1)],
        positions: [[t]],
        past,
      });
      expect(step.presents['present.0.key']!.dims).toEqual([
        1,
        d.n_head,
        t + 1,
        d.n_embd / d.n_head,
      ]);
      expect(relativeError(step.logits, full.subarray(t * V, (t + 1) * V))).toBeLessThan(1e-4);
      past = step.presents;
    }
  });

  test('left-padded batch: rows equal the reference and the rows alone, also for a cached step', async () => {
    const pad = d.eos_token_id;
    const b = [77, 5, 600];
    const padMask = [0, 0, 0, 1, 1, 1];
    const input: StepInput = {
      ids: [PROMPT, [pad, pad, pad, ...b]],
      mask: [ones(6), padMask],
      positions: [range(0, 6), [0, 0, 0, 0, 1, 2]],
    };
    const batch = await runStep(session(layout), d, input);
    const aloneA = await single(layout, PROMPT);
    const aloneB = await single(layout, b);
    const rowB = batch.logits.subarray(9 * V, 12 * V);
    expect(relativeError(batch.logits.subarray(0, 6 * V), aloneA.logits)).toBeLessThan(1e-4);
    // Without position_ids the merged decoder gives the padded row positions 3, 4, 5.
    const positionsB = layout === 'merged-decoder' ? range(0, 6) : undefined;
    const refB = forward(weights, d, [pad, pad, pad, ...b], {
      attentionMask: padMask,
      ...(positionsB ? { positionIds: positionsB } : {}),
    });
    expect(relativeError(rowB, refB.subarray(3 * V))).toBeLessThan(1e-4);
    const tolerance = layout === 'merged-decoder' ? MERGED_SHIFT_TOLERANCE : 1e-4;
    expect(relativeError(rowB, aloneB.logits)).toBeLessThan(tolerance);

    const next = [11, 22];
    const step = await runStep(session(layout), d, {
      ids: [[next[0]!], [next[1]!]],
      mask: [ones(7), [...padMask, 1]],
      positions: [[6], [3]],
      past: batch.presents,
    });
    const fullA = await single(layout, [...PROMPT, next[0]!]);
    const fullB = await single(layout, [...b, next[1]!]);
    expect(relativeError(step.logits.subarray(0, V), fullA.logits.subarray(6 * V))).toBeLessThan(
      1e-4,
    );
    expect(
      relativeError(step.logits.subarray(V, 2 * V), fullB.logits.subarray(3 * V)),
    ).toBeLessThan(tolerance);
  });

  test('greedy decoding with the KV cache gives the golden sequence', async () => {
    const limits = { vocabLimit: tokenizerSize(spec.tokenizer.tokenizerJson), eosId: -1 };
    const reference = referenceGreedy(weights, d, PROMPT, GOLDEN.length, limits);
    expect(reference).toEqual(GOLDEN);
    const out: number[] = [];
    let step = await single(layout, PROMPT);
    let last = step.logits.subarray((PROMPT.length - 1) * V);
    for (let t = 0; t < GOLDEN.length; t++) {
      const next = argmaxBelow(last, limits.vocabLimit);
      out.push(next);
      const total = PROMPT.length + t + 1;
      step = await runStep(session(layout), d, {
        ids: [[next]],
        mask: [ones(total)],
        positions: [[total - 1]],
        past: step.presents,
      });
      last = step.logits;
    }
    expect(out).toEqual(GOLDEN);
  });
});

describe('graph structure', () => {
  const names = (vs: { name?: string | null }[] | null | undefined): string[] =>
    (vs ?? []).map((v) => v.name!);
  const elem = (
    vs: {
      name?: string | null;
      type?: { tensorType?: { elemType?: number | null } | null } | null;
    }[],
  ) => Object.fromEntries(vs.map((v) => [v.name!, v.type!.tensorType!.elemType!]));
  const kv = (prefix: string): string[] =>
    range(0, d.n_layer).flatMap((i) => [`${prefix}.${i}.key`, `${prefix}.${i}.value`]);

  test('transformers-js: opset 14, torch-exported ops, GPT-2 style I/O', () => {
    const { top, model } = ops('transformers-js');
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 14]]);
    for (const op of [
      'Trilu',
      'ConstantOfShape',
      'Range',
      'Greater',
      'Expand',
      'Where',
      'Equal',
      'ScatterND',
    ])
      expect(top, op).toContain(op);
    for (const op of ['ReduceMean', 'Pow', 'Sqrt', 'Div', 'Tanh', 'Neg', 'Softmax', 'Gather'])
      expect(top, op).toContain(op);
    for (const op of ['LayerNormalization', 'If', 'GatherElements', 'MatMulNBits', 'Attention'])
      expect(top, op).not.toContain(op);
    // Linear layers: MatMul with an fp32 [K, N] initializer (4 per layer + lm_head).
    const inits = new Map(model.graph!.initializer!.map((t) => [t.name!, t]));
    const linears = model.graph!.node!.filter(
      (n) => n.opType === 'MatMul' && inits.get(n.input![1]!)?.dims?.length === 2,
    );
    expect(linears).toHaveLength(4 * d.n_layer + 1);
    // CodeGenForCausalLM.forward's order (optimum ordered_inputs).
    expect(names(model.graph!.input)).toEqual([
      'input_ids',
      ...kv('past_key_values'),
      'attention_mask',
      'position_ids',
    ]);
    expect(names(model.graph!.output)).toEqual(['logits', ...kv('present')]);
    const types = elem(model.graph!.input!);
    expect([types.input_ids, types.attention_mask, types.position_ids]).toEqual([
      DataType.INT64,
      DataType.INT64,
      DataType.INT64,
    ]);
    expect(types['past_key_values.0.key']).toBe(DataType.FLOAT);
    expect(elem(model.graph!.output!).logits).toBe(DataType.FLOAT);
    // optimum's axis names: the grown axis is `past_sequence_length + 1`.
    expect(dimNames(model.graph!.input!, 'attention_mask')).toEqual([
      'batch_size',
      'past_sequence_length + 1',
    ]);
    expect(dimNames(model.graph!.output!, 'present.0.key')).toEqual([
      'batch_size',
      d.n_head,
      'past_sequence_length + 1',
      d.n_embd / d.n_head,
    ]);
    // triu(full(finfo.min), diagonal=1) and the decomposed LayerNorm over the last axis.
    const node = (op: string) => model.graph!.node!.find((n) => n.opType === op)!;
    expect(attr(node('Trilu'), 'upper')).toBe(1);
    expect(node('ConstantOfShape').attribute![0]!.t!.floatData).toEqual([FLOAT32_MIN]);
    expect(attr(node('ReduceMean'), 'axes')).toEqual([-1]);
    // The rotary table is cat(sin, cos) [n_positions, rotary_dim], gathered by position_ids.
    const table = model.graph!.initializer!.find((t) => t.name === 'embed_positions')!;
    expect(table.dims!.map(Number)).toEqual([d.n_positions, d.rotary_dim]);
  });

  test('merged-decoder: opset 13, one If on use_cache_branch, no position_ids', () => {
    const { top, all, model } = ops('merged-decoder');
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
    expect(top).toEqual(['If']);
    const ifNode = model.graph!.node![0]!;
    expect(ifNode.input).toEqual(['use_cache_branch']);
    expect(ifNode.attribute!.map((a) => [a.name, a.g?.name])).toEqual([
      ['then_branch', 'with_past'],
      ['else_branch', 'no_past'],
    ]);
    // Every initializer is top-level; the branches share the weights.
    for (const a of ifNode.attribute!) expect(a.g!.initializer ?? []).toHaveLength(0);
    const linearWeights = model.graph!.initializer!.filter((t) =>
      t.name!.endsWith('.weight_transposed'),
    );
    expect(linearWeights).toHaveLength(4 * d.n_layer + 1);
    for (const op of ['Where', 'Range', 'ReduceMean', 'Pow', 'Tanh', 'Softmax'])
      expect(all, op).toContain(op);
    for (const op of ['LayerNormalization', 'Trilu', 'position_ids'])
      expect(all, op).not.toContain(op);
    expect(names(model.graph!.input)).toEqual([
      'input_ids',
      'attention_mask',
      ...kv('past_key_values'),
      'use_cache_branch',
    ]);
    expect(elem(model.graph!.input!).use_cache_branch).toBe(DataType.BOOL);
    expect(dimNames(model.graph!.input!, 'use_cache_branch')).toEqual([1]);
    expect(dimNames(model.graph!.input!, 'attention_mask')).toEqual([
      'batch_size',
      'attention_mask_sequence_length',
    ]);
    expect(ifNode.name).toBe('optimum::if');
    // The causal_mask buffer: one bool [1, 1, n_positions, n_positions] initializer.
    const buffers = model.graph!.initializer!.filter((t) => t.dataType === DataType.BOOL);
    expect(buffers.map((t) => t.dims!.map(Number))).toEqual([[1, 1, d.n_positions, d.n_positions]]);
    expect(names(model.graph!.output)).toEqual(['logits', ...kv('present')]);
    const withPast = ifNode.attribute![0]!.g!.node!.map((n) => n.opType);
    const noPast = ifNode.attribute![1]!.g!.node!.map((n) => n.opType);
    // The cache Concat (2 per layer) exists only in the with-past branch.
    const concats = (xs: (string | null | undefined)[]): number =>
      xs.filter((o) => o === 'Concat').length;
    expect(concats(withPast) - concats(noPast)).toBe(2 * d.n_layer);
  });

  test('compact: opset 17, fused LayerNormalization', () => {
    const { top, model } = ops('compact');
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]]);
    expect(top).toContain('LayerNormalization');
    expect(top).not.toContain('Pow');
  });
});

describe('merged decoder branches', () => {
  test('use_cache_branch false (no past) and true (empty past) give the same logits and presents', async () => {
    const input: StepInput = { ids: [PROMPT], mask: [ones(6)] };
    const noPast = await runStep(session('merged-decoder'), d, { ...input, useCacheBranch: false });
    const emptyPast = await runStep(session('merged-decoder'), d, {
      ...input,
      useCacheBranch: true,
    });
    expect(relativeError(emptyPast.logits, noPast.logits)).toBeLessThan(1e-6);
    const k = (o: StepOutput): Float32Array => o.presents['present.1.key']!.data as Float32Array;
    expect(relativeError(k(emptyPast), k(noPast))).toBeLessThan(1e-6);
  });
});

function argmaxBelow(row: Float32Array, limit: number): number {
  let best = 0;
  for (let i = 1; i < limit; i++) if (row[i]! > row[best]!) best = i;
  return best;
}
