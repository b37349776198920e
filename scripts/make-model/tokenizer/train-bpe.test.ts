import { describe, expect, it } from 'vitest';
import { toByteLevel } from './byte-level.ts';
import { trainByteLevelBpe } from './train-bpe.ts';

const counts = (entries: Array<[string, number]>): Map<string, number> =>
  new Map(entries.map(([word, n]) => [toByteLevel(word), n]));

describe('trainByteLevelBpe', () => {
  it('merges the most frequent pair first and numbers new tokens after the bytes', () => {
    const { vocab, merges } = trainByteLevelBpe(
      counts([
        ['low', 5],
        [' lower', 2],
        [' newest', 6],
        [' widest', 3],
      ]),
      259,
    );
    // "es" and "st" both occur 9 times: the tie goes to the smaller ids
    // ('e' = 101 < 's' = 115). Then "est" (9) beats "lo"/"ow" (7).
    expect(merges).toEqual([
      ['e', 's'],
      ['es', 't'],
      ['l', 'o'],
    ]);
    expect(vocab.get('es')).toBe(256);
    expect(vocab.get('est')).toBe(257);
    expect(vocab.get('lo')).toBe(258);
    expect(vocab.size).toBe(259);
    expect(vocab.get('Ġ')).toBe(32);
  });

  it('does not depend on the order the words come in', () => {
    const words: Array<[string, number]> = [
      ['def', 4],
      [' self', 9],
      ['self', 3],
      [' return', 4],
      ['_', 7],
      ['__init__', 2],
    ];
    const forward = trainByteLevelBpe(counts(words), 270);
    const backward = trainByteLevelBpe(counts([...words].reverse()), 270);
    expect(backward.merges).toEqual(forward.merges);
    expect([...backward.vocab]).toEqual([...forward.vocab]);
  });

  it('refuses a corpus that cannot reach the size', () => {
    expect(() => trainByteLevelBpe(counts([['ab', 1]]), 260)).toThrow(/corpus too small/);
  });
});
