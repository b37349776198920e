import { describe, expect, it } from 'vitest';
import { parsePyJson } from './pyjson.ts';
import { fromPlainJson, isPyValue, pyJsonDumps, samePyValue } from './pyjson-dumps.ts';
import { askPython } from '../../mtpb/fixtures.node.ts';

const TEXTS = [
  '[10.0, 20.0, 30.0]',
  '{"lst1": [10.0, 20.0, 30.0], "b": 1e-06, "c": -0.0, "d": 123456789012345678901234567890}',
  '[1.5e+300, 1e+16, 1e16, 0.0001, 0.00001, 5.0, 5, -7, 2.5]',
  '[NaN, Infinity, -Infinity]',
  '{"z": 1, "a": 2, "m": {"y": [], "x": {}}}',
  '["caf\\u00e9", "\\ud83d\\ude00", "tab\\there", "quote \\" back \\\\ slash", "\\u007f\\u0001", "/"]',
  '"ünïcode raw"',
  '[true, false, null, ""]',
];

describe('pyJsonDumps', () => {
  it('writes floats as Python does, ints as ints', () => {
    expect(pyJsonDumps(parsePyJson('{"lst1": [10.0, 20.0, 30.0]}'))).toBe(
      '{"lst1": [10.0, 20.0, 30.0]}',
    );
    expect(pyJsonDumps(parsePyJson('5.0'))).toBe('5.0');
    expect(pyJsonDumps(parsePyJson('[1e-06, -0.0, 9007199254740993]'))).toBe(
      '[1e-06, -0.0, 9007199254740993]',
    );
  });

  it('writes every text exactly as CPython json.dumps(json.loads(text)) does', () => {
    const { dumps } = askPython<{ dumps: string[] }>({ dumps: TEXTS });
    expect(TEXTS.map((t) => pyJsonDumps(parsePyJson(t)))).toEqual(dumps);
  });

  it('round-trips values with their kinds (checked by CPython too)', () => {
    for (const text of TEXTS) {
      const value = parsePyJson(text);
      expect(samePyValue(parsePyJson(pyJsonDumps(value)), value), text).toBe(true);
    }
    const { same } = askPython<{ same: boolean[] }>({
      same: [
        ...TEXTS.map((t) => [t, pyJsonDumps(parsePyJson(t))]),
        ['[10.0]', '[10]'], // the check itself tells 10.0 from 10
      ],
    });
    expect(same).toEqual([...TEXTS.map(() => true), false]);
  });

  it('tells ints from floats and keeps key order when comparing', () => {
    expect(samePyValue(parsePyJson('[1]'), parsePyJson('[1.0]'))).toBe(false);
    expect(samePyValue(parsePyJson('{"a": 1, "b": 2}'), parsePyJson('{"b": 2, "a": 1}'))).toBe(
      false,
    );
  });

  it('reads records stored before values were kept as PyValues', () => {
    expect(isPyValue({ t: 'int', v: 1n })).toBe(true);
    expect(isPyValue({ lst1: [1] })).toBe(false);
    expect(fromPlainJson({ a: [1, 2.5, 'x', null, true] })).toEqual(
      parsePyJson('{"a": [1, 2.5, "x", null, true]}'),
    );
  });
});
