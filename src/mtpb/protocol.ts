import { MTPB_SAMPLING } from '../engine/generation/params.ts';
import { pyStr } from '../python/core/pyvalue.ts';
import type { PyValue } from '../python/core/pyvalue.ts';
import type { Problem } from './dataset.ts';

/**
 * The MTPB protocol of the official mtpb_sample.py, in one place: the prefix, prompt filling
 * (`str.format`), the history the model continues, the paper's sampling settings and the run
 * settings. The truncation rule is `truncate.ts`; the stop rule built on it is
 * `stop-criterion.ts` (the engine applies it when a request asks for `truncation: 'mtpb'`).
 */

export type Mode = 'multi' | 'single';

/** The benchmarks a run can be of; they share the runner, grid, storage and metrics. */
export type BenchmarkId = 'mtpb' | 'humaneval';

/** The history every MTPB program starts with (mtpb_sample.py). */
export const MTPB_PREFIX = '# Import libraries.\n\nimport numpy as np\n\n';

/**
 * The sampling of the CodeGen paper's MTPB evaluation: the official sampler's defaults. The
 * temperature and top-p are the engine's defaults (MTPB_SAMPLING), typed once there.
 */
export const PAPER_SAMPLING = {
  temperature: MTPB_SAMPLING.temperature,
  topP: MTPB_SAMPLING.topP,
  seed: 16,
  /** Samples per test case. */
  n: 1,
} as const;

/** What a run is asked to do: which problems, how, and how to sample. */
export interface RunSettings {
  /** Absent in runs saved before HumanEval existed: those are MTPB runs. */
  benchmark?: BenchmarkId;
  problemIds: string[];
  mode: Mode;
  seed: number;
  /** Samples per test case. */
  n: number;
  /** The k of the pass@k shown for the run. */
  k: number;
  temperature: number;
  topP: number;
  /**
   * HumanEval: the temperatures sampled, n samples each (one grid column each); the figures
   * are given per temperature and best of them. MTPB samples at `temperature` only.
   */
  temperatures?: number[];
  /** HumanEval: the token budget of a completion (MTPB's budgets come from the dataset). */
  maxNewTokens?: number;
}

/** Which benchmark a run is of. */
export const benchmarkOf = (settings: Pick<RunSettings, 'benchmark'>): BenchmarkId =>
  settings.benchmark ?? 'mtpb';

/** The temperatures a run samples at, in grid-column order. */
export const temperaturesOf = (
  settings: Pick<RunSettings, 'temperature' | 'temperatures'>,
): number[] => settings.temperatures ?? [settings.temperature];

/** One MTPB turn: the filled prompt and the completion kept after truncation. */
export interface Turn {
  /** The prompt with its placeholders filled. */
  prompt: string;
  /** The model's completion, already truncated by the benchmark's rules. */
  completion: string;
}

/**
 * Python's `template.format(**values)` for plain `{name}` fields, which is all MTPB uses:
 * `{{` and `}}` are literal braces, a value is inserted as str(value).
 */
export function formatTemplate(template: string, values: ReadonlyMap<string, PyValue>): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    const close = template.indexOf('}', i);
    if (close >= 0 && (open < 0 || close < open)) {
      if (template[close + 1] !== '}')
        throw new SyntaxError(`Single '}' at ${close} in format string`);
      out += template.slice(i, close + 1);
      i = close + 2;
      continue;
    }
    if (open < 0) break;
    out += template.slice(i, open);
    if (template[open + 1] === '{') {
      out += '{';
      i = open + 2;
      continue;
    }
    const end = template.indexOf('}', open);
    const name = template.slice(open + 1, end);
    if (end < 0 || !/^[A-Za-z_]\w*$/.test(name)) {
      throw new SyntaxError(
        `Unsupported format field at ${open}: ${template.slice(open, open + 20)}`,
      );
    }
    const value = values.get(name);
    if (value === undefined) throw new RangeError(`No value for "{${name}}"`);
    out += pyStr(value);
    i = end + 1;
  }
  return out + template.slice(i);
}

/** A test case's inputs (a JSON object) as the name → value map formatTemplate takes. */
export function inputsOf(value: PyValue): Map<string, PyValue> {
  if (value.t !== 'dict') throw new TypeError('MTPB inputs are a JSON object');
  return new Map(value.v.map(([key, item]) => [key.t === 'str' ? key.v : '', item]));
}

/** One test case's turn prompts, filled as `prompt.format(**input)` fills them. */
export function renderPrompts(problem: Problem, caseIndex: number): string[] {
  const inputs = problem.inputs[caseIndex];
  if (!inputs) throw new RangeError(`Problem ${problem.id} has no test case ${caseIndex + 1}`);
  return problem.prompts.map((p) => formatTemplate(p, inputs));
}

/** How a turn's prompt enters the history (mtpb_sample.py's `wrap`). */
export const wrapPrompt = (prompt: string): string => `# ${prompt}\n`;

/** How a kept completion enters the history. */
const wrapCompletion = (completion: string): string => `${completion}\n\n`;

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

/**
 * The official `prompts_completions`: the prefix, then each turn's wrapped prompt and kept
 * completion; with `next`, that turn's wrapped prompt last (what the model is asked to continue).
 */
export function historyParts(turns: readonly Turn[], next?: string): string[] {
  const parts = [MTPB_PREFIX];
  for (const turn of turns) parts.push(wrapPrompt(turn.prompt), wrapCompletion(turn.completion));
  if (next !== undefined) parts.push(wrapPrompt(next));
  return parts;
}

/**
 * The history after some turns, as the official sampler writes it: without `next` it is the
 * whole program the checker runs (the official `completions`).
 */
export function historyOf(turns: readonly Turn[], next?: string): string {
  return historyParts(turns, next).join('');
}
