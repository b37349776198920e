// A protobuf wire-format reader for the parts of an ONNX ModelProto the WGSL engine needs:
// graph nodes with their attributes (If branches included), initializers and Constant nodes.
// It runs in a Web Worker on the file's bytes as downloaded: raw_data stays a view into those
// bytes (a 1.4 GB fp32 export is never copied), every other field is decoded as it is met.
// Field numbers are onnx/onnx.proto's; fields not listed here are skipped by wire type.

import { AppError } from '../../../shared/errors.ts';

/** TensorProto.DataType values this engine can meet in a weight file. */
export const OnnxDataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  BFLOAT16: 16,
} as const;

export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: number;
  /** raw_data as a view of the file's bytes, or null when the values are in typed fields. */
  raw: Uint8Array | null;
  /** float_data / int32_data / int64_data / double_data as they lie in the file (undecoded). */
  typed: TypedSegment[];
  /** Where the data is when it is not in this file (data_location EXTERNAL). */
  external: { location: string } | null;
}

/** One occurrence of a repeated numeric field: packed bytes, or a single value's bytes. */
export interface TypedSegment {
  field: number;
  bytes: Uint8Array;
}

export interface OnnxAttribute {
  name: string;
  i?: number;
  f?: number;
  s?: string;
  ints?: number[];
  floats?: number[];
  t?: OnnxTensor;
  g?: OnnxGraph;
}

export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, OnnxAttribute>;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: Map<string, OnnxTensor>;
  inputs: string[];
  outputs: string[];
}

export interface OnnxModel {
  irVersion: number;
  producer: string;
  opsets: { domain: string; version: number }[];
  graph: OnnxGraph;
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextDecoder();

/** A cursor over one message's bytes [pos, end) of the whole file. */
class Wire {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    readonly end: number,
    private readonly label: string,
  ) {}

  done(): boolean {
    return this.pos >= this.end;
  }

  corrupt(what: string): AppError {
    return new AppError(
      'bad-model',
      `${this.label} is truncated or is not an ONNX model: ${what} at byte ${this.pos}.`,
      { hint: 'Download the file again; if it persists, the file is not a valid ONNX export.' },
    );
  }

  /** A varint as a number: int64 two's complement is exact for |v| < 2^53. */
  varint(): number {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw this.corrupt('a number runs past the end');
      const b = this.bytes[this.pos++]!;
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if (b < 0x80) return hi * 2 ** 32 + (lo >>> 0);
    }
    throw this.corrupt('a number longer than 10 bytes');
  }

  /** The next field's tag, or null at the end of the message. */
  tag(): { field: number; wire: number } | null {
    if (this.done()) return null;
    const t = this.varint();
    return { field: Math.floor(t / 8), wire: t & 7 };
  }

  /** [start, end) of a length-delimited field's payload; the cursor moves past it. */
  span(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    if (len < 0 || start + len > this.end)
      throw this.corrupt(`a ${len}-byte field runs past the end`);
    this.pos = start + len;
    return [start, start + len];
  }

  sub(): Wire {
    const [start, end] = this.span();
    return new Wire(this.bytes, start, end, this.label);
  }

  view(): Uint8Array {
    const [start, end] = this.span();
    return this.bytes.subarray(start, end);
  }

  string(): string {
    return utf8.decode(this.view());
  }

  fixed(width: 4 | 8): Uint8Array {
    if (this.pos + width > this.end) throw this.corrupt('a fixed-width number runs past the end');
    this.pos += width;
    return this.bytes.subarray(this.pos - width, this.pos);
  }

  float32(): number {
    const b = this.fixed(4);
    return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
  }

  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_FIXED64) this.fixed(8);
    else if (wire === WIRE_LEN) this.span();
    else if (wire === WIRE_FIXED32) this.fixed(4);
    else throw this.corrupt(`unknown wire type ${wire}`);
  }

  /** A repeated int64 field, packed (wire 2) or one value (wire 0), appended to `out`. */
  int64s(wire: number, out: number[]): void {
    if (wire !== WIRE_LEN) {
      out.push(this.varint());
      return;
    }
    const inner = this.sub();
    while (!inner.done()) out.push(inner.varint());
  }

  /** A repeated float field, packed (wire 2) or one value (wire 5), appended to `out`. */
  float32s(wire: number, out: number[]): void {
    if (wire !== WIRE_LEN) {
      out.push(this.float32());
      return;
    }
    const inner = this.sub();
    while (!inner.done()) out.push(inner.float32());
  }
}

/** Parses the ModelProto in `bytes`. `label` names the file in error messages. */
export function readOnnxModel(bytes: Uint8Array, label = 'The ONNX file'): OnnxModel {
  const w = new Wire(bytes, 0, bytes.length, label);
  const model: OnnxModel = { irVersion: 0, producer: '', opsets: [], graph: emptyGraph() };
  let hasGraph = false;
  for (let t = w.tag(); t; t = w.tag()) {
    if (t.field === 1 && t.wire === WIRE_VARINT) model.irVersion = w.varint();
    else if (t.field === 2 && t.wire === WIRE_LEN) model.producer = w.string();
    else if (t.field === 7 && t.wire === WIRE_LEN) {
      model.graph = readGraph(w.sub());
      hasGraph = true;
    } else if (t.field === 8 && t.wire === WIRE_LEN) model.opsets.push(readOpset(w.sub()));
    else w.skip(t.wire);
  }
  if (!hasGraph) {
    throw new AppError('bad-model', `${label} has no graph: it is not an ONNX model.`, {
      hint: 'Pick an .onnx file from the model’s onnx/ folder, or model.safetensors.',
    });
  }
  return model;
}

function emptyGraph(): OnnxGraph {
  return { name: '', nodes: [], initializers: new Map(), inputs: [], outputs: [] };
}

function readOpset(w: Wire): { domain: string; version: number } {
  const out = { domain: '', version: 0 };
  for (let t = w.tag(); t; t = w.tag()) {
    if (t.field === 1 && t.wire === WIRE_LEN) out.domain = w.string();
    else if (t.field === 2 && t.wire === WIRE_VARINT) out.version = w.varint();
    else w.skip(t.wire);
  }
  return out;
}

function readGraph(w: Wire): OnnxGraph {
  const g = emptyGraph();
  for (let t = w.tag(); t; t = w.tag()) {
    if (t.wire !== WIRE_LEN) w.skip(t.wire);
    else if (t.field === 1) g.nodes.push(readNode(w.sub()));
    else if (t.field === 2) g.name = w.string();
    else if (t.field === 5) {
      const tensor = readTensor(w.sub());
      g.initializers.set(tensor.name, tensor);
    } else if (t.field === 11) g.inputs.push(readValueInfoName(w.sub()));
    else if (t.field === 12) g.outputs.push(readValueInfoName(w.sub()));
    else w.skip(t.wire);
  }
  return g;
}

function readValueInfoName(w: Wire): string {
  let name = '';
  for (let t = w.tag(); t; t = w.tag()) {
    if (t.field === 1 && t.wire === WIRE_LEN) name = w.string();
    else w.skip(t.wire);
  }
  return name;
}

function readNode(w: Wire): OnnxNode {
  const node: OnnxNode = {
    name: '',
    opType: '',
    domain: '',
    inputs: [],
    outputs: [],
    attributes: new Map(),
  };
  for (let t = w.tag(); t; t = w.tag()) {
    if (t.wire !== WIRE_LEN) w.skip(t.wire);
    else if (t.field === 1) node.inputs.push(w.string());
    else if (t.field === 2) node.outputs.push(w.string());
    else if (t.field === 3) node.name = w.string();
    else if (t.field === 4) node.opType = w.string();
    else if (t.field === 5) {
      const a = readAttribute(w.sub());
      node.attributes.set(a.name, a);
    } else if (t.field === 7) node.domain = w.string();
    else w.skip(t.wire);
  }
  return node;
}

function readAttribute(w: Wire): OnnxAttribute {
  const a: OnnxAttribute = { name: '' };
  for (let t = w.tag(); t; t = w.tag()) {
    const { field, wire } = t;
    if (field === 1 && wire === WIRE_LEN) a.name = w.string();
    else if (field === 2 && wire === WIRE_FIXED32) a.f = w.float32();
    else if (field === 3 && wire === WIRE_VARINT) a.i = w.varint();
    else if (field === 4 && wire === WIRE_LEN) a.s = w.string();
    else if (field === 5 && wire === WIRE_LEN) a.t = readTensor(w.sub());
    else if (field === 6 && wire === WIRE_LEN) a.g = readGraph(w.sub());
    else if (field === 7 && (wire === WIRE_LEN || wire === WIRE_FIXED32))
      w.float32s(wire, (a.floats ??= []));
    else if (field === 8 && (wire === WIRE_LEN || wire === WIRE_VARINT))
      w.int64s(wire, (a.ints ??= []));
    else w.skip(wire);
  }
  return a;
}

// TensorProto fields holding values when raw_data is absent.
export const TENSOR_FIELD = { floatData: 4, int32Data: 5, int64Data: 7, doubleData: 10 } as const;
const TYPED_FIELDS = new Set<number>(Object.values(TENSOR_FIELD));

function readTensor(w: Wire): OnnxTensor {
  const tensor: OnnxTensor = {
    name: '',
    dims: [],
    dataType: 0,
    raw: null,
    typed: [],
    external: null,
  };
  let externalLocation = '';
  let dataLocation = 0;
  for (let t = w.tag(); t; t = w.tag()) {
    const { field, wire } = t;
    if (field === 1 && (wire === WIRE_LEN || wire === WIRE_VARINT)) w.int64s(wire, tensor.dims);
    else if (field === 2 && wire === WIRE_VARINT) tensor.dataType = w.varint();
    else if (field === 8 && wire === WIRE_LEN) tensor.name = w.string();
    else if (field === 9 && wire === WIRE_LEN) tensor.raw = w.view();
    else if (field === 13 && wire === WIRE_LEN) {
      const entry = readStringPair(w.sub());
      if (entry.key === 'location') externalLocation = entry.value;
    } else if (field === 14 && wire === WIRE_VARINT) dataLocation = w.varint();
    else if (TYPED_FIELDS.has(field)) {
      // Packed: the payload; unpacked: the one value's own bytes. Either way a run of
      // varints or of fixed-width numbers, decoded only if the tensor is read.
      if (wire === WIRE_LEN) tensor.typed.push({ field, bytes: w.view() });
      else {
        const start = w.pos;
        w.skip(wire);
        tensor.typed.push({ field, bytes: w.bytes.subarray(start, w.pos) });
      }
    } else w.skip(wire);
  }
  for (const d of tensor.dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw w.corrupt(`tensor ${tensor.name} has dim ${d}`);
  }
  if (dataLocation === 1 || externalLocation !== '') {
    tensor.external = { location: externalLocation || '(unnamed)' };
  }
  return tensor;
}

function readStringPair(w: Wire): { key: string; value: string } {
  const out = { key: '', value: '' };
  for (let t = w.tag(); t; t = w.tag()) {
    if (t.field === 1 && t.wire === WIRE_LEN) out.key = w.string();
    else if (t.field === 2 && t.wire === WIRE_LEN) out.value = w.string();
    else w.skip(t.wire);
  }
  return out;
}

/** Number of elements of a tensor of these dims (1 for a scalar). */
export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Bytes per element of the data types a weight can have. */
const WIDTH: Readonly<Record<number, number>> = {
  [OnnxDataType.FLOAT]: 4,
  [OnnxDataType.UINT8]: 1,
  [OnnxDataType.INT8]: 1,
  [OnnxDataType.UINT16]: 2,
  [OnnxDataType.INT16]: 2,
  [OnnxDataType.INT32]: 4,
  [OnnxDataType.INT64]: 8,
  [OnnxDataType.BOOL]: 1,
  [OnnxDataType.FLOAT16]: 2,
  [OnnxDataType.DOUBLE]: 8,
  [OnnxDataType.BFLOAT16]: 2,
};

/**
 * The tensor's values as little-endian bytes of its own data type: raw_data itself (a view of
 * the file) when present, otherwise decoded from float_data / int32_data / int64_data /
 * double_data (a new array). `label` names the file in error messages.
 */
export function tensorData(t: OnnxTensor, label = 'The ONNX file'): Uint8Array {
  if (t.external) {
    throw new AppError(
      'bad-model',
      `${label}: tensor "${t.name}" keeps its data in the external file "${t.external.location}", which is not available here.`,
      {
        hint: 'Use the onnxruntime-web engine (engine=ort) for this file, or an export that holds its weights in the .onnx file itself.',
      },
    );
  }
  const width = WIDTH[t.dataType];
  if (width === undefined) {
    throw new AppError(
      'bad-model',
      `${label}: tensor "${t.name}" has data type ${t.dataType}, which is not a weight type.`,
    );
  }
  const count = elementCount(t.dims);
  const { bytes, length } = t.raw
    ? { bytes: t.raw, length: t.raw.length }
    : decodeTyped(t, width, count);
  if (length !== count * width) {
    throw new AppError(
      'bad-model',
      `${label}: tensor "${t.name}" [${t.dims.join(', ')}] holds ${length} bytes of data, expected ${count * width}.`,
      { hint: 'Download the file again; if it persists, the file is not a valid ONNX export.' },
    );
  }
  return bytes;
}

/**
 * The typed-field values of `t` re-encoded as raw little-endian bytes, at most `count` of
 * them; `length` is how many bytes the fields held (to tell a short or long field).
 */
function decodeTyped(
  t: OnnxTensor,
  width: number,
  count: number,
): { bytes: Uint8Array; length: number } {
  const out = new Uint8Array(count * width);
  const view = new DataView(out.buffer);
  let offset = 0;
  const fixedField =
    t.dataType === OnnxDataType.FLOAT
      ? TENSOR_FIELD.floatData
      : t.dataType === OnnxDataType.DOUBLE
        ? TENSOR_FIELD.doubleData
        : null;
  const varintField =
    t.dataType === OnnxDataType.INT64 ? TENSOR_FIELD.int64Data : TENSOR_FIELD.int32Data;
  for (const seg of t.typed) {
    if (fixedField !== null) {
      if (seg.field !== fixedField) continue;
      out.set(seg.bytes.subarray(0, Math.max(0, out.length - offset)), offset);
      offset += seg.bytes.length;
      continue;
    }
    if (seg.field !== varintField) continue;
    const w = new Wire(seg.bytes, 0, seg.bytes.length, 'A tensor field');
    while (!w.done()) {
      const v = w.varint();
      if (offset + width <= out.length) {
        if (width === 8) {
          view.setInt32(offset, (v % 2 ** 32) | 0, true);
          view.setInt32(offset + 4, Math.floor(v / 2 ** 32), true);
        } else if (width === 4) view.setInt32(offset, v, true);
        else if (width === 2) view.setUint16(offset, v & 0xffff, true);
        else view.setUint8(offset, v & 0xff);
      }
      offset += width;
    }
  }
  return { bytes: out, length: offset };
}
