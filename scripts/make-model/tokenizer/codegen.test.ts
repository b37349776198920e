import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { buildCodegenTokenizer } from './codegen.ts';
import { ReferenceBpe } from './reference-bpe.ts';
import { tokenizerVocabSize } from './tokenizer-json.ts';
import { TRICKY_PYTHON } from './tricky-inputs.ts';

const { tokenizerJson, tokenizerConfig } = buildCodegenTokenizer();
const tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
const reference = new ReferenceBpe(tokenizerJson);

const idOf = (token: string): number => {
  const id = tokenizerJson.model.vocab[token];
  if (id === undefined) throw new Error(`no token ${token}`);
  return id;
};
const SPACES = (n: number): number => 50257 + (31 - n);
const TABS = (n: number): number => 50287 + (9 - n);
const encode = (text: string): number[] => tokenizer.encode(text).ids;

describe('buildCodegenTokenizer', () => {
  it("has GPT-2's vocabulary and merges plus CodeGen's 38 whitespace tokens", () => {
    expect(Object.keys(tokenizerJson.model.vocab)).toHaveLength(50257);
    expect(tokenizerJson.model.merges).toHaveLength(50000);
    expect(tokenizerJson.model.merges[0]).toEqual(['Ġ', 't']);
    expect(tokenizerVocabSize(tokenizerJson)).toBe(50295);

    const added = tokenizerJson.added_tokens;
    expect(added.map((t) => t.id)).toEqual(Array.from({ length: 39 }, (_, k) => 50256 + k));
    expect(added[0]).toMatchObject({ content: '<|endoftext|>', special: true, normalized: false });
    expect(added.find((t) => t.id === SPACES(31))?.content).toBe(' '.repeat(31));
    expect(added.find((t) => t.id === SPACES(2))?.content).toBe('  ');
    expect(added.find((t) => t.id === TABS(9))?.content).toBe('\t'.repeat(9));
    expect(added.find((t) => t.id === TABS(2))?.content).toBe('\t\t');
    for (const token of added.slice(1)) {
      expect(token).toMatchObject({
        special: false,
        normalized: true,
        lstrip: false,
        rstrip: false,
      });
    }
  });

  it('writes a CodeGen tokenizer_config.json that keeps decoded code intact', () => {
    expect(tokenizerConfig).toMatchObject({
      tokenizer_class: 'CodeGenTokenizer',
      model_max_length: 2048,
      clean_up_tokenization_spaces: false,
      bos_token: '<|endoftext|>',
      eos_token: '<|endoftext|>',
      unk_token: '<|endoftext|>',
      pad_token: '<|endoftext|>',
    });
  });

  it('reproduces the ids transformers expects from Salesforce/codegen-350M-mono', () => {
    // Input and ids from transformers' tests/models/codegen/test_tokenization_codegen.py.
    const text =
      'This is a test 😊\nI was born in 92000, and this is falsé.\n生活的真谛是\nHi  Hello\n' +
      'Hi   Hello\n\n \n  \n Hello\n<s>\nhi<s>there\nThe following string should be properly ' +
      'encoded: Hello.\nBut ird and ปี   ird   ด\nHey how are you doing';
    const expected = [
      1212, 318, 257, 1332, 30325, 232, 198, 40, 373, 4642, 287, 10190, 830, 11, 290, 428, 318,
      27807, 2634, 13, 198, 37955, 162, 112, 119, 21410, 40367, 253, 164, 108, 249, 42468, 198,
      17250, 50286, 15496, 198, 17250, 50285, 15496, 628, 220, 198, 50286, 198, 18435, 198, 27, 82,
      29, 198, 5303, 27, 82, 29, 8117, 198, 464, 1708, 4731, 815, 307, 6105, 30240, 25, 18435, 13,
      198, 1537, 220, 1447, 290, 220, 19567, 249, 19567, 113, 50285, 1447, 50285, 19567, 242, 198,
      10814, 703, 389, 345, 1804,
    ];
    expect(encode(text)).toEqual(expected);
    expect(reference.encode(text)).toEqual(expected);
    expect(tokenizer.decode(expected)).toBe(text);
  });

  it('cuts indentation out as whitespace tokens before BPE sees it', () => {
    expect(encode('    return x')).toEqual([SPACES(4), idOf('return'), idOf('Ġx')]);
    expect(encode('def f(x):\n    return x')).toEqual([
      idOf('def'),
      idOf('Ġf'),
      idOf('('),
      idOf('x'),
      idOf('):'),
      idOf('Ċ'),
      SPACES(4),
      idOf('return'),
      idOf('Ġx'),
    ]);
    expect(encode('        pass')).toEqual([SPACES(8), idOf('pass')]);
    // 40 = 31 + 9: longest match first, then the rest.
    expect(encode(' '.repeat(40) + 'x')).toEqual([SPACES(31), SPACES(9), idOf('x')]);
    expect(encode('\t\tpass')).toEqual([TABS(2), idOf('pass')]);
    expect(encode('\tpass')).toEqual([idOf('ĉ'), idOf('pass')]);
    expect(encode('\t    x')).toEqual([idOf('ĉ'), SPACES(4), idOf('x')]);
    expect(encode(' x')).toEqual([idOf('Ġx')]);
  });

  it('round-trips tricky Python and agrees with the reference BPE', () => {
    for (const text of TRICKY_PYTHON) {
      const ids = encode(text);
      expect(ids, JSON.stringify(text)).toEqual(reference.encode(text));
      expect(ids.length === 0 ? '' : tokenizer.decode(ids), JSON.stringify(text)).toBe(text);
    }
  });

  it('treats <|endoftext|> in text as the special token, and only it is skippable', () => {
    expect(encode('a<|endoftext|>b')).toEqual([idOf('a'), 50256, idOf('b')]);
    const ids = encode('    x<|endoftext|>');
    expect(tokenizer.decode(ids)).toBe('    x<|endoftext|>');
    expect(tokenizer.decode(ids, { skip_special_tokens: true })).toBe('    x');
  });

  it('keeps " ." and " \'s" in decoded code (cleanup off)', () => {
    const text = "z = a .real\ns = 'it 's'\nn = x , y";
    const ids = encode(text);
    expect(tokenizer.decode(ids)).toBe(text);
    // What the library would do with the default config: rewrite the code.
    expect(tokenizer.decode(ids, { clean_up_tokenization_spaces: true })).toBe(
      "z = a.real\ns = 'it's'\nn = x, y",
    );
  });
});

describe('Tokenizers.js quirks (pinned so an upgrade that changes them is noticed)', () => {
  it('decode([]) throws instead of returning ""', () => {
    expect(() => tokenizer.decode([])).toThrow(/non-empty array/);
    expect(reference.decode([])).toBe('');
  });

  it('its ByteLevel regex would tokenize U+0085/U+FEFF unlike the Rust tokenizer', () => {
    // The same tokenizer.json with ByteLevel doing the split itself, as GPT-2's does.
    const naive = new Tokenizer(
      {
        ...tokenizerJson,
        pre_tokenizer: {
          type: 'ByteLevel',
          add_prefix_space: false,
          trim_offsets: true,
          use_regex: true,
        },
      },
      tokenizerConfig,
    );
    // Rust/Oniguruma: U+0085 is whitespace, so " " and "\u0085" are separate pre-tokens...
    expect(encode('a \u0085b')).toEqual([idOf('a'), idOf('Ġ'), idOf('Â'), idOf('ħ'), idOf('b')]);
    expect(naive.encode('a \u0085b').ids).toEqual([idOf('a'), idOf('ĠÂ'), idOf('ħ'), idOf('b')]);
    // ...and U+FEFF is not, so " \ufeff" is one.
    expect(encode('a \ufeffb')).toEqual([idOf('a'), idOf('Ġï'), idOf('»'), idOf('¿'), idOf('b')]);
    expect(naive.encode('a \ufeffb').ids).toEqual([
      idOf('a'),
      idOf('Ġ'),
      idOf('ï'),
      idOf('»'),
      idOf('¿'),
      idOf('b'),
    ]);
    for (const text of ['a \u0085b', 'a \ufeffb'])
      expect(encode(text)).toEqual(reference.encode(text));
  });
});
