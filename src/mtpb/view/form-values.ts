import { PAPER_SAMPLING } from '../protocol.ts';
import type { BenchmarkId, Mode, RunSettings } from '../protocol.ts';
import { HUMANEVAL_SAMPLING } from '../../humaneval/protocol.ts';
import { parseProblemSelection } from '../selection.ts';
import { isAppError } from '../../shared/errors.ts';

/** The run form as typed: strings until Run is pressed. */
export interface FormValues {
  mode: Mode;
  problems: string;
  seed: string;
  n: string;
  k: string;
  temperature: string;
  topP: string;
  /** HumanEval: comma-separated temperatures, one grid column each. */
  temperatures: string;
  /** HumanEval: tokens per completion. */
  maxNewTokens: string;
}

export type FormField = Exclude<keyof FormValues, 'mode'>;

/** The official sampler's settings (PAPER_SAMPLING). */
export const DEFAULT_FORM: FormValues = {
  mode: 'multi',
  problems: '',
  seed: String(PAPER_SAMPLING.seed),
  n: String(PAPER_SAMPLING.n),
  k: '1',
  temperature: String(PAPER_SAMPLING.temperature),
  topP: String(PAPER_SAMPLING.topP),
  temperatures: String(HUMANEVAL_SAMPLING.temperatures[0]),
  maxNewTokens: String(HUMANEVAL_SAMPLING.maxNewTokens),
};

/** HumanEval's defaults: a quick look (one sample at 0.2), the paper's top-p and seed. */
export const HUMANEVAL_FORM: FormValues = {
  ...DEFAULT_FORM,
  mode: 'single',
  seed: String(HUMANEVAL_SAMPLING.seed),
  n: String(HUMANEVAL_SAMPLING.n),
  topP: String(HUMANEVAL_SAMPLING.topP),
};

/** The CodeGen paper's HumanEval setting: three temperatures, enough samples for pass@100. */
export const HUMANEVAL_PAPER_FORM: Partial<FormValues> = {
  temperatures: HUMANEVAL_SAMPLING.temperatures.join(', '),
  n: '100',
  topP: String(HUMANEVAL_SAMPLING.topP),
};

/** HumanEval task ids by the number a selection names (`HumanEval/12` ← "12"). */
const taskIdsByNumber = (ids: readonly string[]): Map<string, string> =>
  new Map(ids.map((id) => [/(\d+)$/.exec(id)?.[1] ?? id, id]));

const integer = (text: string): number | null => {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(value) ? value : null;
};

const decimal = (text: string): number | null => {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(value) ? value : null;
};

/** The request the form describes, or a message per field that is wrong. */
export function readForm(
  values: FormValues,
  knownIds: readonly string[],
  benchmark: BenchmarkId = 'mtpb',
): { request: RunSettings } | { errors: Partial<Record<FormField, string>> } {
  return benchmark === 'humaneval'
    ? readHumanEvalForm(values, knownIds)
    : readMtpbForm(values, knownIds);
}

function readHumanEvalForm(
  values: FormValues,
  knownIds: readonly string[],
): { request: RunSettings } | { errors: Partial<Record<FormField, string>> } {
  const byNumber = taskIdsByNumber(knownIds);
  // Problems, seed and top-p read as MTPB's; temperatures, n and the budget are checked here.
  const temperatures = values.temperatures.split(',').map((t) => decimal(t));
  const mtpb = readMtpbForm({ ...values, temperature: '0.2', k: '1', n: '1' }, [
    ...byNumber.keys(),
  ]);
  const errors = 'errors' in mtpb ? { ...mtpb.errors } : {};
  if (
    temperatures.length === 0 ||
    temperatures.some((t) => t === null || t <= 0 || t > 2) ||
    new Set(temperatures).size !== temperatures.length
  )
    errors.temperatures = 'Distinct temperatures above 0 and at most 2, e.g. 0.2, 0.6, 0.8.';
  const n = integer(values.n);
  if (n === null || n < 1 || n > 200) errors.n = 'From 1 to 200 samples.';
  const budget = integer(values.maxNewTokens);
  if (budget === null || budget < 1 || budget > 2048)
    errors.maxNewTokens = 'From 1 to 2048 tokens.';
  if (Object.keys(errors).length > 0 || 'errors' in mtpb || n === null || budget === null)
    return { errors };
  const request = mtpb.request;
  return {
    request: {
      ...request,
      benchmark: 'humaneval',
      mode: 'single',
      n,
      k: 1,
      problemIds: request.problemIds.map((num) => byNumber.get(num) ?? num),
      temperature: temperatures[0] ?? HUMANEVAL_SAMPLING.temperatures[0],
      temperatures: temperatures.filter((t) => t !== null),
      maxNewTokens: budget,
    },
  };
}

function readMtpbForm(
  values: FormValues,
  knownIds: readonly string[],
): { request: RunSettings } | { errors: Partial<Record<FormField, string>> } {
  const errors: Partial<Record<FormField, string>> = {};
  let problemIds: string[] = [];
  try {
    problemIds = parseProblemSelection(values.problems, knownIds);
    if (problemIds.length === 0) errors.problems = 'No problem selected.';
  } catch (error) {
    errors.problems = isAppError(error) ? error.message : String(error);
  }
  const seed = integer(values.seed);
  if (seed === null || seed < 0) errors.seed = 'A whole number, 0 or more.';
  const n = integer(values.n);
  if (n === null || n < 1 || n > 100) errors.n = 'From 1 to 100 samples.';
  const k = integer(values.k);
  if (k === null || k < 1 || (n !== null && k > n)) errors.k = 'From 1 to n.';
  const temperature = decimal(values.temperature);
  if (temperature === null || temperature <= 0 || temperature > 2)
    errors.temperature = 'Above 0, at most 2.';
  const topP = decimal(values.topP);
  if (topP === null || topP <= 0 || topP > 1) errors.topP = 'Above 0, at most 1.';
  if (
    Object.keys(errors).length > 0 ||
    seed === null ||
    n === null ||
    k === null ||
    temperature === null ||
    topP === null
  )
    return { errors };
  return { request: { problemIds, mode: values.mode, seed, n, k, temperature, topP } };
}
