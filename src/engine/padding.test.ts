import { describe, expect, it } from 'vitest';
import { buildPrefill, decodeInputs } from './padding.ts';

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
