/**
 * Tokenizers for the generated test models. Each builder returns the two
 * documents to write next to a model: tokenizer.json and tokenizer_config.json.
 */
export { buildCodegenTokenizer } from './codegen.ts';
export { buildTinyTokenizer } from './tiny.ts';
export { tokenizerVocabSize } from './tokenizer-json.ts';
export type { TokenizerJson } from './tokenizer-json.ts';
