import { splitOnAddedTokens, whitespaceRunTokens } from './added-tokens.ts';
import { toByteLevel } from './byte-level.ts';
import { readPythonCorpus } from './corpus.ts';
import { splitGpt2 } from './pretokenize.ts';
import { codegenStyleTokenizerConfig } from './tokenizer-config.ts';
import {
  END_OF_TEXT,
  addedTokensFor,
  assembleTokenizerJson,
  type TokenizerJson,
} from './tokenizer-json.ts';
import { trainByteLevelBpe } from './train-bpe.ts';

/**
 * A 1024-id CodeGen look-alike for tiny test models: same pre-tokenization,
 * same kind of added tokens, but a BPE trained here, in well under a second,
 * on the first megabyte of pyodide's Python standard library.
 *
 * Layout: ids 0..255 are the bytes, 256..1007 learned merges (model.vocab,
 * 1008 entries), 1008 `<|endoftext|>`, 1009..1019 runs of 12..2 spaces,
 * 1020..1023 runs of 5..2 tabs (added_tokens, 16 entries).
 */

export const TINY_MODEL_VOCAB_SIZE = 1008;
const TINY_MAX_SPACES = 12;
const TINY_MAX_TABS = 5;
const TINY_CORPUS_BYTES = 1_000_000;
const MODEL_MAX_LENGTH = 2048;

/** Bytes of the corpus (from its start, in file-name order) the BPE learns from. */
export const TINY_TRAINING_SLICE = { maxBytes: TINY_CORPUS_BYTES } as const;

export function buildTinyTokenizer(): {
  tokenizerJson: TokenizerJson;
  tokenizerConfig: Record<string, unknown>;
} {
  const whitespaceRuns = whitespaceRunTokens(TINY_MAX_SPACES, TINY_MAX_TABS);
  const addedContents = [END_OF_TEXT, ...whitespaceRuns];

  // Count pre-tokens exactly as encoding will see them: added tokens are cut
  // out first, so indentation never reaches the BPE and wastes no merges.
  const wordCounts = new Map<string, number>();
  for (const file of readPythonCorpus(TINY_TRAINING_SLICE)) {
    for (const segment of splitOnAddedTokens(file.text, addedContents)) {
      if (segment.added) continue;
      for (const piece of splitGpt2(segment.text)) {
        const word = toByteLevel(piece);
        wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
      }
    }
  }

  const { vocab, merges } = trainByteLevelBpe(wordCounts, TINY_MODEL_VOCAB_SIZE);
  const addedTokens = addedTokensFor(
    { content: END_OF_TEXT, id: TINY_MODEL_VOCAB_SIZE },
    whitespaceRuns,
    TINY_MODEL_VOCAB_SIZE + 1,
  );
  return {
    tokenizerJson: assembleTokenizerJson({ vocab, merges, addedTokens }),
    tokenizerConfig: codegenStyleTokenizerConfig(MODEL_MAX_LENGTH),
  };
}
