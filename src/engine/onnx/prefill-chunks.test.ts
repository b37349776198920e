import { describe, expect, it } from 'vitest';
import { buildPrefill } from '../padding.ts';
import {
  chunkColumns,
  chunkWidths,
  DEFAULT_LOGITS_BUDGET_BYTES,
  sliceColumns,
} from './prefill-chunks.ts';

describe('prefill chunks', () => {
  it('sizes chunks from the byte budget', () => {
    // 5 rows × 51,200 float32 logits = 1,024,000 bytes per column: 12 columns in 12 MiB.
    expect(chunkColumns(DEFAULT_LOGITS_BUDGET_BYTES, 5, 51_200, 4)).toBe(12);
    expect(chunkColumns(DEFAULT_LOGITS_BUDGET_BYTES, 5, 51_200, 2)).toBe(24);
    expect(chunkColumns(DEFAULT_LOGITS_BUDGET_BYTES, 1, 51_200, 4)).toBe(61);
    // Never zero columns, however small the budget; no budget is one run.
    expect(chunkColumns(1, 5, 51_200, 4)).toBe(1);
    expect(chunkColumns(Infinity, 5, 51_200, 4)).toBe(Infinity);
  });

  it('splits a prompt into as few runs as the budget allows, of widths that differ by one at most', () => {
    const widths = chunkWidths(1500, 16);
    expect(widths).toHaveLength(94); // ceil(1500 / 16)
    expect(widths.reduce((a, b) => a + b, 0)).toBe(1500);
    expect(new Set(widths)).toEqual(new Set([16, 15]));
    expect(chunkWidths(10, 3)).toEqual([3, 3, 2, 2]);
    expect(chunkWidths(8, 8)).toEqual([8]);
    expect(chunkWidths(5, Infinity)).toEqual([5]);
    expect(chunkWidths(3, 1)).toEqual([1, 1, 1]);
  });

  it('slices a left-padded prefill into column chunks whose masks are prefixes', () => {
    const { inputs } = buildPrefill(
      [
        [11, 12, 13, 14, 15],
        [21, 22],
      ],
      0,
    );
    const a = sliceColumns(inputs, 0, 0, 2);
    const b = sliceColumns(inputs, 0, 2, 5);
    expect([a.batch, a.seq, b.seq]).toEqual([2, 2, 3]);
    expect([...a.inputIds].map(Number)).toEqual([11, 12, 0, 0]);
    expect([...b.inputIds].map(Number)).toEqual([13, 14, 15, 0, 21, 22]);
    expect([...a.positionIds].map(Number)).toEqual([0, 1, 1, 1]);
    expect([...b.positionIds].map(Number)).toEqual([2, 3, 4, 1, 0, 1]);
    // The second chunk sees all five columns: its mask is the full one.
    expect([...a.attentionMask].map(Number)).toEqual([1, 1, 0, 0]);
    expect([...b.attentionMask].map(Number)).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 1, 1]);
  });

  it('slices a step that starts after cached positions (the mask includes the past)', () => {
    // 3 cached columns, then 4 new ones: mask [batch, 7].
    const inputs = {
      batch: 1,
      seq: 4,
      inputIds: BigInt64Array.of(1n, 2n, 3n, 4n),
      attentionMask: BigInt64Array.of(0n, 1n, 1n, 1n, 1n, 1n, 1n),
      positionIds: BigInt64Array.of(2n, 3n, 4n, 5n),
    };
    const chunk = sliceColumns(inputs, 3, 1, 3);
    expect([...chunk.inputIds].map(Number)).toEqual([2, 3]);
    expect([...chunk.positionIds].map(Number)).toEqual([3, 4]);
    expect([...chunk.attentionMask].map(Number)).toEqual([0, 1, 1, 1, 1, 1]);
  });
});
