import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDataset } from './dataset.ts';
import { hasMtpb, MTPB_PATH } from './dataset.node.ts';
import {
  formatTemplate,
  historyOf,
  historyParts,
  inputsOf,
  MTPB_PREFIX,
  renderPrompts,
  turnsFor,
} from './protocol.ts';
import { askPython } from './fixtures.node.ts';
import { parsePyJson } from '../python/core/pyjson.ts';
import { NUMPY_PRELUDE } from '../python/core/program.ts';

describe('parseDataset', () => {
  it('reports malformed lines by number and keeps the good ones', () => {
    const good = (id: number) =>
      JSON.stringify({
        id: String(id),
        prompts: ['Print {x}'],
        inputs: [{ x: 1.0 }],
        outputs: [1],
      });
    const { problems, errors } = parseDataset(
      [good(2), '{not json', '', good(1), JSON.stringify({ id: '3', prompts: [] }), good(1)].join(
        '\n',
      ),
    );
    expect(problems.map((p) => p.id)).toEqual(['1', '2']);
    expect(errors.map((e) => e.line)).toEqual([2, 5, 6]);
    expect(errors[2]?.message).toContain('duplicate');
    expect(problems[0]?.maxGenLength).toBe(256);
  });

  it('keeps 1.0 a float, as Python json does', () => {
    const { problems } = parseDataset(
      '{"id": "1", "prompts": ["Use {x} and {y}"], "inputs": [{"x": 1.0, "y": [1, 2.5, "a", true, null]}], "outputs": [0]}',
    );
    expect(renderPrompts(problems[0]!, 0)).toEqual(["Use 1.0 and [1, 2.5, 'a', True, None]"]);
  });
});

describe.skipIf(!hasMtpb)('prompt rendering against python3 on every MTPB test case', () => {
  it('fills all 115 × 5 cases exactly as Python str.format does', () => {
    const { problems, errors } = parseDataset(readFileSync(MTPB_PATH, 'utf8'));
    expect(errors).toEqual([]);
    expect(problems).toHaveLength(115);
    // Problem 57 lists 6 outputs for 5 inputs; like the official sampler, zip them.
    expect(problems.find((p) => p.id === '57')?.outputs).toHaveLength(5);
    const { render } = askPython<{ render: Record<string, string[][]> }>({ render: MTPB_PATH });
    let compared = 0;
    for (const problem of problems) {
      problem.inputs.forEach((_, c) => {
        expect(renderPrompts(problem, c), `problem ${problem.id} case ${c + 1}`).toEqual(
          render[problem.id]?.[c],
        );
        compared++;
      });
    }
    expect(compared).toBe(575);
  });
});

describe('histories and modes', () => {
  const { problems } = parseDataset(
    JSON.stringify({
      id: '9',
      prompts: ['Assign {a} to a.', 'Print a.'],
      inputs: [{ a: 3 }],
      outputs: [3],
      max_gen_length: 64,
    }),
  );
  const problem = problems[0]!;

  it('builds the official history, turn by turn', () => {
    expect(historyOf([], 'Assign 3 to a.')).toBe(
      '# Import libraries.\n\nimport numpy as np\n\n# Assign 3 to a.\n',
    );
    expect(historyOf([{ prompt: 'Assign 3 to a.', completion: 'a = 3' }], 'Print a.')).toBe(
      '# Import libraries.\n\nimport numpy as np\n\n# Assign 3 to a.\na = 3\n\n# Print a.\n',
    );
  });

  it('single-turn puts every prompt in one comment block with the summed budget', () => {
    expect(turnsFor(problem, 0, 'multi')).toEqual([
      { prompt: 'Assign 3 to a.', budget: 64 },
      { prompt: 'Print a.', budget: 64 },
    ]);
    const single = turnsFor(problem, 0, 'single');
    expect(single).toEqual([{ prompt: 'Assign 3 to a.\n# Print a.', budget: 128 }]);
    expect(historyOf([], single[0]?.prompt)).toBe(
      '# Import libraries.\n\nimport numpy as np\n\n# Assign 3 to a.\n# Print a.\n',
    );
  });
});

describe('the program', () => {
  it('writes the history as the official sampler does, part by part', () => {
    const turns = [
      { prompt: 'Assign 1 to x.', completion: 'x = 1' },
      { prompt: 'Print x.', completion: 'print(x)' },
    ];
    expect(historyOf(turns)).toBe(
      '# Import libraries.\n\nimport numpy as np\n\n# Assign 1 to x.\nx = 1\n\n# Print x.\nprint(x)\n\n',
    );
    expect(historyParts(turns)).toEqual([
      MTPB_PREFIX,
      '# Assign 1 to x.\n',
      'x = 1\n\n',
      '# Print x.\n',
      'print(x)\n\n',
    ]);
  });

  it('starts with the prelude the sandbox recognizes (it guards numpy when numpy is missing)', () => {
    expect(MTPB_PREFIX).toBe(NUMPY_PRELUDE);
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
