import { afterAll, describe, expect, it } from 'vitest';
import type { Problem } from '../dataset.ts';
import { loadMtpbDataset, MTPB_PATH } from '../dataset.node.ts';
import { formatTemplate } from '../protocol.ts';
import { pyRepr, strRepr } from '../../python/core/pyvalue.ts';
import type { Verdict } from '../../python/core/verdict.ts';
import { referenceProgram } from './assemble.ts';
import { isQuirk, NEEDS_PACKAGES } from './expectations.ts';
import { referenceSolutions } from './index.ts';
import { createNodeRunner } from '../../python/node/test-runner.node.ts';

const problems = loadMtpbDataset();
if (!problems) console.warn(`Skipping the reference solutions: ${MTPB_PATH} is absent.`);

// Reference solutions are trusted: forty problems share a worker to save boots.
const runner = createNodeRunner({ timeLimitMs: 10_000, problemsPerWorker: 40 });
afterAll(() => runner.dispose());

async function verdicts(problem: Problem, variant: 'correct' | 'wrong'): Promise<Verdict[]> {
  const solution = referenceSolutions[problem.id];
  if (!solution) throw new Error(`No reference solution for problem ${problem.id}`);
  const out: Verdict[] = [];
  for (const [i, output] of problem.outputs.entries()) {
    const program = referenceProgram(problem, i, solution, variant);
    const { verdict } = await runner.runCase({ program, expected: output });
    if (!verdict) throw new Error('a case with a gold output has a verdict');
    out.push(verdict);
  }
  runner.endProblem();
  return out;
}

describe.skipIf(!problems)('MTPB reference solutions', () => {
  const all = problems ?? [];

  it('has a solution for every problem, one completion per turn', () => {
    expect(all).toHaveLength(115);
    for (const problem of all) {
      expect(referenceSolutions[problem.id]?.turns.length, `problem ${problem.id}`).toBe(
        problem.prompts.length,
      );
    }
    const wrong = all.filter((p) => referenceSolutions[p.id]?.wrong !== undefined);
    expect(wrong.length).toBeGreaterThanOrEqual(30);
  });

  it('fills prompts exactly as Python str.format does', async () => {
    for (const problem of all) {
      for (const inputs of problem.inputs) {
        const template = problem.prompts.join('\n');
        const names = [...inputs.keys()].map((k) => `${k}=${k}`).join(', ');
        const bindings = [...inputs].map(([k, v]) => `${k} = ${pyRepr(v)}`).join('\n');
        const program = `${bindings}\nprint(${strRepr(template)}.format(${names}))`;
        const expected = { t: 'str' as const, v: formatTemplate(template, inputs) };
        const { verdict, outcome } = await runner.runCase({ program, expected });
        expect(verdict, `problem ${problem.id}: ${outcome.error ?? ''}`).toEqual({
          state: 'pass',
          note: null,
        });
      }
    }
    runner.endProblem();
  });

  it.each(all.map((p) => [p.id, p.name, p] as const))(
    'problem %s (%s): the correct solution passes',
    async (id, _name, problem) => {
      const results = await verdicts(problem, 'correct');
      results.forEach((verdict, i) => {
        const label = `problem ${id}, case ${i}: ${JSON.stringify(verdict)}`;
        if (NEEDS_PACKAGES[id]) expect(verdict.state, label).toBe('unavailable');
        else if (isQuirk(id, i)) expect(verdict.state, label).toBe('fail');
        else expect(verdict, label).toEqual({ state: 'pass', note: null });
      });
    },
  );

  const withWrong = all.filter((p) => referenceSolutions[p.id]?.wrong !== undefined);
  it.each(withWrong.map((p) => [p.id, referenceSolutions[p.id]?.wrong?.why ?? '', p] as const))(
    'problem %s: the wrong solution (%s) fails',
    async (id, _why, problem) => {
      const results = await verdicts(problem, 'wrong');
      expect(
        results.some((v) => v.state === 'unavailable'),
        `problem ${id}`,
      ).toBe(false);
      expect(
        results.some((v) => v.state === 'fail'),
        `problem ${id}: ${JSON.stringify(results)}`,
      ).toBe(true);
    },
  );
});
