/**
 * Incremental detokenization. A byte-level BPE token can end in the middle of a UTF-8
 * character (an emoji is often 2–4 tokens); decoding such a prefix yields U+FFFD. The
 * streamer holds trailing U+FFFD back until later tokens complete the character, so every
 * delta it emits is text that will not change.
 *
 * To keep each step O(window) rather than O(everything generated), it decodes only the ids
 * since the last point where the text was complete, plus the tokens just before that point
 * as context, and diffs against the context's own decoding. The context matters for decoders
 * that treat the start of a string specially (e.g. dropping a leading space).
 */
export type Decode = (ids: readonly number[]) => string;

const REPLACEMENT = '\uFFFD';

export class TextStreamer {
  private readonly ids: number[] = [];
  /** ids[contextStart..windowStart) is context; ids[windowStart..) is not yet complete text. */
  private contextStart = 0;
  private windowStart = 0;
  private contextText = '';
  /** Characters of the window's text already emitted (a complete prefix before a held tail). */
  private windowEmitted = 0;
  private emitted = '';

  constructor(private readonly decode: Decode) {}

  /** Everything emitted so far: the concatenation of every delta. */
  get text(): string {
    return this.emitted;
  }

  /** Appends one token and returns the newly stable text (often '', never a broken char). */
  push(tokenId: number): string {
    this.ids.push(tokenId);
    const tail = this.windowText();
    const stable = stripTrailingReplacement(tail);
    const delta = stable.length > this.windowEmitted ? stable.slice(this.windowEmitted) : '';
    this.windowEmitted = Math.max(this.windowEmitted, stable.length);
    if (stable.length === tail.length) {
      // The text is complete here: the window becomes the next step's context.
      this.contextStart = this.windowStart;
      this.windowStart = this.ids.length;
      this.contextText = this.decode(this.ids.slice(this.contextStart, this.windowStart));
      this.windowEmitted = 0;
    }
    this.emitted += delta;
    return delta;
  }

  /**
   * Emits whatever is held back. Call at the end of generation: a trailing U+FFFD that is
   * still there is a genuinely invalid byte sequence, and the user should see it.
   */
  flush(): string {
    const tail = this.windowText();
    const delta = tail.length > this.windowEmitted ? tail.slice(this.windowEmitted) : '';
    this.contextStart = this.windowStart = this.ids.length;
    this.contextText = '';
    this.windowEmitted = 0;
    this.emitted += delta;
    return delta;
  }

  /** The text the window's ids add after the context. */
  private windowText(): string {
    const full = this.decode(this.ids.slice(this.contextStart));
    if (full.startsWith(this.contextText)) return full.slice(this.contextText.length);
    // A decoder whose output for the context changes with what follows it (rare; e.g. a
    // cleanup rule that spans tokens): fall back to diffing the whole decoded text.
    return this.decode(this.ids).slice(this.emitted.length - this.windowEmitted);
  }
}

function stripTrailingReplacement(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === REPLACEMENT) end--;
  return text.slice(0, end);
}
