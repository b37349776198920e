import type { PyValue } from './pyvalue.ts';

/**
 * The last step of the official check_equivalence, done here so the gold value never enters
 * the sandbox. The Python side has already normalized the printed value and cast it to the
 * gold's type; these functions are Python's `==`, the float tolerance and numpy's allclose.
 */

type Num = bigint | number;

function asNumber(value: PyValue): Num | null {
  if (value.t === 'bool') return value.v ? 1n : 0n;
  if (value.t === 'int') return value.v;
  if (value.t === 'float') return value.v;
  return null;
}

/** Python compares ints and floats exactly, not through a lossy conversion. */
function numbersEqual(a: Num, b: Num): boolean {
  if (typeof a === typeof b) return a === b;
  const [f, i] = (typeof a === 'number' ? [a, b] : [b, a]) as [number, bigint];
  return Number.isInteger(f) && BigInt(f) === i;
}

/** Python's `a == b` for plain data. Opaque values (arbitrary objects) equal nothing. */
export function pyEquals(a: PyValue, b: PyValue): boolean {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== null || nb !== null) return na !== null && nb !== null && numbersEqual(na, nb);
  switch (a.t) {
    case 'none':
      return b.t === 'none';
    case 'str':
      return b.t === 'str' && a.v === b.v;
    case 'list':
    case 'tuple':
      return (
        b.t === a.t &&
        a.v.length === b.v.length &&
        a.v.every((x, i) => pyEquals(x, b.v[i] as PyValue))
      );
    case 'set':
      return (
        b.t === 'set' &&
        a.v.length === b.v.length &&
        a.v.every((x) => b.v.some((y) => pyEquals(x, y)))
      );
    case 'dict':
      return (
        b.t === 'dict' &&
        a.v.length === b.v.length &&
        a.v.every(([k, v]) => b.v.some(([k2, v2]) => pyEquals(k, k2) && pyEquals(v, v2)))
      );
    default:
      return false;
  }
}

/** `abs(o1 - o2) < 1e-6`, the official float comparison. */
export function floatsClose(a: PyValue, b: PyValue): boolean {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na === null || nb === null) throw new TypeError('unsupported operand type(s) for -');
  return Math.abs(Number(na) - Number(nb)) < 1e-6;
}

interface Tensor {
  shape: number[];
  data: number[];
}

function toTensor(value: PyValue): Tensor {
  const n = asNumber(value);
  if (n !== null) return { shape: [], data: [Number(n)] };
  if (value.t !== 'list' && value.t !== 'tuple') {
    throw new TypeError(`ufunc 'isfinite' not supported for ${value.t}`);
  }
  const parts = value.v.map(toTensor);
  const inner = parts[0]?.shape ?? [];
  if (parts.some((p) => p.shape.join() !== inner.join())) {
    throw new TypeError('setting an array element with a sequence (inhomogeneous shape)');
  }
  return { shape: [parts.length, ...inner], data: parts.flatMap((p) => p.data) };
}

/** numpy.allclose(a, b) with its defaults (rtol 1e-5, atol 1e-8) and broadcasting. */
export function allClose(a: PyValue, b: PyValue): boolean {
  const x = toTensor(a);
  const y = toTensor(b);
  const rank = Math.max(x.shape.length, y.shape.length);
  const pad = (s: number[]): number[] => [...Array<number>(rank - s.length).fill(1), ...s];
  const xs = pad(x.shape);
  const ys = pad(y.shape);
  const shape = xs.map((d, i) => {
    const e = ys[i] as number;
    if (d !== e && d !== 1 && e !== 1)
      throw new RangeError('operands could not be broadcast together');
    return d === 1 ? e : d;
  });
  const total = shape.reduce((p, d) => p * d, 1);
  const index = (dims: number[], flat: number): number => {
    let offset = 0;
    let rest = flat;
    let stride = 1;
    for (let i = rank - 1; i >= 0; i--) {
      const size = shape[i] as number;
      const coordinate = rest % size;
      rest = Math.floor(rest / size);
      const d = dims[i] as number;
      offset += (d === 1 ? 0 : coordinate) * stride;
      stride *= d;
    }
    return offset;
  };
  for (let k = 0; k < total; k++) {
    const p = x.data[index(xs, k)] as number;
    const q = y.data[index(ys, k)] as number;
    const close = p === q || Math.abs(p - q) <= 1e-8 + 1e-5 * Math.abs(q);
    if (!close) return false;
  }
  return true;
}
