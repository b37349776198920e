import type { PyValue } from './pyvalue.ts';

/**
 * JSON to Python values, as Python's json.loads reads it: a number with a fraction or an
 * exponent is a float, any other is an int of any size. JSON.parse would turn `2e+100` into an
 * integer-valued double and `1.0` into 1, and both change what str.format and the checker see.
 */
export function parsePyJson(text: string): PyValue {
  const parser = new Parser(text);
  const value = parser.value();
  parser.end();
  return value;
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  end(): void {
    this.space();
    if (this.i !== this.s.length) this.fail('trailing characters');
  }

  value(): PyValue {
    this.space();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return { t: 'str', v: this.string() };
    if (this.take('true')) return { t: 'bool', v: true };
    if (this.take('false')) return { t: 'bool', v: false };
    if (this.take('null')) return { t: 'none' };
    if (this.take('NaN')) return { t: 'float', v: NaN };
    if (this.take('Infinity')) return { t: 'float', v: Infinity };
    if (this.take('-Infinity')) return { t: 'float', v: -Infinity };
    return this.number();
  }

  private object(): PyValue {
    this.i++;
    const entries: [PyValue, PyValue][] = [];
    this.space();
    if (this.take('}')) return { t: 'dict', v: entries };
    do {
      this.space();
      if (this.s[this.i] !== '"') this.fail('expected a key');
      const key: PyValue = { t: 'str', v: this.string() };
      this.space();
      if (!this.take(':')) this.fail('expected ":"');
      const value = this.value();
      // Python keeps the last value of a repeated key, in the first key's place.
      const at = entries.findIndex(([k]) => k.t === 'str' && key.t === 'str' && k.v === key.v);
      if (at >= 0) entries[at] = [key, value];
      else entries.push([key, value]);
      this.space();
    } while (this.take(','));
    if (!this.take('}')) this.fail('expected "}"');
    return { t: 'dict', v: entries };
  }

  private array(): PyValue {
    this.i++;
    const items: PyValue[] = [];
    this.space();
    if (this.take(']')) return { t: 'list', v: items };
    do items.push(this.value());
    while ((this.space(), this.take(',')));
    this.space();
    if (!this.take(']')) this.fail('expected "]"');
    return { t: 'list', v: items };
  }

  private string(): string {
    // Find the closing quote; JSON.parse then checks the escapes and control characters.
    const match = /^"(?:[^"\\]|\\.)*"/s.exec(this.s.slice(this.i));
    if (!match) this.fail('unterminated string');
    this.i += match[0].length;
    return JSON.parse(match[0]) as string;
  }

  private number(): PyValue {
    const match = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i));
    if (!match) this.fail('unexpected character');
    this.i += match[0].length;
    const isFloat = match[1] !== undefined || match[2] !== undefined;
    return isFloat ? { t: 'float', v: Number(match[0]) } : { t: 'int', v: BigInt(match[0]) };
  }

  private take(token: string): boolean {
    if (!this.s.startsWith(token, this.i)) return false;
    this.i += token.length;
    return true;
  }

  private space(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i] as string)) this.i++;
  }

  private fail(what: string): never {
    throw new SyntaxError(`JSON: ${what} at offset ${this.i}`);
  }
}
