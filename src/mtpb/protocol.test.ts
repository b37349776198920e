import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDataset } from './dataset.ts';
import { historyOf, passAtK, renderPrompts, turnsFor } from './protocol.ts';
import { askPython, hasMtpb, MTPB_PATH } from './python-fixtures.node.ts';

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

describe('passAtK', () => {
  it('matches the closed form and its edge cases', () => {
    expect(passAtK(1, 1, 1)).toBe(1);
    expect(passAtK(1, 0, 1)).toBe(0);
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 12);
    // 1 − C(7,5)/C(10,5) = 1 − 21/252
    expect(passAtK(10, 3, 5)).toBeCloseTo(1 - 21 / 252, 12);
    expect(passAtK(5, 4, 2)).toBe(1);
    expect(() => passAtK(3, 4, 1)).toThrow(RangeError);
  });
});
