/**
 * A completion template for one turn: Python code written as a model would write it after
 * reading the prompt, with the test case's inputs as `{name}` fields (str.format syntax, the
 * dataset's own: literal braces are doubled). Where the prompt's wording, not just a value,
 * changes with the input (problem 11: "initialize it with inverted my_dict"), the completion is
 * chosen by str() of that input.
 */
export type TurnTemplate = string | { byInput: string; cases: Readonly<Record<string, string>> };

export interface ReferenceSolution {
  turns: readonly TurnTemplate[];
  /** A deliberately wrong variant: one turn replaced. It must fail at least one test case. */
  wrong?: { turn: number; completion: string; why: string };
}

export type SolutionSet = Readonly<Record<string, ReferenceSolution>>;

/** Template literal tag for Python code: backslashes stay as written. */
export const py = String.raw;
