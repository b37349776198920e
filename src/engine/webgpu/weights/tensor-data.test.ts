// Views where aligned, correct copies where not, also for Node Buffers (whose slice is a view).

import { expect, test } from 'vitest';
import {
  bfloat16BytesToFloat32,
  float32View,
  toFloat32,
  transposed,
  uint16View,
} from './tensor-data.ts';

const values = Float32Array.of(1.5, -2, 3.25, 1e-30);
const bytes = new Uint8Array(values.buffer);

/** `data` placed at byte `offset` of a larger Node Buffer. */
function at(offset: number, data: Uint8Array): Buffer {
  const big = Buffer.alloc(data.length + 8);
  big.set(data, offset);
  return big.subarray(offset, offset + data.length);
}

test('aligned bytes are viewed, misaligned ones copied', () => {
  const aligned = at(4, bytes);
  expect(float32View(aligned).buffer).toBe(aligned.buffer);
  for (const offset of [1, 2, 3]) {
    const odd = at(offset, bytes);
    const got = float32View(odd);
    expect(got.buffer).not.toBe(odd.buffer);
    expect([...got]).toEqual([...values]);
  }
  const half = Uint16Array.of(0x3c00, 0xc000);
  const odd = at(1, new Uint8Array(half.buffer));
  expect([...uint16View(odd)]).toEqual([0x3c00, 0xc000]);
  expect([...toFloat32(odd, 'f16')]).toEqual([1, -2]);
});

test('bfloat16 widens exactly', () => {
  // 1.5 = 0x3fc0, -2 = 0xc000, 2^-126 = 0x0080
  const raw = new Uint8Array(Uint16Array.of(0x3fc0, 0xc000, 0x0080).buffer);
  expect([...bfloat16BytesToFloat32(raw)]).toEqual([1.5, -2, 2 ** -126]);
});

test('transposed', () => {
  const m = Float32Array.of(1, 2, 3, 4, 5, 6); // [2, 3]
  expect([...transposed(m, 2, 3, (n) => new Float32Array(n))]).toEqual([1, 4, 2, 5, 3, 6]);
});
