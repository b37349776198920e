import { describe, expect, it } from 'vitest';
import { createRng } from './rng.ts';
import { nucleusIds, topIndices } from './select.ts';

function bruteForce(values: Float32Array, end: number, k: number): number[] {
  const ids: number[] = [];
  for (let i = 0; i < Math.min(end, values.length); i++) {
    if ((values[i] ?? Number.NaN) > -Infinity) ids.push(i);
  }
  ids.sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0) || a - b);
  return ids.slice(0, Math.max(0, k));
}

describe('topIndices', () => {
  it('equals a full sort on random rows with ties, NaN and -Infinity', () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + (rng.nextUint32() % 300);
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const r = rng.next();
        // Coarse values make ties common.
        values[i] = r < 0.05 ? Number.NaN : r < 0.1 ? -Infinity : Math.round(rng.next() * 20) / 2;
      }
      const end = rng.next() < 0.3 ? rng.nextUint32() % (n + 1) : n;
      for (const k of [0, 1, 2, 5, 17, n, n + 3]) {
        expect(Array.from(topIndices(values, end, k))).toEqual(bruteForce(values, end, k));
      }
    }
  });

  it('keeps the lower id among equal values', () => {
    const values = Float32Array.from([1, 3, 3, 2, 3]);
    expect(Array.from(topIndices(values, 5, 2))).toEqual([1, 2]);
    expect(Array.from(topIndices(values, 5, 4))).toEqual([1, 2, 4, 3]);
  });
});

/** The definition: walk best-first (weight desc, id asc) until the sum reaches `needed`. */
function bruteNucleus(weights: Float64Array, needed: number): number[] {
  const ids = Array.from(weights.keys()).filter((i) => (weights[i] ?? 0) > 0);
  ids.sort((a, b) => (weights[b] ?? 0) - (weights[a] ?? 0) || a - b);
  const out: number[] = [];
  let sum = 0;
  for (const id of ids) {
    if (sum >= needed) break;
    out.push(id);
    sum += weights[id] ?? 0;
  }
  return out.sort((a, b) => a - b);
}

describe('nucleusIds', () => {
  it('equals the sorted-walk definition on random weights with ties and zeros', () => {
    const rng = createRng(8);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + (rng.nextUint32() % 400);
      // Small integers: exact sums, many ties, some zeros.
      const weights = Float64Array.from({ length: n }, () => rng.nextUint32() % 6);
      const total = weights.reduce((a, b) => a + b, 0);
      if (total === 0) continue;
      for (const fraction of [0.01, 0.3, 0.5, 0.95, 1]) {
        const needed = Math.max(1, Math.round(total * fraction));
        expect(Array.from(nucleusIds(weights, n, needed))).toEqual(bruteNucleus(weights, needed));
      }
    }
  });

  it('keeps the lowest ids of a tied boundary group', () => {
    const weights = Float64Array.from([2, 4, 2, 2, 2]);
    expect(Array.from(nucleusIds(weights, 5, 7))).toEqual([0, 1, 2]);
  });

  it('keeps every positive weight when rounding leaves the sum short', () => {
    const weights = Float64Array.from([0.1, 0.2, 0, 0.3]);
    expect(Array.from(nucleusIds(weights, 4, 10))).toEqual([0, 1, 3]);
  });
});
