/**
 * Test inputs that have broken tokenizers before: indentation of every kind,
 * non-ASCII identifiers, astral characters, the two code points on which
 * JavaScript's `\s` and Oniguruma's disagree, CRLF, and the end-of-text
 * marker in running text.
 */
export const TRICKY_PYTHON: readonly string[] = [
  'def f(x):\n    return x\n',
  'class A:\n    def m(self):\n        if self.x:\n            return  1  # two spaces\n',
  'if x:\n\tpass\n\tif y:\n\t\treturn 1\n\t\t\t\t\t\t\t\t\t\t\tdeep = 1\n',
  'mixed:\n\t    spaces_after_tab = 1\n    \ttab_after_spaces = 2\n',
  'wide = 1' + ' '.repeat(40) + '# far comment\n' + '\t'.repeat(12) + 'x\n',
  'trailing = 1   \n   \n\n\n',
  'def größe(π, 变量, naïve):\n    return π * 变量  # café\n',
  'e\u0301 = "combining"; ﬁ = 1; x² = 2; Ⅻ = 12\n',
  'emoji = "😊👩‍💻🇫🇷"  # 🐍\n',
  'nel = "a\u0085b"; a \u0085b\n\u0085\u0085 x\n',
  '\ufeffimport os\nbom = "x\ufeffy"  \ufeff z\n',
  'if x:\r\n    y = 1\r\n\r\n\tz = 2\r\n',
  'prompt = "a"<|endoftext|>def g():\n    pass<|endoftext|>',
  'spaced = a .real + b . imag\nsaid = "it \'s" ; n \'t\n',
  "contractions = ['s', 't', 're', 've', 'm', 'll', 'd', \"'S\", \"'LL\"]\n",
  'x' + '\n'.repeat(5) + ' '.repeat(33) + '\t'.repeat(3) + ' \t \t' + '\u00a0\u2028\u3000y',
  '',
  ' ',
  '  ',
  '\t',
];
