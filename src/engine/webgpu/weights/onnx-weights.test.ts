// Every weight-only file make-model writes (each layout × fp32, fp16, q4, q4f16), read through
// openOnnxWeights, gives back exactly the weights the generator put in: float32 bit for bit,
// float16 as the generator's converter rounded them, q4 as its quantizer packed them. The
// files are built in memory from the tiny preset (a few MB each). Variants with the names a
// real torch export has (anonymous weights) check that the graph is followed, not the names.

import type { onnx as pb } from 'onnx-proto';
import { describe, expect, test } from 'vitest';
import { concatChunks } from '../../../../scripts/make-model/chunks.ts';
import { GENERATOR_VERSION, onnxChunks } from '../../../../scripts/make-model/generate.ts';
import { DEFAULT_SEED, resolveSpec } from '../../../../scripts/make-model/model-spec.ts';
import { LAYOUTS } from '../../../../scripts/make-model/onnx/layouts/index.ts';
import type { LayoutName } from '../../../../scripts/make-model/onnx/layouts/index.ts';
import { modelChunks } from '../../../../scripts/make-model/onnx/model-writer.ts';
import { converterFloat16Bits } from '../../../../scripts/make-model/onnx/passes/fp16.ts';
import { allScopes } from '../../../../scripts/make-model/onnx/passes/graph-walk.ts';
import { applyDtype } from '../../../../scripts/make-model/onnx/passes/index.ts';
import type { PublishedDtype } from '../../../../scripts/make-model/onnx/passes/index.ts';
import { quantizeBlockwiseQ4 } from '../../../../scripts/make-model/onnx/passes/q4.ts';
import { onnx } from '../../../../scripts/make-model/onnx/proto.ts';
import { linearPlans, transpose, WeightSource } from '../../../../scripts/make-model/weights.ts';
import { AppError } from '../../../shared/errors.ts';
import { float16Bits, float16Value } from '../../float16.ts';
import { dequantizeMatMulNBits4 } from '../../reference/dequant.ts';
import { openOnnxWeights } from './onnx-weights.ts';
import type { CodegenWeightSource } from './types.ts';

const dims = resolveSpec({ preset: 'tiny' }).dims;
const source = new WeightSource(dims, DEFAULT_SEED);
const E = dims.n_embd;

const f16Bits = (values: Float32Array): Uint16Array =>
  Uint16Array.from(values, (v) => converterFloat16Bits(v));
const f16Rounded = (values: Float32Array): Float32Array =>
  Float32Array.from(values, (v) => float16Value(converterFloat16Bits(v)));

/**
 * How a file names its weights. `generator`: as make-model writes them (HF names,
 * `<module>.weight_transposed`). `torch`: weights anonymous (onnx::Init_<n>) but MatMul nodes
 * named by module path, as torch.onnx exports. `anonymous`: neither says anything, so only
 * the graph's structure and order can tell.
 */
type Naming = 'generator' | 'torch' | 'anonymous';

function fileBytes(
  layout: LayoutName,
  dtype: PublishedDtype,
  naming: Naming = 'generator',
): Uint8Array {
  if (naming === 'generator') return concatChunks(onnxChunks(dims, DEFAULT_SEED, layout, dtype));
  const model = LAYOUTS[layout].build(dims, new WeightSource(dims, DEFAULT_SEED));
  const rename = new Map<string, string>();
  model.graph.initializers.forEach((init, i) => {
    if (!/^(transformer|lm_head)/.test(init.name)) return;
    rename.set(init.name, `onnx::Init_${i}`);
    init.name = `onnx::Init_${i}`;
  });
  for (const scope of allScopes(model)) {
    for (const node of scope.nodes) {
      const weight = /^(.*)\.weight_transposed$/.exec(node.input?.[1] ?? '')?.[1];
      if (naming === 'torch' && node.opType === 'MatMul' && weight !== undefined)
        node.name = `/${weight.replace(/\.(?=[a-z_]+(\.|$))/g, '/')}/MatMul`;
      node.input = (node.input ?? []).map((n) => rename.get(n) ?? n);
    }
  }
  applyDtype(model, dtype);
  return concatChunks(modelChunks({ ...model, producerVersion: String(GENERATOR_VERSION) }));
}

/**
 * Bit-for-bit equality of two typed arrays, reported at the first difference (vitest's
 * toEqual walks a 100k-element array slowly).
 */
function expectSameBits(
  got: Float32Array | Uint16Array | Uint8Array,
  want: Float32Array | Uint16Array | Uint8Array,
  label: string,
): void {
  expect(got.constructor, label).toBe(want.constructor);
  expect(got.length, label).toBe(want.length);
  const a = Buffer.from(got.buffer, got.byteOffset, got.byteLength);
  const b = Buffer.from(want.buffer, want.byteOffset, want.byteLength);
  if (a.equals(b)) return;
  const i = got.findIndex((v, k) => !Object.is(v, want[k]));
  expect(got[i], `${label}[${i}]`).toBe(want[i]);
}

function expectThrowsBadModel(fn: () => unknown, message: RegExp): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    const err = e as AppError;
    expect(err.code).toBe('bad-model');
    expect(err.message).toMatch(message);
    return err;
  }
  throw new Error('expected a bad-model AppError');
}

/** Checks every parameter of `w` against the generator's weights as `dtype` stores them. */
function expectGeneratorWeights(w: CodegenWeightSource, dtype: PublishedDtype): void {
  const half = dtype === 'fp16' || dtype === 'q4f16';
  const quantized = dtype === 'q4' || dtype === 'q4f16';
  for (const { module, outDim: N, inDim: K, hasBias } of linearPlans(dims)) {
    const ref = source.values(`${module}.weight`); // [N, K]
    const lin = w.linear(module);
    expect([lin.rows, lin.cols], module).toEqual([N, K]);
    if (quantized) {
      if (lin.kind !== 'q4') throw new Error(`${module}: ${lin.kind}, expected q4`);
      const q = quantizeBlockwiseQ4(transpose(ref, N, K), K, N);
      const scales = half ? f16Rounded(q.scales) : q.scales;
      expect(lin.blockSize).toBe(32);
      expect(lin.zeroPoints).toBeNull();
      expectSameBits(lin.packed, q.packed, `${module} packed`);
      expectSameBits(lin.scales, scales, `${module} scales`);
      const got = dequantizeMatMulNBits4(lin.packed, lin.scales, lin.zeroPoints, K, N, 32);
      expectSameBits(got, dequantizeMatMulNBits4(q.packed, scales, null, K, N, 32), module);
    } else if (lin.kind !== 'dense') {
      throw new Error(`${module}: q4, expected dense`);
    } else if (half) {
      expect(lin.format).toBe('f16');
      expectSameBits(lin.data, f16Bits(ref), module);
    } else {
      expect(lin.format).toBe('f32');
      expectSameBits(lin.data, ref, module);
    }
    expect(w.hasVector(`${module}.bias`), module).toBe(hasBias);
    if (hasBias) {
      const bias = source.values(`${module}.bias`);
      expectSameBits(w.vector(`${module}.bias`), half ? f16Rounded(bias) : bias, `${module}.bias`);
    }
  }
  const layerNorms = [
    ...Array.from({ length: dims.n_layer }, (_, i) => `transformer.h.${i}.ln_1`),
    'transformer.ln_f',
  ];
  for (const prefix of layerNorms) {
    for (const part of ['weight', 'bias']) {
      const v = source.values(`${prefix}.${part}`);
      expectSameBits(w.vector(`${prefix}.${part}`), half ? f16Rounded(v) : v, `${prefix}.${part}`);
    }
  }
  const table = source.values('transformer.wte.weight');
  const emb = w.embedding();
  expect([emb.rows, emb.cols]).toEqual([dims.vocab_size, E]);
  expect(emb.format).toBe(half ? 'f16' : 'f32');
  expectSameBits(emb.data, half ? f16Bits(table) : table, 'transformer.wte.weight');
  // fp16 files store the LayerNorm epsilon constant as float16 too (the fused op's attribute
  // stays float32): 1e-5 to within float16 rounding either way.
  expect(w.layerNormEpsilon).not.toBeNull();
  expect(Math.abs(w.layerNormEpsilon! - 1e-5)).toBeLessThan(2e-8);
}

const WEIGHT_ONLY: PublishedDtype[] = ['fp32', 'fp16', 'q4', 'q4f16'];
const LAYOUT_NAMES: LayoutName[] = ['transformers-js', 'merged-decoder', 'compact'];

describe.each(LAYOUT_NAMES)('%s layout', (layout) => {
  test.each(WEIGHT_ONLY)('%s: every parameter equals the generator’s', (dtype) => {
    const w = openOnnxWeights(fileBytes(layout, dtype), `onnx/${dtype}.onnx`, dims.n_layer);
    expectGeneratorWeights(w, dtype);
    const linears = {
      fp32: /float32 MatMul/,
      fp16: /float16 MatMul/,
      q4: /MatMulNBits 4-bit, block 32, float32 scales/,
      q4f16: /MatMulNBits 4-bit, block 32, float16 scales/,
    };
    expect(w.description).toMatch(linears[dtype as keyof typeof linears]);
    if (layout === 'merged-decoder') expect(w.description).toMatch(/merged decoder/);
  });

  test.each(['q8', 'int8', 'uint8', 'bnb4'] as const)('%s is refused with a hint', (dtype) => {
    const bytes = concatChunks(onnxChunks(dims, DEFAULT_SEED, layout, dtype));
    const err = expectThrowsBadModel(
      () => openOnnxWeights(bytes, `onnx/${dtype}.onnx`, dims.n_layer),
      dtype === 'bnb4' ? /MatMulBnb4/ : /MatMulInteger|DynamicQuantizeLinear/,
    );
    expect(err.hint).toMatch(/engine=ort/);
  });
});

describe('files whose names do not say which weight is which', () => {
  test.each([
    ['transformers-js', 'fp32', 'torch'],
    ['transformers-js', 'q4', 'torch'],
    ['transformers-js', 'fp32', 'anonymous'],
    ['transformers-js', 'q4f16', 'anonymous'],
    ['merged-decoder', 'fp16', 'anonymous'],
    ['compact', 'q4', 'anonymous'],
  ] as const)('%s %s, %s names: found through the graph', (layout, dtype, naming) => {
    const bytes = fileBytes(layout, dtype, naming);
    const w = openOnnxWeights(bytes, 'onnx/model.onnx', dims.n_layer);
    expectGeneratorWeights(w, dtype);
  });
});

describe('weights stored the other ways ONNX allows', () => {
  const T = onnx.TensorProto.DataType;
  const decode = (layout: LayoutName, dtype: PublishedDtype): pb.ModelProto =>
    onnx.ModelProto.decode(fileBytes(layout, dtype));
  const nodesOf = (model: pb.ModelProto): pb.INodeProto[] => (model.graph!.node ??= []);
  const initializersOf = (model: pb.ModelProto): pb.ITensorProto[] =>
    (model.graph!.initializer ??= []);
  const takeInitializer = (model: pb.ModelProto, name: string): pb.ITensorProto => {
    const list = initializersOf(model);
    const i = list.findIndex((t) => t.name === name);
    return list.splice(i, 1)[0]!;
  };
  const floatsOf = (t: pb.ITensorProto): Float32Array =>
    new Float32Array(new Uint8Array(t.rawData!).buffer); // copied: aligned

  test('a Constant node with float_data, and a float16 weight behind a Cast', () => {
    const model = decode('transformers-js', 'fp32');
    // lm_head's B as a Constant node whose values are in float_data, not raw_data.
    const lmHead = takeInitializer(model, 'lm_head.weight_transposed');
    const constant: pb.INodeProto = {
      name: 'lm_head_constant',
      opType: 'Constant',
      output: ['lm_head.weight_transposed'],
      attribute: [
        {
          name: 'value',
          type: onnx.AttributeProto.AttributeType.TENSOR,
          t: { dims: lmHead.dims, dataType: T.FLOAT, floatData: Array.from(floatsOf(lmHead)) },
        },
      ],
    };
    // fc_in's B stored as float16 and Cast to float32 before the MatMul.
    const fcIn = takeInitializer(model, 'transformer.h.0.mlp.fc_in.weight_transposed');
    const halfB = Uint16Array.from(floatsOf(fcIn), float16Bits);
    initializersOf(model).push({
      ...fcIn,
      name: 'fc_in_f16',
      dataType: T.FLOAT16,
      rawData: new Uint8Array(halfB.buffer),
    });
    const cast: pb.INodeProto = {
      name: 'fc_in_cast',
      opType: 'Cast',
      input: ['fc_in_f16'],
      output: ['transformer.h.0.mlp.fc_in.weight_transposed'],
      attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: T.FLOAT }],
    };
    nodesOf(model).unshift(constant, cast);
    const bytes = onnx.ModelProto.encode(model).finish();
    const w = openOnnxWeights(bytes, 'onnx/model.onnx', dims.n_layer);

    const lin = w.linear('lm_head');
    if (lin.kind !== 'dense' || lin.format !== 'f32') throw new Error('expected dense f32');
    expectSameBits(lin.data, source.values('lm_head.weight'), 'lm_head');
    const fc = w.linear('transformer.h.0.mlp.fc_in');
    if (fc.kind !== 'dense' || fc.format !== 'f16') throw new Error('expected dense f16');
    expectSameBits(
      fc.data,
      Uint16Array.from(source.values('transformer.h.0.mlp.fc_in.weight'), float16Bits),
      'fc_in',
    );
  });

  test('a q4 file that keeps lm_head dense', () => {
    const q4 = decode('transformers-js', 'q4');
    const fp32 = decode('transformers-js', 'fp32');
    const nodes = nodesOf(q4);
    const i = nodes.findIndex((n) => n.opType === 'MatMulNBits' && n.name!.startsWith('/lm_head'));
    const nbits = nodes[i]!;
    nodes[i] = {
      name: '/lm_head/MatMul',
      opType: 'MatMul',
      input: [nbits.input![0]!, 'lm_head.weight_transposed'],
      output: nbits.output!,
    };
    initializersOf(q4).push(takeInitializer(fp32, 'lm_head.weight_transposed'));
    const bytes = onnx.ModelProto.encode(q4).finish();
    const w = openOnnxWeights(bytes, 'onnx/model_q4.onnx', dims.n_layer);
    expect(w.linear('lm_head').kind).toBe('dense');
    expect(w.linear('transformer.h.1.mlp.fc_out').kind).toBe('q4');
    expect(w.description).toMatch(
      /MatMulNBits 4-bit, block 32, float32 scales \(8 linears\), float32 MatMul \(1 linears\)/,
    );
    const lin = w.linear('lm_head');
    if (lin.kind !== 'dense' || lin.format !== 'f32') throw new Error('expected dense f32');
    expectSameBits(lin.data, source.values('lm_head.weight'), 'lm_head');
    expectSameBits(w.vector('lm_head.bias'), source.values('lm_head.bias'), 'lm_head.bias');
  });
});

describe('views, not copies', () => {
  test('q4 weights are views of the file', () => {
    const bytes = fileBytes('transformers-js', 'q4');
    const w = openOnnxWeights(bytes, 'onnx/model_q4.onnx', dims.n_layer);
    const lin = w.linear('transformer.h.1.mlp.fc_in');
    if (lin.kind !== 'q4') throw new Error('expected q4');
    expect(lin.packed.buffer).toBe(bytes.buffer);
  });

  test('an aligned float32 tensor is handed out as a view', () => {
    // Shift the file in a larger buffer until the embedding's raw_data is 4-byte aligned.
    const file = fileBytes('transformers-js', 'fp32');
    let viewed = false;
    for (let shift = 0; shift < 4 && !viewed; shift++) {
      const bytes = new Uint8Array(new ArrayBuffer(file.length + 4), shift, file.length);
      bytes.set(file);
      const emb = openOnnxWeights(bytes, 'onnx/model.onnx', dims.n_layer).embedding();
      viewed = emb.data.buffer === bytes.buffer;
    }
    expect(viewed).toBe(true);
  });
});

describe('clear errors', () => {
  const fp32 = fileBytes('transformers-js', 'fp32');

  test('a truncated file', () => {
    for (const fraction of [0.3, 0.7, 0.999]) {
      const cut = fp32.slice(0, Math.floor(fp32.length * fraction));
      expectThrowsBadModel(() => openOnnxWeights(cut, 'onnx/model.onnx', 2), /truncated/);
    }
  });

  test('a config with more layers than the file', () => {
    expectThrowsBadModel(
      () => openOnnxWeights(fp32, 'onnx/model.onnx', 3),
      /n_layer = 3: no transformer\.h\.2\.attn\.qkv_proj/,
    );
    expectThrowsBadModel(
      () =>
        openOnnxWeights(fileBytes('transformers-js', 'fp32', 'anonymous'), 'onnx/model.onnx', 3),
      /expected 4 × 3 \+ 1 = 13 linear layers.*found 9/,
    );
  });

  test('a config with fewer layers than the file', () => {
    expectThrowsBadModel(
      () => openOnnxWeights(fp32, 'onnx/model.onnx', 1),
      /beyond n_layer = 1: transformer\.h\.1\./,
    );
  });

  test('a file missing one layer’s weights', () => {
    const model = onnx.ModelProto.decode(fp32);
    const graph = model.graph!;
    graph.node = (graph.node ?? []).filter(
      (n) => !(n.input ?? []).includes('transformer.h.1.mlp.fc_out.weight_transposed'),
    );
    const bytes = onnx.ModelProto.encode(model).finish();
    expectThrowsBadModel(
      () => openOnnxWeights(bytes, 'onnx/model.onnx', 2),
      /no transformer\.h\.1\.mlp\.fc_out/,
    );
  });

  test('a graph that is not CodeGen', () => {
    const FLOAT = onnx.TensorProto.DataType.FLOAT;
    const tiny = onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 14 }],
      graph: {
        name: 'mlp',
        node: [{ opType: 'MatMul', input: ['x', 'w'], output: ['y'], name: 'fc' }],
        initializer: [
          { name: 'w', dims: [4, 4], dataType: FLOAT, floatData: new Array(16).fill(1) },
        ],
      },
    }).finish();
    expectThrowsBadModel(() => openOnnxWeights(tiny, 'mlp.onnx', 2), /not a CodeGen graph/);
    const noMatMul = onnx.ModelProto.encode({ irVersion: 8, graph: { name: 'empty' } }).finish();
    expectThrowsBadModel(
      () => openOnnxWeights(noMatMul, 'empty.onnx', 2),
      /no MatMul with constant weights/,
    );
  });

  test('bytes that are not an ONNX file', () => {
    const json = new TextEncoder().encode('{"model_type": "codegen", "n_layer": 2}');
    expectThrowsBadModel(() => openOnnxWeights(json, 'config.onnx', 2), /not an ONNX model/);
  });
});
