import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { buildCodegenTokenizer, buildTinyTokenizer, tokenizerVocabSize } from './index.ts';

describe('tokenizer builders', () => {
  it.each([
    ['codegen', buildCodegenTokenizer, 50295],
    ['tiny', buildTinyTokenizer, 1024],
  ])('%s survives a JSON round trip into Tokenizers.js', (_name, build, size) => {
    const { tokenizerJson, tokenizerConfig } = build();
    expect(tokenizerVocabSize(tokenizerJson)).toBe(size);
    // What the generator writes to disk and the app reads back.
    const tokenizer = new Tokenizer(
      JSON.parse(JSON.stringify(tokenizerJson)) as object,
      JSON.parse(JSON.stringify(tokenizerConfig)) as object,
    );
    const text = 'def f(x):\n    return x  <|endoftext|>';
    const ids = tokenizer.encode(text).ids;
    expect(Math.max(...ids)).toBeLessThan(size);
    expect(tokenizer.decode(ids)).toBe(text);
  });
});
