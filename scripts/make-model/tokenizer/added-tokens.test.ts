import { describe, expect, it } from 'vitest';
import { splitOnAddedTokens, whitespaceRunTokens } from './added-tokens.ts';

describe('whitespaceRunTokens', () => {
  it('lists spaces then tabs, longest first (CodeGen id order)', () => {
    const runs = whitespaceRunTokens(31, 9);
    expect(runs).toHaveLength(38);
    expect(runs[0]).toBe(' '.repeat(31));
    expect(runs[29]).toBe('  ');
    expect(runs[30]).toBe('\t'.repeat(9));
    expect(runs[37]).toBe('\t\t');
  });
});

describe('splitOnAddedTokens', () => {
  const contents = ['<|endoftext|>', ...whitespaceRunTokens(4, 3)];
  const show = (text: string): string[] =>
    splitOnAddedTokens(text, contents).map((s) => (s.added ? `[${s.text}]` : s.text));

  it('takes the longest token at the leftmost position', () => {
    expect(show('a         b')).toEqual(['a', '[    ]', '[    ]', ' b']);
    expect(show('\t\t\t\tx')).toEqual(['[\t\t\t]', '\tx']);
    expect(show('    return x')).toEqual(['[    ]', 'return x']);
  });

  it('cuts special tokens out of running text', () => {
    expect(show('a<|endoftext|>b<|endoftext|>')).toEqual([
      'a',
      '[<|endoftext|>]',
      'b',
      '[<|endoftext|>]',
    ]);
  });

  it('leaves text without added tokens whole', () => {
    expect(show(' x = 1\n')).toEqual([' x = 1\n']);
    expect(show('')).toEqual([]);
  });
});
