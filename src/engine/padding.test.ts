import { describe, expect, it } from 'vitest';
import { buildContinuation, buildPrefill, decodeInputs } from './padding.ts';

describe('left padding', () => {
  it('right-aligns rows, masks pads and numbers positions from each row start', () => {
    const { inputs, lastPositions } = buildPrefill([[5, 6, 7], [9]], 0);
    expect(inputs).toMatchObject({ batch: 2, seq: 3 });
    expect(Array.from(inputs.inputIds, Number)).toEqual([5, 6, 7, 0, 0, 9]);
    expect(Array.from(inputs.attentionMask, Number)).toEqual([1, 1, 1, 0, 0, 1]);
    expect(Array.from(inputs.positionIds, Number)).toEqual([0, 1, 2, 1, 1, 0]);
    expect(lastPositions).toEqual([2, 0]);
  });

  it('grows the mask by one column per decode step', () => {
    const prefill = buildPrefill([[5, 6], [9]], 0);
    const { inputs, positions } = decodeInputs(
      [11, 12],
      prefill.inputs.attentionMask,
      prefill.lastPositions,
    );
    expect(Array.from(inputs.attentionMask, Number)).toEqual([1, 1, 1, 0, 1, 1]);
    expect(Array.from(inputs.positionIds, Number)).toEqual([2, 1]);
    expect(Array.from(inputs.inputIds, Number)).toEqual([11, 12]);
    expect(positions).toEqual([2, 1]);
  });
});

describe('continuation after a kept prefix', () => {
  it('masks the kept cache columns of each row and pads the new block on the left', () => {
    // Row 0 keeps 2 of [5, 6, 7, 8]; row 1 keeps 0 of [9, 4]; the cache is 2 columns wide.
    const { inputs, lastPositions } = buildContinuation(
      [
        [5, 6, 7, 8],
        [9, 4],
      ],
      { width: 2, rows: [{ keep: 2 }, { keep: 0 }] },
      0,
    );
    expect(inputs).toMatchObject({ batch: 2, seq: 2 });
    expect(Array.from(inputs.inputIds, Number)).toEqual([7, 8, 9, 4]);
    expect(Array.from(inputs.attentionMask, Number)).toEqual([1, 1, 1, 1, 0, 0, 1, 1]);
    expect(Array.from(inputs.positionIds, Number)).toEqual([2, 3, 0, 1]);
    expect(lastPositions).toEqual([3, 1]);
  });

  it('is the plain prefill when nothing is kept', () => {
    const prompts = [[5, 6, 7], [9]];
    expect(buildContinuation(prompts, { width: 0, rows: [{ keep: 0 }, { keep: 0 }] }, 0)).toEqual(
      buildPrefill(prompts, 0),
    );
  });
});
