/**
 * The tokenizer.json document (Hugging Face `tokenizers` serialization
 * format) for a GPT-2 style byte-level BPE with added tokens.
 */

export interface AddedTokenJson {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

export interface SplitPreTokenizerJson {
  type: 'Split';
  pattern: { Regex: string };
  behavior: 'Isolated';
  invert: boolean;
}

export interface ByteLevelJson {
  type: 'ByteLevel';
  add_prefix_space: boolean;
  trim_offsets: boolean;
  use_regex: boolean;
}

export interface BpeModelJson {
  type: 'BPE';
  dropout: null;
  unk_token: null;
  continuing_subword_prefix: null;
  end_of_word_suffix: null;
  fuse_unk: boolean;
  byte_fallback: boolean;
  ignore_merges: boolean;
  vocab: Record<string, number>;
  merges: Array<[string, string]>;
}

export interface TokenizerJson {
  version: '1.0';
  truncation: null;
  padding: null;
  added_tokens: AddedTokenJson[];
  normalizer: null;
  pre_tokenizer: { type: 'Sequence'; pretokenizers: [SplitPreTokenizerJson, ByteLevelJson] };
  post_processor: ByteLevelJson;
  decoder: ByteLevelJson;
  model: BpeModelJson;
}

/**
 * GPT-2's pre-tokenization pattern in the Oniguruma syntax the Rust crate
 * compiles (and Tokenizers.js translates).
 */
export const GPT2_SPLIT_REGEX =
  "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

export const END_OF_TEXT = '<|endoftext|>';

export interface TokenizerJsonParts {
  /** Model vocabulary: byte-level token string -> id. */
  vocab: ReadonlyMap<string, number>;
  /** Merge rules, highest priority first. */
  merges: ReadonlyArray<readonly [string, string]>;
  addedTokens: readonly AddedTokenJson[];
}

/**
 * The regex split is its own pre-tokenizer, with ByteLevel only mapping bytes
 * (`use_regex: false`): ByteLevel's built-in split in Tokenizers.js is a
 * JavaScript regex whose `\s` disagrees with Rust's on U+0085 and U+FEFF,
 * while a `Split` pattern goes through the library's Oniguruma translation.
 * Rust runs both layouts identically, so the file stays valid there.
 */
export function assembleTokenizerJson(parts: TokenizerJsonParts): TokenizerJson {
  // Object.fromEntries makes own properties even for a token like "__proto__".
  const vocab: Record<string, number> = Object.fromEntries(parts.vocab);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: parts.addedTokens.map((token) => ({ ...token })),
    normalizer: null,
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        {
          type: 'Split',
          pattern: { Regex: GPT2_SPLIT_REGEX },
          behavior: 'Isolated',
          invert: false,
        },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'ByteLevel',
      add_prefix_space: false,
      trim_offsets: false,
      use_regex: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: parts.merges.map(([left, right]) => [left, right]),
    },
  };
}

/**
 * `<|endoftext|>` is special (skipped by `skip_special_tokens`) and matched on
 * the raw text; the whitespace runs are ordinary added tokens — CodeGen added
 * them with `add_tokens(..., special_tokens=False)`, whose defaults are
 * normalized, no lstrip/rstrip, not single_word — so decoding with
 * `skip_special_tokens` keeps the indentation.
 */
export function addedTokensFor(
  endOfText: { content: string; id: number },
  whitespaceRuns: readonly string[],
  firstWhitespaceId: number,
): AddedTokenJson[] {
  const plain = { single_word: false, lstrip: false, rstrip: false };
  return [
    { id: endOfText.id, content: endOfText.content, ...plain, normalized: false, special: true },
    ...whitespaceRuns.map((content, k) => ({
      id: firstWhitespaceId + k,
      content,
      ...plain,
      normalized: true,
      special: false,
    })),
  ];
}

/** Number of ids the tokenizer can produce: highest id + 1. */
export function tokenizerVocabSize(json: TokenizerJson): number {
  let max = -1;
  for (const id of Object.values(json.model.vocab)) max = Math.max(max, id);
  for (const token of json.added_tokens) max = Math.max(max, token.id);
  return max + 1;
}
