// Passes on a graph with an If whose branches share one weight (the merged-decoder shape):
// the weight is quantized once in the top-level graph, activations are quantized where they
// are computed, blocked ops keep float32 behind Casts, and onnxruntime runs both branches.

import { describe, expect, test } from 'vitest';
import { q8Linear } from '../../../../src/engine/reference/dequant.ts';
import type { Q8Weight } from '../../../../src/engine/reference/dequant.ts';
import { createNodeSession, ort } from '../../../../src/engine/ort-node.node.ts';
import { bytesOf, concatChunks } from '../../chunks.ts';
import { GraphBuilder } from '../graph-builder.ts';
import type { GraphModel } from '../graph-model.ts';
import { modelChunks, valueInfo } from '../model-writer.ts';
import { DataType } from '../proto.ts';
import { allNodes, decodeModel, integerMatMulWeights, readBackWeights } from '../read-model.ts';
import { applyDtype } from './index.ts';
import type { PublishedDtype } from './index.ts';

const K = 32;
const N = 4;
const W = Float32Array.from({ length: K * N }, (_, i) => Math.sin(i * 0.7) * 0.5); // [K, N]
const X = Float32Array.from({ length: K }, (_, i) => Math.cos(i * 0.3)); // [1, K]

/** y = cond ? x W : (x W) * 2; z = Max(y, 1) (Max is on the float16 block list). */
function ifModel(): GraphModel {
  const g = new GraphBuilder();
  const w = g.initializer('W', [K, N], DataType.FLOAT, bytesOf(W.slice()));
  const two = g.float(2, 'two');
  const one = g.float(1, 'one');
  const thenBody = g.subgraph();
  thenBody.op('MatMul', ['x', w], { outputName: 'then_y' });
  const elseBody = g.subgraph();
  elseBody.op('Mul', [elseBody.op('MatMul', ['x', w]), two], { outputName: 'else_y' });
  const y = g.op('If', ['cond'], {
    attrs: {
      then_branch: {
        graph: thenBody.toGraphProto('then', [valueInfo('then_y', DataType.FLOAT, [1, N])]),
      },
      else_branch: {
        graph: elseBody.toGraphProto('else', [valueInfo('else_y', DataType.FLOAT, [1, N])]),
      },
    },
  });
  g.op('Max', [y, one], { outputName: 'z' });
  return {
    graph: g,
    graphName: 'if_model',
    inputs: [valueInfo('x', DataType.FLOAT, [1, K]), valueInfo('cond', DataType.BOOL, [])],
    outputs: [valueInfo('z', DataType.FLOAT, [1, N])],
    opsets: [{ domain: '', version: 17 }],
  };
}

function written(dtype: PublishedDtype): Uint8Array {
  const model = ifModel();
  applyDtype(model, dtype);
  return concatChunks(modelChunks({ ...model, producerVersion: 'test' }));
}

async function run(bytes: Uint8Array, cond: boolean): Promise<Float32Array> {
  const session = await createNodeSession(bytes);
  try {
    const out = await session.run({
      x: new ort.Tensor('float32', X.slice(), [1, K]),
      cond: new ort.Tensor('bool', Uint8Array.of(cond ? 1 : 0), []),
    });
    return out.z!.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** Max(y, 1) of y = x B (B [K, N]) times `factor`. */
function expected(b: Float32Array, factor: number): number[] {
  return Array.from({ length: N }, (_, n) => {
    let acc = 0;
    for (let k = 0; k < K; k++) acc += X[k]! * b[k * N + n]!;
    return Math.max(acc * factor, 1);
  });
}

const initializerNames = (bytes: Uint8Array): string[] =>
  (decodeModel(bytes).graph?.initializer ?? []).map((t) => t.name ?? '');

describe('dtype passes inside If branches', () => {
  test('q4: the shared weight becomes one MatMulNBits weight used by both branches', async () => {
    const bytes = written('q4');
    const names = initializerNames(bytes);
    expect(names.filter((n) => n === 'W_Q4')).toHaveLength(1);
    expect(names).not.toContain('W');
    const nodes = allNodes(decodeModel(bytes).graph);
    expect(nodes.filter((n) => n.opType === 'MatMulNBits')).toHaveLength(2);
    const b = readBackWeights(decodeModel(bytes)).get('W')!.data;
    for (const cond of [true, false]) {
      const z = await run(bytes, cond);
      const want = expected(b, cond ? 1 : 2);
      want.forEach((v, n) => expect(z[n]).toBeCloseTo(v, 5));
    }
  });

  test('q8: weight quantized once at top level, x quantized once before the If', async () => {
    const bytes = written('q8');
    const model = decodeModel(bytes);
    expect(initializerNames(bytes).filter((n) => n === 'W_quantized')).toHaveLength(1);
    const top = model.graph!.node!.map((n) => n.opType);
    expect(top.indexOf('DynamicQuantizeLinear')).toBeLessThan(top.indexOf('If'));
    const nodes = allNodes(model.graph);
    expect(nodes.filter((n) => n.opType === 'DynamicQuantizeLinear')).toHaveLength(1);
    expect(nodes.filter((n) => n.opType === 'MatMulInteger')).toHaveLength(2);
    const w: Q8Weight = integerMatMulWeights(model).get('W')!;
    const y = q8Linear(X, 1, w, null); // [1, N]
    for (const cond of [true, false]) {
      const z = await run(bytes, cond);
      for (let n = 0; n < N; n++) expect(z[n]).toBeCloseTo(Math.max(y[n]! * (cond ? 1 : 2), 1), 5);
    }
  });

  test('fp16: Max keeps float32 behind Casts, branch outputs become float16', async () => {
    const bytes = written('fp16');
    const model = decodeModel(bytes);
    const names = model.graph!.node!.map((n) => n.name);
    const max = model.graph!.node!.find((n) => n.opType === 'Max')!;
    expect(max.input!.every((i) => i.startsWith(`${max.name}_input_cast_`))).toBe(true);
    expect(names).toContain(`${max.name}_output_cast0`);
    const ifNode = model.graph!.node!.find((n) => n.opType === 'If')!;
    for (const a of ifNode.attribute ?? [])
      expect(a.g?.output?.[0]?.type?.tensorType?.elemType).toBe(DataType.FLOAT16);
    const b = readBackWeights(model).get('W')!.data; // float16-rounded
    for (const cond of [true, false]) {
      const z = await run(bytes, cond);
      const want = expected(b, cond ? 1 : 2);
      want.forEach((v, n) =>
        expect(Math.abs(z[n]! - v)).toBeLessThan(2e-3 * Math.max(1, Math.abs(v))),
      );
    }
  });
});
