import { describe, expect, it } from 'vitest';
import { certainTruncation, truncate } from './truncate.ts';

describe('truncate (official rules)', () => {
  it('passes the official test_truncate case', () => {
    expect(truncate('\nif len_a > len_b:\n    result = a\nelse:\n    result = b\n\n\n\n#')).toBe(
      '\nif len_a > len_b:\n    result = a\nelse:\n    result = b',
    );
  });

  it('cuts at the second print line, prefix matches included', () => {
    expect(truncate('x = 1\nprint(x)\nprint(x + 1)\n')).toBe('x = 1\nprint(x)\n');
    expect(truncate('print(1)\nprinted = 2\n')).toBe('print(1)\n');
    expect(truncate('  print(1)\n  print(2)\n')).toBe('  print(1)\n  print(2)\n');
  });

  it('cuts at the second def line', () => {
    expect(truncate('def f():\n    return 1\ndef g():\n    pass\n')).toBe(
      'def f():\n    return 1\n',
    );
    expect(truncate('def f():\n    def g(): pass\n')).toBe('def f():\n    def g(): pass\n');
  });

  it('applies the def rule to what the print rule left', () => {
    expect(truncate('def a(): pass\nprint(1)\nprint(2)\ndef b(): pass\n')).toBe(
      'def a(): pass\nprint(1)\n',
    );
  });

  it('cuts at the earliest terminal', () => {
    expect(truncate('x = 1\n# next\ny = 2')).toBe('x = 1\n');
    expect(truncate('#only a comment')).toBe('');
    expect(truncate('x = 1  # inline comments stay\ny = 2')).toBe(
      'x = 1  # inline comments stay\ny = 2',
    );
    expect(truncate('x = 1<|endoftext|>junk')).toBe('x = 1');
    expect(truncate("x = 1\n'''doc'''")).toBe('x = 1\n');
    expect(truncate('x = 1\n"""doc"""')).toBe('x = 1\n');
    expect(truncate('x = 1\n\n\ny = 2')).toBe('x = 1');
    expect(truncate('x = 1\n\ny = 2')).toBe('x = 1\n\ny = 2');
  });

  it("matches Python's ^: only after \\n, never after \\r, U+2028 or U+2029", () => {
    expect(truncate('x = 1\r# not a line start in Python')).toBe(
      'x = 1\r# not a line start in Python',
    );
    expect(truncate('x = 1\u2028# same')).toBe('x = 1\u2028# same');
    expect(truncate('print(1)\u2029print(2)')).toBe('print(1)\u2029print(2)');
    expect(truncate('x = 1\r\n# comment')).toBe('x = 1\r\n');
  });
});

describe('certainTruncation (streaming stop)', () => {
  const cases = [
    'x = 1\nprint(x)\nprint(x + 1)\nmore',
    'def f():\n    return 1\ndef g():\n    pass\n',
    'x = 1\n# next\ny = 2',
    'a = [1]\n\n\n\nb',
    'y = 3<|endoftext|><|endoftext|>',
    "s = 'x'\n'''doc",
    'result = 1\nprinted = result\nprint(result)\n',
    'no terminal at all\n  print(1)\n',
  ];

  it('agrees with truncate() on the full completion whenever it says it is certain', () => {
    for (const full of cases) {
      let stoppedAt: number | null = null;
      for (let end = 0; end <= full.length && stoppedAt === null; end++) {
        const kept = certainTruncation(full.slice(0, end));
        if (kept !== null) {
          stoppedAt = end;
          expect(full.slice(0, end).slice(0, kept)).toBe(truncate(full));
        }
      }
      if (stoppedAt === null) expect(truncate(full)).toBe(full.length === 0 ? '' : truncate(full));
    }
  });

  it('is not certain while a cut point is incomplete', () => {
    expect(certainTruncation('x = 1\nprint(x)\npri')).toBeNull();
    expect(certainTruncation('x = 1\n\n')).toBeNull();
    expect(certainTruncation('x = 1<|endof')).toBeNull();
    expect(certainTruncation('x = 1\n#')).toBe(6);
  });
});

describe('truncate against Python re (random completions)', () => {
  it('agrees with python3 on 400 random completions, and streaming agrees with both', async () => {
    const { askPython } = await import('./fixtures.node.ts');
    const pieces = [
      'print(x)',
      'printed = 1',
      'def f():',
      '    return 1',
      '# c',
      "'''",
      '"""',
      '<|endoftext|>',
      'x = 1',
      '\n',
      '\n',
      '\n',
      '\r',
      '\u2028',
      '  ',
      'y',
    ];
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const completions = Array.from({ length: 400 }, () =>
      Array.from(
        { length: 1 + Math.floor(next() * 14) },
        () => pieces[Math.floor(next() * pieces.length)] ?? '',
      ).join(''),
    );
    const { truncate: expected } = askPython<{ truncate: string[] }>({ truncate: completions });
    completions.forEach((completion, i) => {
      expect(truncate(completion), JSON.stringify(completion)).toBe(expected[i]);
      for (let end = 0; end <= completion.length; end++) {
        const kept = certainTruncation(completion.slice(0, end));
        if (kept !== null) {
          expect(completion.slice(0, kept), JSON.stringify(completion)).toBe(expected[i]);
          break;
        }
      }
    });
  });
});
