import type { Problem } from '../dataset.ts';
import { formatTemplate, historyOf } from '../protocol.ts';
import { pyStr } from '../../python/core/pyvalue.ts';
import type { PyValue } from '../../python/core/pyvalue.ts';
import type { ReferenceSolution, TurnTemplate } from './types.ts';

/**
 * The program the checker runs for a reference solution on one test case: the prompts and the
 * completions filled with that case's inputs, assembled as the official sampler would.
 */
export function referenceProgram(
  problem: Problem,
  caseIndex: number,
  solution: ReferenceSolution,
  variant: 'correct' | 'wrong' = 'correct',
): string {
  const inputs = problem.inputs[caseIndex];
  if (!inputs) throw new RangeError(`Problem ${problem.id} has no test case ${caseIndex}`);
  if (solution.turns.length !== problem.prompts.length) {
    throw new RangeError(
      `Problem ${problem.id}: ${solution.turns.length} turns for ${problem.prompts.length} prompts`,
    );
  }
  const wrong = variant === 'wrong' ? solution.wrong : undefined;
  if (variant === 'wrong' && !wrong)
    throw new RangeError(`Problem ${problem.id} has no wrong solution`);
  return historyOf(
    problem.prompts.map((prompt, turn) => ({
      prompt: formatTemplate(prompt, inputs),
      completion: formatTemplate(
        wrong?.turn === turn ? wrong.completion : pick(solution.turns[turn] ?? '', inputs),
        inputs,
      ),
    })),
  );
}

function pick(template: TurnTemplate, inputs: ReadonlyMap<string, PyValue>): string {
  if (typeof template === 'string') return template;
  const value = inputs.get(template.byInput);
  const key = value === undefined ? '' : pyStr(value);
  const chosen = template.cases[key];
  if (chosen === undefined) throw new RangeError(`No completion for ${template.byInput} = ${key}`);
  return chosen;
}
