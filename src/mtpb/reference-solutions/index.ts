import { solutions001to020 } from './problems-001-020.ts';
import { solutions021to040 } from './problems-021-040.ts';
import { solutions041to060 } from './problems-041-060.ts';
import { solutions061to080 } from './problems-061-080.ts';
import { solutions081to100 } from './problems-081-100.ts';
import { solutions101to115 } from './problems-101-115.ts';
import type { SolutionSet } from './types.ts';

export type { ReferenceSolution, SolutionSet, TurnTemplate } from './types.ts';

/** A reference solution for each of the 115 MTPB problems, by problem id. */
export const referenceSolutions: SolutionSet = {
  ...solutions001to020,
  ...solutions021to040,
  ...solutions041to060,
  ...solutions061to080,
  ...solutions081to100,
  ...solutions101to115,
};
