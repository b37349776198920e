/**
 * GPT-2 pre-tokenization written out by hand, without a regular expression.
 *
 * The Rust `tokenizers` crate (what produced CodeGen's ids) splits text with
 * Oniguruma and the pattern
 *   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 * This scanner reproduces what that pattern matches, alternative by
 * alternative, so it can serve as an independent check of whatever regex
 * engine Tokenizers.js ends up using. `\s` is spelled out below as the
 * code points Oniguruma's documentation lists for Unicode `\s` — which is not
 * JavaScript's `\s` (that one adds U+FEFF and lacks U+0085).
 */

const LETTER = 0;
const NUMBER = 1;
const OTHER = 2;
const SPACE = 3;
type CharClass = typeof LETTER | typeof NUMBER | typeof OTHER | typeof SPACE;

/** Oniguruma Unicode `\s`: U+0009..U+000D, U+0085, and categories Zs, Zl, Zp. */
const WHITE_SPACE = new Set<number>([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
  0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

const IS_LETTER = /^\p{L}$/u;
const IS_NUMBER = /^\p{N}$/u;

// Non-ASCII classes are looked up through Unicode property tests, which are
// slow enough to be worth remembering across calls.
const classCache = new Map<number, CharClass>();

function classify(char: string): CharClass {
  const cp = char.codePointAt(0) ?? 0;
  if (cp < 0x80) {
    if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return LETTER;
    if (cp >= 0x30 && cp <= 0x39) return NUMBER;
    if (cp === 0x20 || (cp >= 0x09 && cp <= 0x0d)) return SPACE;
    return OTHER;
  }
  let cls = classCache.get(cp);
  if (cls === undefined) {
    if (WHITE_SPACE.has(cp)) cls = SPACE;
    else if (IS_LETTER.test(char)) cls = LETTER;
    else if (IS_NUMBER.test(char)) cls = NUMBER;
    else cls = OTHER;
    classCache.set(cp, cls);
  }
  return cls;
}

const CONTRACTIONS = ['s', 't', 're', 've', 'm', 'll', 'd'];

/** Splits text into GPT-2 pre-tokens; joining the result gives back the input. */
export function splitGpt2(text: string): string[] {
  // Work on code points, as the Unicode-aware regex engines do.
  const chars = Array.from(text);
  const n = chars.length;
  const classes = new Uint8Array(n);
  // offsets[k] is where code point k starts in the UTF-16 string.
  const offsets = new Uint32Array(n + 1);
  for (let k = 0; k < n; k++) {
    const char = chars[k] ?? '';
    classes[k] = classify(char);
    offsets[k + 1] = (offsets[k] ?? 0) + char.length;
  }

  const runEnd = (from: number, cls: number): number => {
    let end = from;
    while (end < n && classes[end] === cls) end++;
    return end;
  };

  const pieces: string[] = [];
  const emit = (start: number, end: number): void => {
    pieces.push(text.slice(offsets[start], offsets[end]));
  };

  let i = 0;
  while (i < n) {
    const char = chars[i];
    const cls = classes[i] ?? OTHER;

    // 's|'t|'re|'ve|'m|'ll|'d come first and are case-sensitive.
    if (char === "'") {
      const suffix = CONTRACTIONS.find((s) => text.startsWith(s, (offsets[i] ?? 0) + 1));
      if (suffix !== undefined) {
        emit(i, i + 1 + suffix.length);
        i += 1 + suffix.length;
        continue;
      }
    }

    if (cls !== SPACE) {
      // One of ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+` without the space.
      const end = runEnd(i, cls);
      emit(i, end);
      i = end;
      continue;
    }

    // A single U+0020 glues itself to the run that follows it (the ` ?` above).
    const nextCls = classes[i + 1];
    if (char === ' ' && nextCls !== undefined && nextCls !== SPACE) {
      const end = runEnd(i + 1, nextCls);
      emit(i, end);
      i = end;
      continue;
    }

    // \s+(?!\S): a whitespace run that is followed by a non-space gives up its
    // last character to it; a lone one can't, so \s+ takes it alone.
    const end = runEnd(i, SPACE);
    const stop = end < n && end - i >= 2 ? end - 1 : end;
    emit(i, stop);
    i = stop;
  }
  return pieces;
}
