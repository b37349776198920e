import { PAPER_SAMPLING } from '../protocol.ts';
import type { Mode, RunSettings } from '../protocol.ts';
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
};

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
