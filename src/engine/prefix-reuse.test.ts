import { describe, expect, it } from 'vitest';
import { commonPrefix, planReuse } from './prefix-reuse.ts';

describe('commonPrefix', () => {
  it('counts equal leading ids', () => {
    expect(commonPrefix([1, 2, 3], [1, 2, 4, 5])).toBe(2);
    expect(commonPrefix([1, 2], [1, 2, 3])).toBe(2);
    expect(commonPrefix([], [1])).toBe(0);
    expect(commonPrefix([7], [1])).toBe(0);
  });
});

describe('planReuse', () => {
  it('prefills nothing from a cache it does not have', () => {
    expect(planReuse(null, [[1, 2]], true)).toBeNull();
    expect(planReuse({ width: 0, rows: [] }, [[1, 2]], true)).toBeNull();
  });

  it('keeps what the next turn repeats and prefills the rest', () => {
    // The cache holds prompt [1, 2, 3] and the generated [4, 5]; the next prompt kept 4 only.
    const plan = planReuse({ width: 5, rows: [[1, 2, 3, 4, 5]] }, [[1, 2, 3, 4, 9, 9]], true);
    expect(plan).toEqual({ width: 4, rows: [{ from: 0, keep: 4 }], block: 2, reused: 4 });
  });

  it('rolls back one token when the whole prompt is cached: its logits are needed', () => {
    const plan = planReuse({ width: 3, rows: [[1, 2, 3]] }, [[1, 2, 3]], true);
    expect(plan).toEqual({ width: 2, rows: [{ from: 0, keep: 2 }], block: 1, reused: 2 });
  });

  it('gives every row the widest suffix: a row with less to add re-prefills more', () => {
    const cached = {
      width: 6,
      rows: [
        [1, 2, 3, 4, 5, 6],
        [7, 8, 9, 6],
      ],
    };
    // Row 0 shares 5 and adds 1; row 1 shares 3 and adds 3: both prefill 3 columns.
    const plan = planReuse(
      cached,
      [
        [1, 2, 3, 4, 5, 0],
        [7, 8, 9, 1, 1, 1],
      ],
      true,
    );
    expect(plan).toEqual({
      width: 3,
      rows: [
        { from: 0, keep: 3 },
        { from: 1, keep: 3 },
      ],
      block: 3,
      reused: 6,
    });
  });

  it('matches each prompt with the cached row that shares most, whatever its index', () => {
    const cached = { width: 3, rows: [[1, 2, 3], [4, 5, 6], null] };
    const plan = planReuse(
      cached,
      [
        [4, 5, 6, 7],
        [4, 5, 0],
        [1, 2, 3, 8],
      ],
      true,
    );
    expect(plan?.rows.map((row) => row.from)).toEqual([1, 1, 0]);
  });

  it('starts a row with no shared prefix from scratch, left-padded in the block', () => {
    const plan = planReuse(
      { width: 4, rows: [[1, 2, 3, 4], [5]] },
      [
        [1, 2, 3, 4, 5],
        [9, 9],
      ],
      true,
    );
    // Row 1 shares nothing; its 2 tokens fit the block of 2 that row 0 needs.
    expect(plan).toEqual({
      width: 3,
      rows: [
        { from: 0, keep: 3 },
        { from: 0, keep: 0 },
      ],
      block: 2,
      reused: 3,
    });
  });

  it('without position_ids, keeps rows only where they stay in their columns', () => {
    // Row 0 was padded by 2 columns; row 1 by 0.
    const cached = {
      width: 4,
      rows: [
        [1, 2],
        [3, 4, 5, 6],
      ],
    };
    const sameColumns = [
      [1, 2, 7],
      [3, 4, 5, 6, 7],
    ];
    expect(planReuse(cached, sameColumns, false)).toEqual({
      width: 4,
      rows: [
        { from: 0, keep: 2 },
        { from: 1, keep: 4 },
      ],
      block: 1,
      reused: 6,
    });
    // Row 1 rolls back to 2 tokens: row 0 would have to move, so prefill from scratch.
    const moved = [
      [1, 2, 7],
      [3, 4, 9],
    ];
    expect(planReuse(cached, moved, false)).toBeNull();
    expect(planReuse(cached, moved, true)).not.toBeNull();
  });
});
