import { BYTE_TO_CHAR, CHAR_TO_BYTE } from './byte-level.ts';

/**
 * Byte-level BPE training: start from the 256 byte tokens and keep merging
 * the most frequent adjacent pair until the vocabulary reaches its target
 * size.
 *
 * Deterministic by construction: pair counts are exact integers, and a tie in
 * count goes to the pair with the smaller (left id, right id), ids being
 * assigned in merge order. Nothing depends on Map iteration order, hashing or
 * the platform.
 */

export interface BpeTrainingResult {
  /** Byte-level token string -> id; the 256 bytes first (id = byte value). */
  vocab: Map<string, number>;
  /** Merge rules in the order they were learned (= priority). */
  merges: Array<[string, string]>;
}

/** Pair keys pack two ids; ids stay far below 2^16 for our sizes. */
const ID_LIMIT = 1 << 16;

/**
 * @param wordCounts byte-level pre-token (see toByteLevel) -> occurrences
 * @param vocabSize target vocabulary size, 256 byte tokens included
 */
export function trainByteLevelBpe(
  wordCounts: ReadonlyMap<string, number>,
  vocabSize: number,
): BpeTrainingResult {
  if (vocabSize > ID_LIMIT) throw new RangeError(`vocabSize ${vocabSize} too large`);
  const tokens: string[] = [...BYTE_TO_CHAR];
  const idOf = new Map<string, number>(tokens.map((t, id) => [t, id]));
  const merges: Array<[string, string]> = [];

  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [word, count] of wordCounts) {
    const ids = word.split('').map((char) => {
      const byte = CHAR_TO_BYTE.get(char);
      if (byte === undefined) throw new Error(`not a byte-level word: ${JSON.stringify(word)}`);
      return byte;
    });
    if (ids.length >= 2) {
      words.push(ids);
      freqs.push(count);
    }
  }

  const pairCounts = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const addPairs = (w: number, sign: 1 | -1): void => {
    const ids = words[w] ?? [];
    const freq = (freqs[w] ?? 0) * sign;
    for (let k = 0; k + 1 < ids.length; k++) {
      const key = (ids[k] ?? 0) * ID_LIMIT + (ids[k + 1] ?? 0);
      const count = (pairCounts.get(key) ?? 0) + freq;
      if (count === 0) pairCounts.delete(key);
      else pairCounts.set(key, count);
      if (sign === 1) {
        let where = pairWords.get(key);
        if (where === undefined) pairWords.set(key, (where = new Set()));
        where.add(w);
      }
    }
  };
  for (let w = 0; w < words.length; w++) addPairs(w, 1);

  while (idOf.size < vocabSize) {
    let bestKey = -1;
    let bestCount = 0;
    for (const [key, count] of pairCounts) {
      if (count > bestCount || (count === bestCount && key < bestKey)) {
        bestKey = key;
        bestCount = count;
      }
    }
    if (bestKey < 0) throw new Error(`corpus too small: only ${idOf.size} tokens reachable`);

    const left = Math.floor(bestKey / ID_LIMIT);
    const right = bestKey % ID_LIMIT;
    const leftToken = tokens[left] ?? '';
    const rightToken = tokens[right] ?? '';
    const mergedToken = leftToken + rightToken;
    // Should two merge paths ever spell the same string ("a"+"bc" and
    // "ab"+"c"), it stays one token, as in the Rust trainer; the loop then
    // runs until the vocabulary, not the merge list, has the target size.
    let merged = idOf.get(mergedToken);
    if (merged === undefined) {
      merged = tokens.length;
      tokens.push(mergedToken);
      idOf.set(mergedToken, merged);
    }
    merges.push([leftToken, rightToken]);

    // Visit affected words in index order; the set may hold words that lost
    // the pair since, for which the rewrite below is a no-op.
    const affected = [...(pairWords.get(bestKey) ?? [])].sort((a, b) => a - b);
    pairWords.delete(bestKey);
    for (const w of affected) {
      const ids = words[w] ?? [];
      addPairs(w, -1);
      const next: number[] = [];
      for (let k = 0; k < ids.length; k++) {
        if (ids[k] === left && ids[k + 1] === right) {
          next.push(merged);
          k++;
        } else {
          next.push(ids[k] ?? 0);
        }
      }
      words[w] = next;
      addPairs(w, 1);
    }
  }
  return { vocab: idOf, merges };
}
