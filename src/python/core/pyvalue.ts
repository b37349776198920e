/**
 * Python values as plain data: the MTPB gold outputs and inputs (parsed from JSON without losing
 * the int/float distinction Python's json module keeps) and the printed values the sandbox
 * reports back. Also Python's str()/repr() of them, which str.format uses to fill prompts.
 */
export type PyValue =
  | { t: 'none' }
  | { t: 'bool'; v: boolean }
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'str'; v: string }
  | { t: 'list' | 'tuple' | 'set'; v: PyValue[] }
  | { t: 'dict'; v: [PyValue, PyValue][] }
  /** Anything else; equal to nothing (see compare.ts). */
  | { t: 'opaque'; type: string };

/** The Python type name of a gold value, as the checker casts to it. */
export type GoldType = 'str' | 'int' | 'float' | 'bool' | 'NoneType' | 'list' | 'dict';

export function goldType(value: PyValue): GoldType {
  switch (value.t) {
    case 'none':
      return 'NoneType';
    case 'str':
    case 'int':
    case 'float':
    case 'bool':
    case 'list':
    case 'dict':
      return value.t;
    case 'tuple':
    case 'set':
    case 'opaque':
      throw new Error(`A JSON value is never a ${value.t}`);
    default: {
      const unreachable: never = value;
      return unreachable;
    }
  }
}

export function pyStr(value: PyValue): string {
  return value.t === 'str' ? value.v : pyRepr(value);
}

export function pyRepr(value: PyValue): string {
  switch (value.t) {
    case 'none':
      return 'None';
    case 'bool':
      return value.v ? 'True' : 'False';
    case 'int':
      return value.v.toString();
    case 'float':
      return floatRepr(value.v);
    case 'str':
      return strRepr(value.v);
    case 'list':
      return `[${value.v.map(pyRepr).join(', ')}]`;
    case 'tuple':
      return value.v.length === 1
        ? `(${pyRepr(value.v[0] as PyValue)},)`
        : `(${value.v.map(pyRepr).join(', ')})`;
    case 'set':
      return value.v.length === 0 ? 'set()' : `{${value.v.map(pyRepr).join(', ')}}`;
    case 'dict':
      return `{${value.v.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
    case 'opaque':
      return `<${value.type}>`;
    default: {
      const unreachable: never = value;
      return unreachable;
    }
  }
}

/** Python's repr(float): shortest round-trip digits, exponent form outside 1e-4 <= |x| < 1e16. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa = '', exponent = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const decpt = Number(exponent) + 1; // digits are d.ddd * 10^(decpt-1)
  if (decpt <= -4 || decpt > 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = Number(exponent);
    return `${sign}${digits[0]}${fraction}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Python's repr(str): single quotes unless the text has ' and no ". */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch in ESCAPES) out += ESCAPES[ch];
    else if (ch === quote) out += `\\${ch}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (ch !== ' ' && /[\p{C}\p{Z}]/u.test(ch)) out += unicodeEscape(code);
    else out += ch;
  }
  return out + quote;
}

function unicodeEscape(code: number): string {
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}
