import { describe, expect, it } from 'vitest';
import { parsePyJson } from './pyjson.ts';
import { floatRepr, pyRepr, pyStr, strRepr } from './pyvalue.ts';

describe('floatRepr', () => {
  it.each([
    [1, '1.0'],
    [0.1, '0.1'],
    [-0, '-0.0'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [2e100, '2e+100'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [123.456, '123.456'],
    [1.5e-7, '1.5e-07'],
    [NaN, 'nan'],
    [-Infinity, '-inf'],
  ])('repr(%s) is %s', (x, expected) => {
    expect(floatRepr(x)).toBe(expected);
  });
});

describe('strRepr', () => {
  it('quotes as Python does', () => {
    expect(strRepr('abc')).toBe("'abc'");
    expect(strRepr("it's")).toBe(`"it's"`);
    expect(strRepr(`it's "x"`)).toBe(`'it\\'s "x"'`);
    expect(strRepr('a\nb\\')).toBe("'a\\nb\\\\'");
    expect(strRepr('\u0001é')).toBe("'\\x01é'");
  });
});

describe('parsePyJson', () => {
  it('keeps the int/float distinction of Python json', () => {
    expect(parsePyJson('2e+100')).toEqual({ t: 'float', v: 2e100 });
    expect(parsePyJson('1.0')).toEqual({ t: 'float', v: 1 });
    expect(parsePyJson('12345678901234567890')).toEqual({ t: 'int', v: 12345678901234567890n });
  });

  it('renders values the way str() does', () => {
    const value = parsePyJson('[1, 1e-05, null, false, "a\'b", {"k": [1.5]}]');
    expect(pyStr(value)).toBe(`[1, 1e-05, None, False, "a'b", {'k': [1.5]}]`);
    expect(pyStr(parsePyJson('"plain"'))).toBe('plain');
    expect(pyRepr(parsePyJson('"plain"'))).toBe("'plain'");
  });

  it('rejects malformed JSON', () => {
    expect(() => parsePyJson('[1,')).toThrow(SyntaxError);
    expect(() => parsePyJson('[1] x')).toThrow(SyntaxError);
  });
});
