import { END_OF_TEXT } from './tokenizer-json.ts';

/**
 * tokenizer_config.json for a CodeGen-style tokenizer.
 *
 * `clean_up_tokenization_spaces` must be false: the default cleanup (on in
 * Tokenizers.js and transformers when the key is missing) deletes the space
 * in front of `.`, `,`, `!`, `?`, `'s`, `n't`, ... — harmless for prose,
 * wrong for code such as `x = a .real` or `print('it 's')`.
 */
export function codegenStyleTokenizerConfig(modelMaxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: 'CodeGenTokenizer',
    model_max_length: modelMaxLength,
    add_prefix_space: false,
    add_bos_token: false,
    bos_token: END_OF_TEXT,
    eos_token: END_OF_TEXT,
    unk_token: END_OF_TEXT,
    pad_token: END_OF_TEXT,
    clean_up_tokenization_spaces: false,
  };
}
