// Picks one of the tokenizers built by ./tokenizer/ by name.

import { buildCodegenTokenizer, buildTinyTokenizer } from './tokenizer/index.ts';
import type { TokenizerFiles } from './tokenizer-info.ts';

export type TokenizerName = 'codegen' | 'tiny';

export function buildTokenizer(name: TokenizerName): TokenizerFiles {
  return name === 'codegen' ? buildCodegenTokenizer() : buildTinyTokenizer();
}
