/**
 * GPT-2's reversible byte <-> character table ("bytes_to_unicode").
 *
 * Byte-level BPE vocabularies store tokens as strings in which every byte is
 * one printable character: bytes that are already printable (and not a space)
 * map to themselves, the remaining 68 bytes are shifted to U+0100 and up in
 * byte order. That is why a leading space shows up as "Ġ" (U+0120) and a
 * newline as "Ċ" (U+010A) in encoder.json.
 */

function isPrintableAsIs(byte: number): boolean {
  return (
    (byte >= 0x21 && byte <= 0x7e) ||
    (byte >= 0xa1 && byte <= 0xac) ||
    (byte >= 0xae && byte <= 0xff)
  );
}

function buildByteToChar(): readonly string[] {
  const table: string[] = [];
  let shifted = 0;
  for (let byte = 0; byte < 256; byte++) {
    table.push(String.fromCharCode(isPrintableAsIs(byte) ? byte : 0x100 + shifted++));
  }
  return table;
}

/** BYTE_TO_CHAR[b] is the one-character string that stands for byte b. */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();

/** Inverse of BYTE_TO_CHAR. */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(
  BYTE_TO_CHAR.map((char, byte) => [char, byte]),
);

const utf8 = new TextEncoder();

/** UTF-8 encodes text and spells each byte with its table character. */
export function toByteLevel(text: string): string {
  let out = '';
  for (const byte of utf8.encode(text)) out += BYTE_TO_CHAR[byte];
  return out;
}

/** Bytes spelled by a byte-level string; throws on characters outside the table. */
export function fromByteLevel(token: string): number[] {
  const bytes: number[] = [];
  for (const char of token) {
    const byte = CHAR_TO_BYTE.get(char);
    if (byte === undefined) throw new Error(`not a byte-level character: U+${char.codePointAt(0)}`);
    bytes.push(byte);
  }
  return bytes;
}
