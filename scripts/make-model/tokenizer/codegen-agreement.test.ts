import { Tokenizer } from '@huggingface/tokenizers';
import { encode as gpt3Encode } from 'gpt-3-encoder';
import { describe, expect, it } from 'vitest';
import { buildCodegenTokenizer } from './codegen.ts';
import { readPythonCorpus, type SourceFile } from './corpus.ts';
import { ReferenceBpe } from './reference-bpe.ts';

/**
 * Tokenizers.js running our tokenizer.json against two independent encoders
 * on megabytes of real Python: the reference BPE in this folder, and (on text
 * where CodeGen's added tokens cannot apply) the gpt-3-encoder package.
 */

const { tokenizerJson, tokenizerConfig } = buildCodegenTokenizer();
const tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
const reference = new ReferenceBpe(tokenizerJson);
const corpus = readPythonCorpus({ maxBytes: 3_000_000 });

const decode = (ids: number[]): string => (ids.length === 0 ? '' : tokenizer.decode(ids));

/** Compares per file, failing on the first mismatch; returns Tokenizers.js' ids. */
function expectSameIds(files: readonly SourceFile[], other: (text: string) => number[]): number[] {
  const all: number[] = [];
  for (const file of files) {
    const ids = tokenizer.encode(file.text).ids;
    const otherIds = other(file.text);
    if (JSON.stringify(ids) !== JSON.stringify(otherIds)) {
      const at = ids.findIndex((id, k) => id !== otherIds[k]);
      expect.fail(`${file.name}: first difference at token ${at}: ${ids[at]} vs ${otherIds[at]}`);
    }
    expect(decode(ids), file.name).toBe(file.text);
    for (const id of ids) all.push(id);
  }
  return all;
}

const FIRST_SPACE_RUN = 50257;
const FIRST_TAB_RUN = 50287;

/** Re-indents with tabs and switches to CRLF, so tab tokens and \r get exercised. */
function tabsAndCrlf(text: string): string {
  return text
    .replace(/^(?: {4})+/gm, (indent) => '\t'.repeat(indent.length / 4))
    .replace(/\n/g, '\r\n');
}

/**
 * gpt-3-encoder builds its result with repeated Array.concat, quadratic in
 * file length; feeding it line by line keeps it fast. Cutting after a lone
 * "\n" between two non-space characters cannot move a pre-token boundary
 * (after a longer whitespace run it would: "\n\n" + "x" splits differently
 * from "\n\n" at the end of a string).
 */
function gpt3EncodeByLines(text: string): number[] {
  return text.split(/(?<=[^\s\u0085]\n)(?=[^\s\u0085])/u).flatMap((line) => gpt3Encode(line));
}

describe('CodeGen tokenizer agreement on python_stdlib.zip', () => {
  it('matches the reference BPE id for id on ~3 MB of Python', () => {
    const bytes = corpus.reduce((sum, f) => sum + f.text.length, 0);
    expect(bytes).toBeGreaterThan(2_900_000);
    const ids = expectSameIds(corpus, (text) => reference.encode(text));
    const spaceRuns = ids.filter((id) => id >= FIRST_SPACE_RUN).length;
    console.log(
      `codegen vs reference: ${corpus.length} files, ${ids.length} tokens, 0 mismatches ` +
        `(${spaceRuns} of them space-run tokens)`,
    );
    expect(spaceRuns).toBeGreaterThan(10_000);
  });

  it('matches the reference BPE on the same code indented with tabs and CRLF', () => {
    const variant = corpus.slice(0, 60).map((f) => ({ name: f.name, text: tabsAndCrlf(f.text) }));
    const ids = expectSameIds(variant, (text) => reference.encode(text));
    const tabRuns = ids.filter((id) => id >= FIRST_TAB_RUN).length;
    console.log(
      `codegen vs reference, tabs+CRLF: ${variant.length} files, ${ids.length} tokens, ` +
        `0 mismatches (${tabRuns} of them tab-run tokens)`,
    );
    expect(tabRuns).toBeGreaterThan(1_000);
  });

  it('matches gpt-3-encoder where no added token applies (runs of 2+ spaces/tabs collapsed)', () => {
    const flattened = corpus.slice(0, 100).map((f) => ({
      name: f.name,
      text: f.text.replace(/ {2,}/g, ' ').replace(/\t{2,}/g, '\t'),
    }));
    const ids = expectSameIds(flattened, gpt3EncodeByLines);
    expect(ids.every((id) => id < FIRST_SPACE_RUN)).toBe(true);
    console.log(
      `codegen vs gpt-3-encoder: ${flattened.length} files, ${ids.length} tokens, 0 mismatches`,
    );
  });
});
