/**
 * Added tokens: literal strings that are cut out of the text before
 * pre-tokenization and BPE, and map straight to their own ids.
 */

/**
 * CodeGen's whitespace tokens, in id order: runs of `maxSpaces` down to 2
 * spaces, then `maxTabs` down to 2 tabs. This is the order Salesforce's
 * jaxformer/hf/sample.py adds them in (`reversed(range(2, n_max))`), which is
 * what fixed ids 50257.. in the released tokenizer.
 */
export function whitespaceRunTokens(maxSpaces: number, maxTabs: number): string[] {
  const runs: string[] = [];
  for (let n = maxSpaces; n >= 2; n--) runs.push(' '.repeat(n));
  for (let n = maxTabs; n >= 2; n--) runs.push('\t'.repeat(n));
  return runs;
}

export interface Segment {
  text: string;
  /** True when `text` is exactly one added token. */
  added: boolean;
}

/**
 * Cuts the added tokens out of `text`, leftmost match first and, among
 * matches starting at the same place, the longest — the rule the Rust
 * tokenizers' AddedVocabulary (Aho-Corasick, LeftmostLongest) follows. So
 * 40 spaces become 31 + 9, and the single space left before a word stays
 * with the word.
 */
export function splitOnAddedTokens(text: string, contents: readonly string[]): Segment[] {
  const byFirstChar = new Map<string, string[]>();
  for (const content of contents) {
    if (content.length === 0) continue;
    const first = content[0] ?? '';
    const list = byFirstChar.get(first) ?? [];
    list.push(content);
    byFirstChar.set(first, list);
  }
  for (const list of byFirstChar.values()) list.sort((a, b) => b.length - a.length);

  const segments: Segment[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const match = byFirstChar.get(text[i] ?? '')?.find((c) => text.startsWith(c, i));
    if (match === undefined) {
      i++;
      continue;
    }
    if (i > start) segments.push({ text: text.slice(start, i), added: false });
    segments.push({ text: match, added: true });
    i += match.length;
    start = i;
  }
  if (start < text.length) segments.push({ text: text.slice(start), added: false });
  return segments;
}
