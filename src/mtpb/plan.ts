import type { Problem } from './dataset.ts';
import { dictOf } from './dataset.ts';
import { historyOf, historyParts, turnsFor } from './protocol.ts';
import type { Mode } from './protocol.ts';
import type { ProblemPlan } from './runner.ts';

/**
 * An MTPB problem as the benchmark runner plans it (mtpb_sample.py and mtpb_exec.py): one
 * case per test case, all at the run's temperature; turns filled from the case's inputs; the
 * history with the official prefix; the whole history judged against the gold output.
 */
export function mtpbPlan(problem: Problem, mode: Mode, temperature: number): ProblemPlan {
  return {
    id: problem.id,
    cases: problem.inputs.length,
    temperature: () => temperature,
    turns: (caseIndex) => turnsFor(problem, caseIndex, mode),
    history: (turns, next) => historyOf(turns, next),
    judge: (caseIndex, turns) => {
      const inputs = problem.inputs[caseIndex];
      const gold = problem.outputs[caseIndex];
      return {
        program: historyOf(turns),
        check: gold ? { kind: 'output', gold } : null,
        input: inputs ? dictOf(inputs) : { t: 'none' },
        goldOutput: gold ?? { t: 'none' },
        promptsCompletions: historyParts(turns),
        mode,
      };
    },
  };
}
