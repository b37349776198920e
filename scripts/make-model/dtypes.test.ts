// Every published dtype (onnx/passes) on the tiny preset, for every layout: the written
// file has the ops, attributes and I/O types of the transformers.js exports, it runs in
// onnxruntime-web (WASM, Node), and its logits equal the reference forward pass run on the
// weights read back from that same file (read-model.ts):
//   fp32                vs the file's weights:                     ≤ 1e-4
//   q4, bnb4            vs the dequantized weights:                ≤ 1e-4 (both kernels
//                       dequantize to float32 and multiply in float32 without accuracy_level)
//   int8, uint8, q8     vs the integer path simulated exactly:     ≤ 1e-3
//   fp16, q4f16         vs float16-rounded weights in float32:     ≤ FP16_TOLERANCE (activations
//                       are float16 too, so this measures float16 arithmetic, not the pass)
// Error metric: max |onnx - ref| / max |ref| over all positions' logits.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { onnx as pb } from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { forward } from '../../src/engine/reference/forward.ts';
import { float16BytesToFloat32 } from '../../src/engine/float16.ts';
import { createNodeSession, int64Tensor, ort } from '../../src/engine/ort-node.node.ts';
import type { ModelDims } from './config.ts';
import { generateModel } from './generate.ts';
import { FP16_TOLERANCE, LOGITS_TOLERANCE } from './logits-tolerance.ts';
import { DEFAULT_SEED, resolveSpec } from './model-spec.ts';
import { fileReference } from './onnx/file-reference.ts';
import { layoutDtypes, onnxFile } from './onnx/layouts/index.ts';
import type { LayoutName } from './onnx/layouts/index.ts';
import type { PublishedDtype } from './onnx/passes/index.ts';
import { allNodes, decodeModel, readInitializers } from './onnx/read-model.ts';
import { DataType } from './onnx/proto.ts';
import { relativeError, runStep } from './run-onnx.ts';

interface Layout {
  name: LayoutName;
  /** If branches: the merged decoder computes every linear once per branch. */
  branches: number;
}

const LAYOUTS: Layout[] = [
  { name: 'transformers-js', branches: 1 },
  { name: 'merged-decoder', branches: 2 },
  { name: 'compact', branches: 1 },
];

const write = (
  layout: LayoutName,
  dims: ModelDims,
  outDir: string,
  dtypes: PublishedDtype[],
  fp16Io: boolean,
): void =>
  generateModel({
    dims,
    seed: DEFAULT_SEED,
    tokenizer: resolveSpec({ preset: 'tiny' }).tokenizer,
    outDir,
    layout,
    dtypes,
    fp16Io,
    skipSafetensors: true,
  });

const PROMPT = [31, 400, 7, 999, 250, 12];

const T = DataType;
const FLOAT: number = T.FLOAT;
const elemType = (v: pb.IValueInfoProto): number => v.type?.tensorType?.elemType ?? 0;
const opCount = (m: pb.ModelProto, op: string): number =>
  allNodes(m.graph).filter((n) => n.opType === op).length;
const attrs = (n: pb.INodeProto): Record<string, number> =>
  Object.fromEntries((n.attribute ?? []).map((a) => [a.name ?? '', Number(a.i)]));

describe.each(LAYOUTS)('$name layout', (layout) => {
  const dims = resolveSpec({ preset: 'tiny' }).dims;
  // qkv, out, fc_in, fc_out per layer + lm_head, in every branch.
  const linears = (4 * dims.n_layer + 1) * layout.branches;
  const dtypes = layoutDtypes(layout.name);
  const has = (d: PublishedDtype): boolean => dtypes.includes(d);
  const file = (d: PublishedDtype): string => onnxFile(layout.name, d);
  let dir: string;
  const models = {} as Record<PublishedDtype, pb.ModelProto>;
  let fp16Io: pb.ModelProto | undefined;
  const measured: string[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `codegen-dtypes-${layout.name}-`));
    write(layout.name, dims, dir, dtypes, false);
    for (const d of dtypes) models[d] = decodeModel(readFileSync(join(dir, file(d))));
    if (has('fp16')) {
      write(layout.name, dims, join(dir, 'fp16-io'), ['fp16'], true);
      fp16Io = decodeModel(readFileSync(join(dir, 'fp16-io', file('fp16'))));
    }
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    console.log(`${layout.name}: relative logits error\n${measured.join('\n')}`);
  });

  test.runIf(has('q4'))(
    'q4: MatMulNBits, symmetric, block 32, no zero points; embedding stays float',
    () => {
      const m = models.q4;
      const inits = readInitializers(m);
      expect(opCount(m, 'MatMul')).toBe(opCount(models.fp32, 'MatMul') - linears);
      const nbits = allNodes(m.graph).filter((n) => n.opType === 'MatMulNBits');
      expect(nbits).toHaveLength(linears);
      for (const n of nbits) {
        expect(n.domain).toBe('com.microsoft');
        expect(n.input).toHaveLength(3);
        const a = attrs(n);
        expect(Object.keys(a)).toEqual(['K', 'N', 'bits', 'block_size']);
        expect(a).toMatchObject({ bits: 4, block_size: 32 });
        const kBlocks = Math.ceil(a.K! / 32);
        expect(inits.get(n.input![1]!)).toMatchObject({
          dims: [a.N, kBlocks, 16],
          dataType: T.UINT8,
        });
        expect(inits.get(n.input![2]!)).toMatchObject({
          dims: [a.N! * kBlocks],
          dataType: T.FLOAT,
        });
      }
      expect(inits.get('transformer.wte.weight')?.dataType).toBe(T.FLOAT);
      expect(m.opsetImport).toContainEqual(expect.objectContaining({ domain: 'com.microsoft' }));
    },
  );

  test.runIf(has('bnb4'))('bnb4: MatMulBnb4, NF4, block 64', () => {
    const m = models.bnb4;
    const nodes = allNodes(m.graph).filter((n) => n.opType === 'MatMulBnb4');
    expect(nodes).toHaveLength(linears);
    for (const n of nodes) {
      expect(n.input).toHaveLength(3);
      const a = attrs(n);
      expect(Object.keys(a)).toEqual(['K', 'N', 'block_size', 'quant_type']);
      expect(a).toMatchObject({ block_size: 64, quant_type: 1 });
      const inits = readInitializers(m);
      expect(inits.get(n.input![1]!)?.dims).toEqual([(a.K! * a.N!) / 2]);
      expect(inits.get(n.input![2]!)?.dims).toEqual([(a.K! * a.N!) / 64]);
    }
  });

  test.each((['int8', 'uint8', 'q8'] as const).filter(has))(
    '%s: DynamicQuantizeLinear + MatMulInteger, quantized embedding behind DequantizeLinear',
    (d) => {
      const m = models[d];
      const inits = readInitializers(m);
      expect(opCount(m, 'MatMulInteger')).toBe(linears);
      // ln_1's output feeds qkv_proj and fc_in: one DynamicQuantizeLinear for both.
      expect(opCount(m, 'DynamicQuantizeLinear')).toBe((3 * dims.n_layer + 1) * layout.branches);
      const weightType = d === 'uint8' ? T.UINT8 : T.INT8;
      for (const n of allNodes(m.graph).filter((x) => x.opType === 'MatMulInteger')) {
        expect(inits.get(n.input![1]!)?.dataType).toBe(weightType);
        if (d !== 'uint8') expect([...inits.get(n.input![3]!)!.raw]).toEqual([0]);
      }
      // Gathered tables are quantized with the activation type, uint8, symmetric when the
      // weights are (zero point 127).
      const wte = inits.get('transformer.wte.weight_quantized');
      expect(wte?.dataType).toBe(T.UINT8);
      expect(inits.has('transformer.wte.weight')).toBe(false);
      if (d !== 'uint8')
        expect([...inits.get('transformer.wte.weight_zero_point')!.raw]).toEqual([127]);
      const gather = allNodes(m.graph).find(
        (n) => n.input?.[0] === 'transformer.wte.weight_quantized',
      );
      const dq = allNodes(m.graph).find((n) => n.input?.[0] === gather?.output?.[0]);
      expect(dq?.opType).toBe('DequantizeLinear');
      expect(m.opsetImport?.map((o) => o.domain ?? '')).toEqual(['']);
    },
  );

  test.runIf(has('q8') && has('int8'))('q8 is the int8 graph (no Conv: QInt8 weights)', () => {
    expect(JSON.stringify(models.q8.graph?.node)).toBe(JSON.stringify(models.int8.graph?.node));
  });

  test.each((['fp16', 'q4f16'] as const).filter(has))(
    '%s: float16 weights, float32 inputs and outputs',
    (d) => {
      const m = models[d];
      for (const v of [...(m.graph?.input ?? []), ...(m.graph?.output ?? [])])
        expect([T.FLOAT, T.INT64]).toContain(elemType(v));
      const floatIo = [...m.graph!.input!, ...m.graph!.output!].filter(
        (v) => elemType(v) === FLOAT,
      );
      const ioCasts = allNodes(m.graph).filter((n) =>
        /^graph_(in|out)put_cast\d+$/.test(n.name ?? ''),
      );
      expect(ioCasts).toHaveLength(floatIo.length);
      const inits = readInitializers(m);
      for (const [name, t] of inits) expect(t.dataType, name).not.toBe(T.FLOAT);
      // torch.finfo(float32).min is clamped to the converter's max_finite_val.
      expect(float16BytesToFloat32(inits.get('const_f32_finfo_min')!.raw)[0]).toBe(-10000);
      if (d === 'q4f16') {
        const nbits = allNodes(m.graph).filter((n) => n.opType === 'MatMulNBits');
        expect(nbits).toHaveLength(linears);
        for (const n of nbits) expect(inits.get(n.input![2]!)?.dataType).toBe(T.FLOAT16);
      }
    },
  );

  test.runIf(has('fp16'))('fp16 with --fp16-io: float16 logits and KV cache, no I/O casts', () => {
    if (!fp16Io) throw new Error('no fp16-io file');
    const io = [...fp16Io.graph!.input!, ...fp16Io.graph!.output!];
    expect(elemType(io.find((v) => v.name === 'logits')!)).toBe(T.FLOAT16);
    expect(elemType(io.find((v) => v.name === 'past_key_values.0.key')!)).toBe(T.FLOAT16);
    expect(allNodes(fp16Io.graph).some((n) => n.name?.startsWith('graph_input_cast'))).toBe(false);
  });

  test.each(dtypes)('%s logits equal the reference on its own weights', async (d) => {
    const session = await createNodeSession(join(dir, file(d)));
    try {
      const { logits } = await runStep(session, dims, {
        ids: [PROMPT],
        mask: [PROMPT.map(() => 1)],
        positions: [PROMPT.map((_, i) => i)],
      });
      const ref = fileReference(models[d]);
      const expected = forward(ref.weights, dims, PROMPT, {
        table: ref.table,
        ...(ref.linear ? { linear: ref.linear } : {}),
      });
      const error = relativeError(logits, expected);
      measured.push(`  ${d}: ${error.toExponential(2)}`);
      expect(error).toBeLessThan(LOGITS_TOLERANCE[d]);
    } finally {
      await session.release();
    }
  });

  test.runIf(has('fp16'))(
    'fp16 with float16 I/O returns float16 logits (Uint16Array in Node) close to the float32-I/O file',
    async () => {
      const session = await createNodeSession(join(dir, 'fp16-io', file('fp16')));
      const reference = await createNodeSession(join(dir, file('fp16')));
      try {
        const S = PROMPT.length;
        const D = dims.n_embd / dims.n_head;
        const feeds: Record<string, ort.Tensor> = {
          input_ids: int64Tensor(PROMPT, [1, S]),
          attention_mask: int64Tensor(
            PROMPT.map(() => 1),
            [1, S],
          ),
          position_ids: int64Tensor(
            PROMPT.map((_, i) => i),
            [1, S],
          ),
        };
        for (let i = 0; i < dims.n_layer; i++) {
          for (const kind of ['key', 'value']) {
            // Node 20 has no Float16Array: float16 tensors carry their bits in a Uint16Array.
            feeds[`past_key_values.${i}.${kind}`] = new ort.Tensor('float16', new Uint16Array(0), [
              1,
              dims.n_head,
              0,
              D,
            ]);
          }
        }
        const out = await session.run(feeds);
        expect(out.logits!.type).toBe('float16');
        const bits = out.logits!.data;
        expect(bits).toBeInstanceOf(Uint16Array);
        const logits = float16BytesToFloat32(new Uint8Array((bits as Uint16Array).buffer));
        const { logits: expected } = await runStep(reference, dims, {
          ids: [PROMPT],
          mask: [PROMPT.map(() => 1)],
          positions: [PROMPT.map((_, i) => i)],
        });
        // Not bit-equal: without the I/O Casts onnxruntime fuses the float16 graph differently.
        const error = relativeError(logits, expected);
        measured.push(`  fp16 float16-I/O vs float32-I/O file: ${error.toExponential(2)}`);
        expect(error).toBeLessThan(FP16_TOLERANCE);
      } finally {
        await session.release();
        await reference.release();
      }
    },
  );
});
