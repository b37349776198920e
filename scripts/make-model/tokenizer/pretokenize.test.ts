import { ByteLevelPreTokenizer, SplitPreTokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { toByteLevel } from './byte-level.ts';
import { splitGpt2 } from './pretokenize.ts';
import { GPT2_SPLIT_REGEX } from './tokenizer-json.ts';

/** Characters chosen to hit every branch and every known regex-engine difference. */
const ALPHABET = [
  ..."aZsStTrevmld'1_#.()",
  'é',
  'ß',
  'λ',
  '名',
  '٣',
  '½',
  'Ⅻ',
  '\u0301',
  '😊',
  '🇫',
  ' ',
  ' ',
  ' ',
  '\t',
  '\n',
  '\r',
  '\u000b',
  '\u000c',
  '\u001c',
  '\u0085',
  '\ufeff',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\u3000',
  '\u200b',
  '\u180e',
];

/** Deterministic pseudo-random strings (LCG), so failures are reproducible. */
function fuzzStrings(count: number, seed: number): string[] {
  let state = seed;
  const next = (bound: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor((state / 2147483648) * bound);
  };
  return Array.from({ length: count }, () => {
    let s = '';
    for (let k = 1 + next(12); k > 0; k--) s += ALPHABET[next(ALPHABET.length)];
    return s;
  });
}

const split = new SplitPreTokenizer({
  type: 'Split',
  pattern: { Regex: GPT2_SPLIT_REGEX },
  behavior: 'Isolated',
  invert: false,
});
const byteLevelWithRegex = new ByteLevelPreTokenizer({
  type: 'ByteLevel',
  add_prefix_space: false,
  use_regex: true,
});

describe('splitGpt2', () => {
  it('follows the GPT-2 pattern on the classic cases', () => {
    expect(splitGpt2("I'm don't they'LL")).toEqual(['I', "'m", ' don', "'t", ' they', "'", 'LL']);
    expect(splitGpt2('  x')).toEqual([' ', ' x']);
    expect(splitGpt2('a\n\n  b  ')).toEqual(['a', '\n\n ', ' b', '  ']);
    expect(splitGpt2('\t x')).toEqual(['\t', ' x']);
    expect(splitGpt2("x='s'")).toEqual(['x', "='", 's', "'"]);
    expect(splitGpt2('v2 3.14 😊!')).toEqual(['v', '2', ' 3', '.', '14', ' 😊!']);
    expect(splitGpt2('')).toEqual([]);
  });

  it("uses Oniguruma's \\s: U+0085 is whitespace, U+FEFF is not", () => {
    expect(splitGpt2('a \u0085b')).toEqual(['a', ' ', '\u0085', 'b']);
    expect(splitGpt2('a \ufeffb')).toEqual(['a', ' \ufeff', 'b']);
  });

  it("agrees with Tokenizers.js' Split on the Oniguruma pattern (lookahead, \\p{L}, \\p{N})", () => {
    for (const text of fuzzStrings(20_000, 7)) {
      const pieces = splitGpt2(text);
      expect(pieces.join('')).toBe(text);
      expect(pieces, JSON.stringify(text)).toEqual(split.pre_tokenize_text(text));
    }
  });

  // Documents the Tokenizers.js quirk the Split pre-tokenizer works around. If
  // this starts failing, ByteLevel's built-in regex has been fixed upstream.
  it("differs from ByteLevel's built-in JavaScript regex on U+0085 and U+FEFF", () => {
    expect(byteLevelWithRegex.pre_tokenize_text('a \u0085b')).toEqual(['a', 'ĠÂħ', 'b']);
    expect(byteLevelWithRegex.pre_tokenize_text('a \ufeffb')).toEqual(['a', 'Ġ', 'ï»¿', 'b']);
    let disagreements = 0;
    for (const text of fuzzStrings(2_000, 11)) {
      const viaByteLevel = byteLevelWithRegex.pre_tokenize_text(text);
      if (JSON.stringify(viaByteLevel) !== JSON.stringify(splitGpt2(text).map(toByteLevel))) {
        disagreements++;
        expect(/[\u0085\ufeff]/u.test(text), JSON.stringify(text)).toBe(true);
      }
    }
    expect(disagreements).toBeGreaterThan(0);
  });
});
