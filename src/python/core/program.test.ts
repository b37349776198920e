import { describe, expect, it } from 'vitest';
import {
  assembleProgram,
  formatTemplate,
  guardNumpyPrefix,
  inputsOf,
  MTPB_PREFIX,
} from './program.ts';
import { parsePyJson } from './pyjson.ts';

describe('assembleProgram', () => {
  it('writes the history as the official sampler does', () => {
    const program = assembleProgram([
      { prompt: 'Assign 1 to x.', completion: 'x = 1' },
      { prompt: 'Print x.', completion: 'print(x)' },
    ]);
    expect(program).toBe(
      '# Import libraries.\n\nimport numpy as np\n\n# Assign 1 to x.\nx = 1\n\n# Print x.\nprint(x)\n\n',
    );
  });

  it('guards the numpy prefix only', () => {
    expect(guardNumpyPrefix(`${MTPB_PREFIX}print(1)`)).toContain(
      'except ImportError:\n    pass\n\nprint(1)',
    );
    expect(guardNumpyPrefix('print(1)')).toBe('print(1)');
  });
});

describe('formatTemplate', () => {
  const inputs = inputsOf(parsePyJson('{"A": "abc", "n": [1, 2.5], "s": "[\\"a\\"]"}'));

  it('fills fields with str() of the value', () => {
    expect(formatTemplate('x = "{A}"; y = {n}; z = {s}', inputs)).toBe(
      'x = "abc"; y = [1, 2.5]; z = ["a"]',
    );
  });

  it('keeps doubled braces literal', () => {
    expect(formatTemplate('d = {{"k": {n}}}', inputs)).toBe('d = {"k": [1, 2.5]}');
  });

  it('fails on unknown fields and stray braces, as str.format does', () => {
    expect(() => formatTemplate('{missing}', inputs)).toThrow(RangeError);
    expect(() => formatTemplate('a } b', inputs)).toThrow(SyntaxError);
  });
});
