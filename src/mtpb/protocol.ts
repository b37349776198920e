import { formatTemplate, MTPB_PREFIX } from '../python/core/program.ts';
import type { Problem } from './dataset.ts';

export type Mode = 'multi' | 'single';

/** One test case's turn prompts, filled as `prompt.format(**input)` fills them. */
export function renderPrompts(problem: Problem, caseIndex: number): string[] {
  const inputs = problem.inputs[caseIndex];
  if (!inputs) throw new RangeError(`Problem ${problem.id} has no test case ${caseIndex + 1}`);
  return problem.prompts.map((p) => formatTemplate(p, inputs));
}

/** How a turn's prompt enters the history (mtpb_sample.py's `wrap`). */
export const wrapPrompt = (prompt: string): string => `# ${prompt}\n`;

/**
 * The turns the model is asked, in order, with their token budgets.
 * Multi-turn (the paper's protocol): one turn per prompt, each with max_gen_length tokens.
 * Single-turn: the same intent as ONE turn — every prompt as its own comment line, one after
 * another, then a single completion whose budget is the sum of the turns' budgets.
 */
export function turnsFor(
  problem: Problem,
  caseIndex: number,
  mode: Mode,
): Array<{ prompt: string; budget: number }> {
  const prompts = renderPrompts(problem, caseIndex);
  if (mode === 'multi') return prompts.map((prompt) => ({ prompt, budget: problem.maxGenLength }));
  return [{ prompt: prompts.join('\n# '), budget: problem.maxGenLength * prompts.length }];
}

/** The history after some turns: the prefix, then each turn's wrapped prompt and kept completion. */
export function historyOf(
  turns: ReadonlyArray<{ prompt: string; completion: string }>,
  next?: string,
): string {
  let history = MTPB_PREFIX;
  for (const turn of turns) history += wrapPrompt(turn.prompt) + `${turn.completion}\n\n`;
  return next === undefined ? history : history + wrapPrompt(next);
}

/** The unbiased pass@k estimator of Chen et al. (2021): 1 − C(n−c, k) / C(n, k). */
export function passAtK(n: number, c: number, k: number): number {
  if (
    !(Number.isInteger(n) && Number.isInteger(c) && Number.isInteger(k)) ||
    n < 1 ||
    k < 1 ||
    c < 0 ||
    c > n ||
    k > n
  ) {
    throw new RangeError(`pass@k needs 0 ≤ c ≤ n and 1 ≤ k ≤ n (got n=${n}, c=${c}, k=${k})`);
  }
  if (n - c < k) return 1;
  // The product form avoids huge binomials: C(n−c, k)/C(n, k) = Π_{i=n−c+1..n} (1 − k/i).
  let fail = 1;
  for (let i = n - c + 1; i <= n; i++) fail *= 1 - k / i;
  return 1 - fail;
}
