import { describe, expect, it } from 'vitest';
import { exportCsv, exportJsonl, parseSamples } from './export.ts';
import type { CaseRecord } from './records.ts';

const record = (
  problemId: string,
  caseIndex: number,
  status: CaseRecord['status'],
): CaseRecord => ({
  problemId,
  caseIndex,
  sample: 0,
  mode: 'multi',
  input: {
    t: 'dict',
    v: [
      [
        { t: 'str', v: 'a' },
        { t: 'int', v: BigInt(caseIndex) },
      ],
    ],
  },
  goldOutput: { t: 'int', v: BigInt(caseIndex) },
  turns: [{ prompt: 'Print a.', completion: 'print(a)' }],
  program: '# Import libraries.\n\nimport numpy as np\n\n# Print a.\nprint(a)\n\n',
  promptsCompletions: [
    '# Import libraries.\n\nimport numpy as np\n\n',
    '# Print a.\n',
    'print(a)\n\n',
  ],
  contextOverflow: false,
  genTokens: 2,
  status,
  passed: status === 'pass',
  printed: status === 'pass' ? String(caseIndex) : null,
  stdout: '',
  error: null,
  detail: status,
  execMs: 1,
});

describe('export and import', () => {
  const records = [record('10', 1, 'fail'), record('2', 0, 'pass'), record('10', 0, 'unavailable')];

  it('writes the official sample format plus verdicts, ordered, and reads it back', () => {
    const jsonl = exportJsonl(records);
    const lines = jsonl
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => `${String(l.id)}/${JSON.stringify(l.input)}`)).toEqual([
      '2/{"a":0}',
      '10/{"a":0}',
      '10/{"a":1}',
    ]);
    // Python's json.dumps layout: ", " and ": " separators.
    expect(jsonl.startsWith('{"id": "2", "input": {"a": 0}, "gold_output": 0, ')).toBe(true);
    expect(Object.keys(lines[0] ?? {})).toEqual([
      'id',
      'input',
      'gold_output',
      'completions',
      'prompts_completions',
      'status',
      'passed',
      'printed',
    ]);
    const { samples, errors } = parseSamples(jsonl + 'not json\n{"id": "3"}\n');
    expect(samples.map((s) => s.sample.completions)).toEqual(records.map((r) => r.program));
    expect(samples.map((s) => `${s.sample.id}/${s.caseIndex}/${s.sampleIndex}`)).toEqual([
      '2/0/0',
      '10/0/0',
      '10/1/0',
    ]);
    expect(samples[2]?.sample.gold_output).toEqual({ t: 'int', v: 1n });
    expect(errors).toEqual([
      { line: 4, message: expect.stringContaining('JSON') as string },
      { line: 5, message: '"completions" must be the program text' },
    ]);
    const floats = parseSamples(
      '{"id": "1", "input": {}, "gold_output": 1.0, "completions": "print(1)"}\n{"id": "1", "input": {}, "gold_output": 1.0, "completions": "print(1)"}',
    );
    expect(floats.samples.map((s) => [s.sample.gold_output, s.caseIndex, s.sampleIndex])).toEqual([
      [{ t: 'float', v: 1 }, 0, 0],
      [{ t: 'float', v: 1 }, 0, 1],
    ]);
  });

  it('summarizes per problem in CSV, unavailable counted apart', () => {
    expect(exportCsv(records, new Map([['2', 'Sum, "quoted"']]))).toBe(
      [
        'problem,name,cases,pass,fail,timeout,error,unavailable,pass_rate',
        '2,"Sum, ""quoted""",1,1,0,0,0,0,1.0000',
        '10,,2,0,1,0,0,1,0.0000',
        'total,,3,1,1,0,0,1,0.5000',
      ].join('\n') + '\n',
    );
  });
});
