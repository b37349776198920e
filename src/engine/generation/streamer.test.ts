import { describe, expect, it } from 'vitest';
import { createRng } from './rng.ts';
import { TextStreamer, type Decode } from './streamer.ts';

/**
 * A byte-level fake tokenizer, like GPT-2/CodeGen's: every token is a run of bytes, and
 * decoding concatenates them and decodes UTF-8 with replacement of broken sequences.
 */
function byteTokenizer(): {
  encodeSplit: (text: string, cuts: (bytes: Uint8Array) => number[]) => number[];
  decode: Decode;
  calls: () => number;
} {
  const vocab: Uint8Array[] = [];
  const index = new Map<string, number>();
  let decodeCalls = 0;
  const idOf = (bytes: Uint8Array): number => {
    const key = Array.from(bytes).join(',');
    let id = index.get(key);
    if (id === undefined) {
      id = vocab.length;
      vocab.push(bytes);
      index.set(key, id);
    }
    return id;
  };
  return {
    encodeSplit: (text, cuts) => {
      const bytes = new TextEncoder().encode(text);
      const points = [0, ...cuts(bytes), bytes.length];
      const ids: number[] = [];
      for (let i = 1; i < points.length; i++) {
        const piece = bytes.subarray(points[i - 1] ?? 0, points[i] ?? 0);
        if (piece.length > 0) ids.push(idOf(piece));
      }
      return ids;
    },
    decode: (ids) => {
      decodeCalls++;
      const parts = ids.map((id) => vocab[id] ?? new Uint8Array());
      const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.length;
      }
      return new TextDecoder('utf-8').decode(all);
    },
    calls: () => decodeCalls,
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const everyByte = (bytes: Uint8Array): number[] =>
  Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);

function stream(decode: Decode, ids: number[]): { deltas: string[]; streamer: TextStreamer } {
  const streamer = new TextStreamer(decode);
  const deltas = ids.map((id) => streamer.push(id));
  deltas.push(streamer.flush());
  return { deltas, streamer };
}

describe('TextStreamer', () => {
  it('holds back an emoji split over 4 tokens until its last byte arrives', () => {
    const tok = byteTokenizer();
    const ids = tok.encodeSplit('a😀b', everyByte); // 'a', F0, 9F, 98, 80, 'b'
    const { deltas } = stream(tok.decode, ids);
    expect(deltas).toEqual(['a', '', '', '', '😀', 'b', '']);
  });

  it('handles an emoji split over 2 tokens, and a token ending mid-character', () => {
    const tok = byteTokenizer();
    // 'ok' + first two bytes of 🎉 in one token, the rest in the next.
    const ids = tok.encodeSplit('ok🎉!', () => [4, 6]);
    const { deltas } = stream(tok.decode, ids);
    expect(deltas).toEqual(['ok', '🎉', '!', '']);
  });

  it('never emits U+FFFD or a lone surrogate, and the deltas add up to the text', () => {
    const text = 'def f():\n    return "héllo wörld ✓ 中文 🐍🚀 ok"\n';
    const rng = createRng(3);
    for (let trial = 0; trial < 100; trial++) {
      const tok = byteTokenizer();
      const ids = tok.encodeSplit(text, (bytes) =>
        Array.from({ length: bytes.length - 1 }, (_, i) => i + 1).filter(() => rng.next() < 0.4),
      );
      const { deltas, streamer } = stream(tok.decode, ids);
      for (const delta of deltas) {
        expect(delta).not.toContain('\uFFFD');
        expect(delta).not.toMatch(LONE_SURROGATE);
      }
      expect(deltas.join('')).toBe(text);
      expect(streamer.text).toBe(text);
    }
  });

  it('emits genuinely invalid trailing bytes on flush', () => {
    const tok = byteTokenizer();
    const ids = tok.encodeSplit('x😀', () => [1, 3]).slice(0, 2); // 'x', F0 9F — never finished
    const streamer = new TextStreamer(tok.decode);
    expect(ids.map((id) => streamer.push(id))).toEqual(['x', '']);
    expect(streamer.flush()).toBe('\uFFFD');
  });

  it('decodes a bounded window per token, not the whole generation', () => {
    const tok = byteTokenizer();
    const ids = tok.encodeSplit('x'.repeat(2000), everyByte);
    const streamer = new TextStreamer((window) => {
      expect(window.length).toBeLessThanOrEqual(2);
      return tok.decode(window);
    });
    for (const id of ids) streamer.push(id);
    expect(streamer.text).toHaveLength(2000);
  });

  it('keeps spaces with a decoder that strips the leading space of its input', () => {
    // SentencePiece-style: '▁' marks a space and the first one of a decode is dropped.
    const pieces = ['▁def', '▁main', '():', '▁pass'];
    const decode: Decode = (ids) =>
      ids
        .map((id) => pieces[id] ?? '')
        .join('')
        .replaceAll('▁', ' ')
        .replace(/^ /, '');
    const { deltas } = stream(decode, [0, 1, 2, 3]);
    expect(deltas.join('')).toBe('def main(): pass');
  });
});
