import { Tokenizer } from '@huggingface/tokenizers';
import { AppError } from '../shared/errors.ts';

/**
 * The model's tokenizer as the engine needs it: plain ids in, exact text out.
 * CodeGen adds no BOS token, and decoding must never "clean up" spaces: the default
 * clean-up rewrites code (`x .y`, `' s`), so it is forced off whatever the config says.
 */
export class TextTokenizer {
  private readonly tokenizer: Tokenizer;
  /** Number of ids the tokenizer can produce; the model's vocab_size may be larger. */
  readonly size: number;
  readonly eosId: number;

  constructor(tokenizerJson: unknown, tokenizerConfig: unknown, eosId: number) {
    if (typeof tokenizerJson !== 'object' || tokenizerJson === null) {
      throw new AppError('bad-model', 'tokenizer.json is not a JSON object.');
    }
    const config =
      typeof tokenizerConfig === 'object' && tokenizerConfig !== null ? tokenizerConfig : {};
    try {
      this.tokenizer = new Tokenizer(tokenizerJson, {
        ...config,
        clean_up_tokenization_spaces: false,
      });
    } catch (error) {
      throw new AppError('bad-model', `tokenizer.json could not be read: ${String(error)}`, {
        cause: error,
      });
    }
    let maxId = -1;
    for (const id of this.tokenizer.get_vocab(true).values()) maxId = Math.max(maxId, id);
    this.size = maxId + 1;
    this.eosId = eosId;
  }

  encode(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false }).ids;
  }

  decode(ids: readonly number[]): string {
    // Tokenizers.js throws on an empty list where the Rust library returns "".
    if (ids.length === 0) return '';
    return this.tokenizer.decode([...ids], {
      skip_special_tokens: false,
      clean_up_tokenization_spaces: false,
    });
  }

  /** The raw token string (byte-level symbols), for showing whitespace tokens as they are. */
  tokenString(id: number): string | undefined {
    return this.tokenizer.id_to_token(id);
  }
}
