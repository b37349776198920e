import { createHash } from 'node:crypto';
import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { BYTE_TO_CHAR } from './byte-level.ts';
import { readPythonCorpus } from './corpus.ts';
import { ReferenceBpe } from './reference-bpe.ts';
import { TINY_MODEL_VOCAB_SIZE, TINY_TRAINING_SLICE, buildTinyTokenizer } from './tiny.ts';
import { tokenizerVocabSize } from './tokenizer-json.ts';
import { TRICKY_PYTHON } from './tricky-inputs.ts';

const started = performance.now();
const built = buildTinyTokenizer();
const buildMs = performance.now() - started;
const { tokenizerJson, tokenizerConfig } = built;
const tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
const reference = new ReferenceBpe(tokenizerJson);

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const decode = (ids: number[]): string => (ids.length === 0 ? '' : tokenizer.decode(ids));

describe('buildTinyTokenizer', () => {
  it('has 1024 ids: 256 bytes, 752 merges, <|endoftext|>, 15 whitespace runs', () => {
    const vocab = tokenizerJson.model.vocab;
    expect(Object.keys(vocab)).toHaveLength(TINY_MODEL_VOCAB_SIZE);
    expect(TINY_MODEL_VOCAB_SIZE).toBe(1008);
    expect(tokenizerJson.added_tokens).toHaveLength(16);
    expect(Object.keys(vocab).length + tokenizerJson.added_tokens.length).toBe(1024);
    expect(tokenizerVocabSize(tokenizerJson)).toBe(1024);

    const ids = [...Object.values(vocab), ...tokenizerJson.added_tokens.map((t) => t.id)];
    expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: 1024 }, (_, k) => k));
    BYTE_TO_CHAR.forEach((char, byte) => expect(vocab[char]).toBe(byte));
    expect(tokenizerJson.model.merges).toHaveLength(752);
    for (const [left, right] of tokenizerJson.model.merges) {
      expect(Object.hasOwn(vocab, left + right)).toBe(true);
    }

    const added = tokenizerJson.added_tokens;
    expect(added[0]).toMatchObject({ id: 1008, content: '<|endoftext|>', special: true });
    expect(added.slice(1).map((t) => t.content)).toEqual([
      ...Array.from({ length: 11 }, (_, k) => ' '.repeat(12 - k)),
      ...Array.from({ length: 4 }, (_, k) => '\t'.repeat(5 - k)),
    ]);
    expect(tokenizerConfig).toMatchObject({
      clean_up_tokenization_spaces: false,
      eos_token: '<|endoftext|>',
    });
  });

  it('is fast and deterministic (pinned fingerprints)', () => {
    console.log(`buildTinyTokenizer: ${buildMs.toFixed(0)} ms`);
    expect(buildMs).toBeLessThan(10_000);
    // A change here means every generated tiny model gets a different
    // tokenizer. The corpus comes from pyodide (pinned by package-lock.json).
    const slice = readPythonCorpus(TINY_TRAINING_SLICE);
    expect(slice).toHaveLength(61);
    expect(sha256(JSON.stringify(slice)), 'training corpus changed (pyodide upgrade?)').toBe(
      'bc21f3d0333d0d3d013995f14231a62d4b32bdbfe6a94bfd5023c478891a1659',
    );
    expect(sha256(JSON.stringify(tokenizerJson)), 'tiny tokenizer changed').toBe(
      '882ed3a13128a3732c128717fe57035c977932228d7ac58c114d4ffa69da40a8',
    );
  });

  it('learned Python: common code is a few tokens', () => {
    const ids = tokenizer.encode('    def __init__(self):\n        self.name = name\n').ids;
    expect(ids[0]).toBe(1017); // four spaces
    expect(ids.length).toBeLessThan(16);
  });

  it('round-trips tricky Python and agrees with the reference BPE', () => {
    for (const text of TRICKY_PYTHON) {
      const ids = tokenizer.encode(text).ids;
      expect(ids, JSON.stringify(text)).toEqual(reference.encode(text));
      expect(decode(ids), JSON.stringify(text)).toBe(text);
    }
  });

  it('agrees with the reference BPE on 2 MB of Python it was not trained on', () => {
    const heldOut = readPythonCorpus({ skipBytes: 1_000_000, maxBytes: 2_000_000 });
    let tokens = 0;
    for (const file of heldOut) {
      const ids = tokenizer.encode(file.text).ids;
      expect(ids, file.name).toEqual(reference.encode(file.text));
      expect(decode(ids), file.name).toBe(file.text);
      tokens += ids.length;
    }
    console.log(`tiny vs reference: ${heldOut.length} files, ${tokens} tokens, 0 mismatches`);
  });
});
