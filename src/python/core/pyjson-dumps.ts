import { floatRepr } from './pyvalue.ts';
import type { PyValue } from './pyvalue.ts';

/**
 * Python values to JSON text exactly as CPython's `json.dumps(value)` writes it with its
 * defaults: `", "` and `": "` separators, ASCII only (`\uXXXX`, surrogate pairs above U+FFFF),
 * floats by repr (`10.0`, `1e-06`, `-0.0`), `NaN`/`Infinity`/`-Infinity`, ints of any size,
 * dict keys in their order. The inverse of `parsePyJson`, so a value read from a dataset or a
 * samples file is written back as it was: `JSON.stringify` would turn `10.0` into `10`.
 */
export function pyJsonDumps(value: PyValue): string {
  switch (value.t) {
    case 'none':
      return 'null';
    case 'bool':
      return value.v ? 'true' : 'false';
    case 'int':
      return value.v.toString();
    case 'float':
      return floatJson(value.v);
    case 'str':
      return jsonString(value.v);
    case 'list':
    case 'tuple':
      return `[${value.v.map(pyJsonDumps).join(', ')}]`;
    case 'dict':
      return `{${value.v.map(([k, v]) => `${keyJson(k)}: ${pyJsonDumps(v)}`).join(', ')}}`;
    case 'set':
    case 'opaque':
      throw new TypeError(`Object of type ${value.t} is not JSON serializable`);
    default: {
      const unreachable: never = value;
      return unreachable;
    }
  }
}

function floatJson(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  return floatRepr(x);
}

/** json.dumps turns non-string keys into strings: True → "true", 1.5 → "1.5", None → "null". */
function keyJson(key: PyValue): string {
  switch (key.t) {
    case 'str':
      return jsonString(key.v);
    case 'int':
    case 'float':
    case 'bool':
    case 'none':
      return jsonString(pyJsonDumps(key));
    default:
      throw new TypeError(`keys must be str, int, float, bool or None, not ${key.t}`);
  }
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** json.dumps's ensure_ascii string: every code unit outside ' '..'~' escaped. */
function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    const code = s.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    // UTF-16 code units are exactly the \uXXXX pairs Python writes for code points > U+FFFF.
    else out += `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/** The same value, the same kinds: an int is never equal to a float here (1 ≠ 1.0), order counts. */
export function samePyValue(a: PyValue, b: PyValue): boolean {
  if (a.t !== b.t) return false;
  switch (a.t) {
    case 'none':
      return true;
    case 'bool':
    case 'int':
    case 'str':
      return a.v === (b as typeof a).v;
    case 'float': {
      const y = (b as typeof a).v;
      return Object.is(a.v, y);
    }
    case 'list':
    case 'tuple':
    case 'set': {
      const items = (b as typeof a).v;
      return a.v.length === items.length && a.v.every((item, i) => samePyValue(item, items[i]!));
    }
    case 'dict': {
      const entries = (b as typeof a).v;
      return (
        a.v.length === entries.length &&
        a.v.every(([k, v], i) => samePyValue(k, entries[i]![0]) && samePyValue(v, entries[i]![1]))
      );
    }
    case 'opaque':
      return a.type === (b as typeof a).type;
    default: {
      const unreachable: never = a;
      return unreachable;
    }
  }
}

const PY_TAGS = new Set(['none', 'bool', 'int', 'float', 'str', 'list', 'tuple', 'set', 'dict']);

/** Whether a stored value is already a PyValue (records written before PyValues were kept are not). */
export function isPyValue(value: unknown): value is PyValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    't' in value &&
    typeof value.t === 'string' &&
    PY_TAGS.has(value.t)
  );
}

/**
 * A value JSON.parse gave, as a PyValue: the best reading of records stored before inputs were
 * kept as Python values (a whole number is read as an int; its float-ness is already lost).
 */
export function fromPlainJson(value: unknown): PyValue {
  if (value === null || value === undefined) return { t: 'none' };
  if (typeof value === 'boolean') return { t: 'bool', v: value };
  if (typeof value === 'number')
    return Number.isSafeInteger(value) ? { t: 'int', v: BigInt(value) } : { t: 'float', v: value };
  if (typeof value === 'string') return { t: 'str', v: value };
  if (Array.isArray(value)) return { t: 'list', v: value.map(fromPlainJson) };
  if (typeof value === 'object')
    return {
      t: 'dict',
      v: Object.entries(value).map(([k, v]): [PyValue, PyValue] => [
        { t: 'str', v: k },
        fromPlainJson(v),
      ]),
    };
  return { t: 'opaque', type: typeof value };
}
