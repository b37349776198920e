import { describe, expect, it } from 'vitest';
import { matmulReference, maxAbsDifference, seededMatrix } from './matmul.ts';

describe('matmulReference', () => {
  it('multiplies a 2x3 by a 3x2 matrix', () => {
    const a = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const b = Float32Array.from([7, 8, 9, 10, 11, 12]);
    expect(Array.from(matmulReference(a, b, 2, 3, 2))).toEqual([58, 64, 139, 154]);
  });
});

describe('maxAbsDifference', () => {
  it('reports the largest gap and treats NaN as an infinite error', () => {
    expect(maxAbsDifference(Float32Array.from([1, 2]), Float32Array.from([1.5, 2]))).toBe(0.5);
    expect(maxAbsDifference(Float32Array.from([NaN]), Float32Array.from([0]))).toBe(Infinity);
    expect(() => maxAbsDifference(new Float32Array(1), new Float32Array(2))).toThrow(RangeError);
  });
});

describe('seededMatrix', () => {
  it('is deterministic and bounded', () => {
    const x = seededMatrix(1000, 7);
    expect(Array.from(x)).toEqual(Array.from(seededMatrix(1000, 7)));
    expect(Math.max(...x)).toBeLessThan(1);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(-1);
    expect(Array.from(seededMatrix(4, 8))).not.toEqual(Array.from(seededMatrix(4, 7)));
  });
});
