// The ONNX reader against protobufjs (onnx-proto, what make-model writes with) on generated
// files, and on hand-written messages for what the generator never writes: unpacked repeated
// fields, unknown fields of every wire type, typed data fields, external data, corruption.

import { describe, expect, test } from 'vitest';
import type { onnx as pb } from 'onnx-proto';
import { concatChunks } from '../../../../scripts/make-model/chunks.ts';
import { onnxChunks } from '../../../../scripts/make-model/generate.ts';
import { DEFAULT_SEED, resolveSpec } from '../../../../scripts/make-model/model-spec.ts';
import { onnx } from '../../../../scripts/make-model/onnx/proto.ts';
import { AppError } from '../../../shared/errors.ts';
import type { OnnxGraph, OnnxModel, OnnxNode } from './onnx-reader.ts';
import { OnnxDataType, readOnnxModel, tensorData } from './onnx-reader.ts';

const dims = resolveSpec({ preset: 'tiny' }).dims;

function collectNodes(graph: OnnxGraph): OnnxNode[] {
  const out: OnnxNode[] = [];
  for (const node of graph.nodes) {
    out.push(node);
    for (const a of node.attributes.values()) if (a.g) out.push(...collectNodes(a.g));
  }
  return out;
}

function collectProtoNodes(graph: pb.IGraphProto): pb.INodeProto[] {
  const out: pb.INodeProto[] = [];
  for (const node of graph.node ?? []) {
    out.push(node);
    for (const a of node.attribute ?? []) if (a.g) out.push(...collectProtoNodes(a.g));
  }
  return out;
}

describe('generated files read as protobufjs reads them', () => {
  test.each([
    ['transformers-js', 'fp16'],
    ['merged-decoder', 'q4f16'],
    ['compact', 'q4'],
  ] as const)('%s %s', (layout, dtype) => {
    const bytes = concatChunks(onnxChunks(dims, DEFAULT_SEED, layout, dtype));
    const mine: OnnxModel = readOnnxModel(bytes);
    const theirs = onnx.ModelProto.decode(bytes);
    expect(mine.irVersion).toBe(Number(theirs.irVersion));
    expect(mine.producer).toBe(theirs.producerName);
    expect(mine.opsets).toEqual(
      theirs.opsetImport.map((o) => ({ domain: o.domain ?? '', version: Number(o.version) })),
    );
    expect(mine.graph.inputs).toEqual((theirs.graph?.input ?? []).map((v) => v.name));
    expect(mine.graph.outputs).toEqual((theirs.graph?.output ?? []).map((v) => v.name));

    const nodes = collectNodes(mine.graph);
    const protoNodes = collectProtoNodes(theirs.graph!);
    expect(nodes.length).toBe(protoNodes.length);
    nodes.forEach((node, i) => {
      const p = protoNodes[i]!;
      expect([node.name, node.opType, node.domain]).toEqual([p.name, p.opType, p.domain ?? '']);
      expect(node.inputs).toEqual(p.input);
      expect(node.outputs).toEqual(p.output);
      expect([...node.attributes.keys()]).toEqual((p.attribute ?? []).map((a) => a.name));
      for (const a of p.attribute ?? []) {
        const m = node.attributes.get(a.name!)!;
        if (a.type === onnx.AttributeProto.AttributeType.INT) expect(m.i).toBe(Number(a.i));
        if (a.type === onnx.AttributeProto.AttributeType.FLOAT) expect(m.f).toBe(a.f);
        if (a.type === onnx.AttributeProto.AttributeType.INTS)
          expect(m.ints).toEqual(a.ints!.map(Number));
        if (a.type === onnx.AttributeProto.AttributeType.TENSOR) {
          expect(m.t!.dataType).toBe(a.t!.dataType);
          expect(m.t!.dims).toEqual((a.t!.dims ?? []).map(Number));
        }
        if (a.type === onnx.AttributeProto.AttributeType.GRAPH)
          expect(m.g!.nodes.length).toBe(a.g!.node!.length);
      }
    });

    const inits = theirs.graph?.initializer ?? [];
    expect(mine.graph.initializers.size).toBe(inits.length);
    for (const t of inits) {
      const m = mine.graph.initializers.get(t.name!)!;
      expect(m.dims).toEqual((t.dims ?? []).map(Number));
      expect(m.dataType).toBe(t.dataType);
      // raw_data is a view of the file, never a copy.
      expect(m.raw!.buffer).toBe(bytes.buffer);
      expect(Buffer.from(m.raw!).equals(Buffer.from(t.rawData!))).toBe(true);
      expect(tensorData(m)).toBe(m.raw);
    }
  });

  test('a ConstantOfShape value converted to float16 is read from int32_data', () => {
    const bytes = concatChunks(onnxChunks(dims, DEFAULT_SEED, 'transformers-js', 'fp16'));
    const node = readOnnxModel(bytes).graph.nodes.find((n) => n.opType === 'ConstantOfShape')!;
    const t = node.attributes.get('value')!.t!;
    expect(t.raw).toBeNull();
    expect(t.dataType).toBe(OnnxDataType.FLOAT16);
    // finfo.min clamped to -10000 by the float16 converter: 0xf0e2.
    expect(new Uint16Array(tensorData(t).buffer)).toEqual(Uint16Array.of(0xf0e2));
  });
});

/** A hand-rolled protobuf writer for messages protobufjs would not write. */
const w = {
  varint(v: number | bigint): number[] {
    let x = BigInt.asUintN(64, BigInt(v));
    const out: number[] = [];
    while (x >= 0x80n) {
      out.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    out.push(Number(x));
    return out;
  },
  key: (field: number, wire: number): number[] => w.varint(field * 8 + wire),
  int: (field: number, v: number | bigint): number[] => [...w.key(field, 0), ...w.varint(v)],
  bytes: (field: number, payload: number[]): number[] => [
    ...w.key(field, 2),
    ...w.varint(payload.length),
    ...payload,
  ],
  str: (field: number, s: string): number[] => w.bytes(field, [...new TextEncoder().encode(s)]),
  f32: (field: number, v: number): number[] => [
    ...w.key(field, 5),
    ...new Uint8Array(Float32Array.of(v).buffer),
  ],
  f64: (field: number, v: number): number[] => [
    ...w.key(field, 1),
    ...new Uint8Array(Float64Array.of(v).buffer),
  ],
  /** Unknown fields of all four wire types. */
  junk: (): number[] => [
    ...w.int(1999, -5),
    ...w.f64(1998, 1.5),
    ...w.bytes(1997, [1, 2, 3]),
    ...w.f32(1996, 2.5),
  ],
};

describe('hand-written messages', () => {
  const tensor = (name: string, fields: number[]): number[] => [
    ...w.junk(),
    ...w.str(8, name),
    ...fields,
    ...w.junk(),
  ];
  const model = (graph: number[]): Uint8Array =>
    Uint8Array.from([...w.junk(), ...w.int(1, 9), ...w.bytes(7, graph), ...w.junk()]);

  test('unpacked repeated fields, typed data fields and unknown fields', () => {
    const attr = (fields: number[]): number[] => w.bytes(5, [...w.junk(), ...fields]);
    const subgraph = [...w.str(2, 'branch'), ...w.bytes(1, [...w.str(4, 'Identity')])];
    const node = [
      ...w.junk(),
      ...w.str(1, 'a'),
      ...w.str(1, ''),
      ...w.str(2, 'y'),
      ...w.str(3, 'n0'),
      ...w.str(4, 'Custom'),
      ...w.str(7, 'com.example'),
      ...attr([...w.str(1, 'axis'), ...w.int(20, 2), ...w.int(3, -1)]),
      ...attr([...w.str(1, 'eps'), ...w.f32(2, 0.25)]),
      // ints unpacked (one varint per entry), then a packed run
      ...attr([...w.str(1, 'ints'), ...w.int(8, -3), ...w.int(8, 2 ** 40)]),
      ...attr([...w.str(1, 'ints2'), ...w.bytes(8, [...w.varint(7), ...w.varint(-2)])]),
      ...attr([...w.str(1, 'floats'), ...w.f32(7, 0.5), ...w.f32(7, -1)]),
      ...attr([...w.str(1, 'mode'), ...w.str(4, 'linear')]),
      ...attr([...w.str(1, 'body'), ...w.bytes(6, subgraph)]),
    ];
    const half = [0x3c00, 0xc000, 0x0001]; // 1, -2, smallest subnormal
    const graph = [
      ...w.junk(),
      ...w.bytes(1, node),
      ...w.bytes(
        5,
        tensor('unpacked_f32', [...w.int(1, 2), ...w.int(2, 1), ...w.f32(4, 1.5), ...w.f32(4, -2)]),
      ),
      ...w.bytes(
        5,
        tensor('packed_f32', [
          ...w.bytes(1, [...w.varint(1), ...w.varint(2)]),
          ...w.int(2, 1),
          ...w.bytes(4, [...new Uint8Array(Float32Array.of(3, 4).buffer)]),
        ]),
      ),
      ...w.bytes(
        5,
        tensor('half', [
          ...w.int(1, 3),
          ...w.int(2, 10),
          ...w.bytes(
            5,
            half.flatMap((h) => w.varint(h)),
          ),
        ]),
      ),
      ...w.bytes(
        5,
        tensor('int64', [
          ...w.int(1, 3),
          ...w.int(2, 7),
          ...w.int(7, -1),
          ...w.int(7, 2 ** 40),
          ...w.int(7, -(2 ** 33) - 5),
        ]),
      ),
      ...w.bytes(5, tensor('double', [...w.int(1, 1), ...w.int(2, 11), ...w.f64(10, 0.1)])),
      ...w.bytes(
        5,
        tensor('bytes', [
          ...w.int(1, 2),
          ...w.int(2, 2),
          ...w.bytes(5, [...w.varint(255), ...w.varint(7)]),
        ]),
      ),
      ...w.bytes(11, [...w.str(1, 'a'), ...w.junk()]),
      ...w.bytes(12, [...w.str(1, 'y')]),
      ...w.bytes(13, [...w.str(1, 'value_info_is_skipped')]),
    ];
    const m = readOnnxModel(model(graph));
    expect(m.irVersion).toBe(9);
    expect(m.graph.inputs).toEqual(['a']);
    expect(m.graph.outputs).toEqual(['y']);
    const n = m.graph.nodes[0]!;
    expect(n).toMatchObject({
      name: 'n0',
      opType: 'Custom',
      domain: 'com.example',
      inputs: ['a', ''],
      outputs: ['y'],
    });
    expect(n.attributes.get('axis')!.i).toBe(-1);
    expect(n.attributes.get('eps')!.f).toBe(0.25);
    expect(n.attributes.get('ints')!.ints).toEqual([-3, 2 ** 40]);
    expect(n.attributes.get('ints2')!.ints).toEqual([7, -2]);
    expect(n.attributes.get('floats')!.floats).toEqual([0.5, -1]);
    expect(n.attributes.get('mode')!.s).toBe('linear');
    expect(n.attributes.get('body')!.g!.nodes[0]!.opType).toBe('Identity');

    const data = (name: string): Uint8Array => tensorData(m.graph.initializers.get(name)!);
    const f32 = (b: Uint8Array): number[] => [...new Float32Array(b.slice().buffer)];
    expect(f32(data('unpacked_f32'))).toEqual([1.5, -2]);
    expect(m.graph.initializers.get('packed_f32')!.dims).toEqual([1, 2]);
    expect(f32(data('packed_f32'))).toEqual([3, 4]);
    expect([...new Uint16Array(data('half').slice().buffer)]).toEqual(half);
    expect([...new BigInt64Array(data('int64').slice().buffer)]).toEqual([
      -1n,
      2n ** 40n,
      -(2n ** 33n) - 5n,
    ]);
    expect([...new Float64Array(data('double').slice().buffer)]).toEqual([0.1]);
    expect([...data('bytes')]).toEqual([255, 7]);
  });

  test('external data is reported, not read', () => {
    const ext = tensor('w', [
      ...w.int(1, 4),
      ...w.int(2, 1),
      ...w.bytes(13, [...w.str(1, 'location'), ...w.str(2, 'model.onnx_data')]),
      ...w.bytes(13, [...w.str(1, 'offset'), ...w.str(2, '0')]),
      ...w.int(14, 1),
    ]);
    const m = readOnnxModel(model(w.bytes(5, ext)));
    const t = m.graph.initializers.get('w')!;
    expect(t.external).toEqual({ location: 'model.onnx_data' });
    let error: unknown;
    try {
      tensorData(t, 'onnx/model.onnx');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('bad-model');
    expect((error as AppError).message).toMatch(/"w".*external file "model\.onnx_data"/);
  });

  test('a tensor whose data does not match its dims', () => {
    const short = tensor('w', [...w.int(1, 3), ...w.int(2, 1), ...w.bytes(9, [0, 0, 0, 0])]);
    const m = readOnnxModel(model(w.bytes(5, short)));
    expect(() => tensorData(m.graph.initializers.get('w')!)).toThrow(
      /holds 4 bytes of data, expected 12/,
    );
  });

  test('corrupt bytes', () => {
    const bad = (bytes: number[], message: RegExp): void => {
      let error: unknown;
      try {
        readOnnxModel(Uint8Array.from(bytes), 'x.onnx');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('bad-model');
      expect((error as AppError).message).toMatch(message);
    };
    bad([...w.key(7, 2), 100, 1, 2], /x\.onnx is truncated.*runs past the end/);
    bad([...w.key(7, 2), ...w.varint(3), ...w.key(1, 3), 0, 0], /unknown wire type 3/);
    bad(
      Array.from({ length: 11 }, () => 0xff),
      /longer than 10 bytes/,
    );
    bad([...w.int(1, 8)], /has no graph/);
    bad([...w.key(1, 0)], /runs past the end/);
  });
});
