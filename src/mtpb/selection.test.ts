import { describe, expect, it } from 'vitest';
import { parseProblemSelection } from './selection.ts';

const known = Array.from({ length: 30 }, (_, i) => String(i + 1));

describe('parseProblemSelection', () => {
  it('reads ids and ranges in dataset order', () => {
    expect(parseProblemSelection('23, 1-3', known)).toEqual(['1', '2', '3', '23']);
    expect(parseProblemSelection('', known)).toHaveLength(30);
    expect(parseProblemSelection('all', known)).toHaveLength(30);
  });
  it('explains what is wrong', () => {
    expect(() => parseProblemSelection('1-x', known)).toThrow(/not a problem id/);
    expect(() => parseProblemSelection('5-2', known)).toThrow(/backwards/);
    expect(() => parseProblemSelection('31', known)).toThrow(/No problem 31/);
  });
});
