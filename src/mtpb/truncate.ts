/**
 * The official MTPB truncation (mtpb_sample.py `truncate`), with Python's re.MULTILINE
 * semantics: `^` matches at the start of the string and after '\n' only (JavaScript's `m`
 * flag would also match after '\r', U+2028 and U+2029), and `^print` / `^def` are prefix
 * matches (`printed = 1` counts as a print line).
 */

const ENDOFTEXT = '<|endoftext|>';

/** Start offsets of every line-start occurrence of `word` (Python `^word` with MULTILINE). */
function lineStartMatches(text: string, word: string): number[] {
  const found: number[] = [];
  for (let at = 0; at <= text.length - word.length;) {
    if (text.startsWith(word, at)) found.push(at);
    const next = text.indexOf('\n', at);
    if (next < 0) break;
    at = next + 1;
  }
  return found;
}

function firstLineStart(text: string, word: string): number {
  return lineStartMatches(text, word)[0] ?? -1;
}

/** The earliest terminal: a line starting with `#`, `'''` or `"""`, `<|endoftext|>`, or `\n\n\n`. */
function firstTerminal(text: string): number {
  const positions = [
    firstLineStart(text, '#'),
    text.indexOf(ENDOFTEXT),
    firstLineStart(text, "'''"),
    firstLineStart(text, '"""'),
    text.indexOf('\n\n\n'),
  ].filter((p) => p >= 0);
  return positions.length === 0 ? -1 : Math.min(...positions);
}

export function truncate(completion: string): string {
  let text = completion;
  const prints = lineStartMatches(text, 'print');
  if (prints.length > 1) text = text.slice(0, prints[1]);
  const defs = lineStartMatches(text, 'def');
  if (defs.length > 1) text = text.slice(0, defs[1]);
  const end = firstTerminal(text);
  return end < 0 ? text : text.slice(0, end);
}

/**
 * While a completion streams in: is truncate()'s result already fixed, whatever follows?
 * It is once a cut point is complete in the text — a second `^print` or `^def`, or any
 * terminal — because every match before a complete one is itself complete (none of the
 * patterns can start inside another), and later text can only add matches after it.
 * Returns the length of the kept text when certain, null while more text could change it.
 */
export function certainTruncation(text: string): number | null {
  const cut =
    lineStartMatches(text, 'print').length > 1 ||
    lineStartMatches(text, 'def').length > 1 ||
    firstTerminal(text) >= 0;
  return cut ? truncate(text).length : null;
}
