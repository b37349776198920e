import { splitOnAddedTokens } from './added-tokens.ts';
import { CHAR_TO_BYTE, toByteLevel } from './byte-level.ts';
import { splitGpt2 } from './pretokenize.ts';
import type { TokenizerJson } from './tokenizer-json.ts';

/**
 * A plain GPT-2 byte-level BPE, written from the algorithm's description to
 * cross-check Tokenizers.js on our tokenizer.json files: added tokens are cut
 * out first (leftmost-longest), the rest is split by the hand-written GPT-2
 * scanner, UTF-8 encoded into byte characters, and each piece is merged by
 * repeatedly joining every occurrence of its lowest-ranked adjacent pair.
 * Slow but obvious; the cache keeps it usable on megabytes of source.
 */
export class ReferenceBpe {
  private readonly vocab: ReadonlyMap<string, number>;
  private readonly idToToken: ReadonlyMap<number, string>;
  /** "left right" -> rank; byte-level strings never contain U+0020. */
  private readonly ranks: ReadonlyMap<string, number>;
  private readonly addedIds: ReadonlyMap<string, number>;
  private readonly addedContents: readonly string[];
  private readonly cache = new Map<string, readonly number[]>();

  constructor(json: TokenizerJson) {
    this.vocab = new Map(Object.entries(json.model.vocab));
    this.ranks = new Map(
      json.model.merges.map(([left, right], rank) => [`${left} ${right}`, rank]),
    );
    this.addedIds = new Map(json.added_tokens.map((t) => [t.content, t.id]));
    this.addedContents = json.added_tokens.map((t) => t.content);
    const idToToken = new Map<number, string>();
    for (const [token, id] of this.vocab) idToToken.set(id, token);
    for (const t of json.added_tokens) idToToken.set(t.id, t.content);
    this.idToToken = idToToken;
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    for (const segment of splitOnAddedTokens(text, this.addedContents)) {
      if (segment.added) {
        ids.push(this.addedIds.get(segment.text) ?? -1);
        continue;
      }
      for (const piece of splitGpt2(segment.text))
        ids.push(...this.encodePiece(toByteLevel(piece)));
    }
    return ids;
  }

  /** Inverse of encode: added tokens verbatim, the rest from their bytes. */
  decode(ids: readonly number[]): string {
    const utf8 = new TextDecoder();
    let text = '';
    let bytes: number[] = [];
    const flush = (): void => {
      text += utf8.decode(Uint8Array.from(bytes));
      bytes = [];
    };
    for (const id of ids) {
      const token = this.idToToken.get(id);
      if (token === undefined) throw new Error(`unknown id ${id}`);
      if (this.addedIds.has(token)) {
        flush();
        text += token;
        continue;
      }
      for (const char of token) bytes.push(CHAR_TO_BYTE.get(char) ?? 0);
    }
    flush();
    return text;
  }

  private encodePiece(word: string): readonly number[] {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const ids = this.bpe(word).map((token) => {
      const id = this.vocab.get(token);
      if (id === undefined) throw new Error(`BPE produced ${token}, which has no id`);
      return id;
    });
    this.cache.set(word, ids);
    return ids;
  }

  private bpe(word: string): string[] {
    // Each character of a byte-level string is one byte, all in the BMP.
    let parts = word.split('');
    while (parts.length > 1) {
      let best: { rank: number; left: string; right: string } | undefined;
      for (let k = 0; k + 1 < parts.length; k++) {
        const left = parts[k] ?? '';
        const right = parts[k + 1] ?? '';
        const rank = this.ranks.get(`${left} ${right}`);
        if (rank !== undefined && (best === undefined || rank < best.rank))
          best = { rank, left, right };
      }
      if (best === undefined) break;
      const merged: string[] = [];
      for (let k = 0; k < parts.length; k++) {
        if (parts[k] === best.left && parts[k + 1] === best.right) {
          merged.push(best.left + best.right);
          k++;
        } else {
          merged.push(parts[k] ?? '');
        }
      }
      parts = merged;
    }
    return parts;
  }
}
