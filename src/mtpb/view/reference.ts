import { OFFICIAL_QUIRKS } from '../reference-solutions/expectations.ts';

/** MTPB pass rates (%) as reported in the CodeGen paper's analysis of multi- vs single-turn. */
export const PAPER_MTPB: ReadonlyArray<{
  model: string;
  matches: (label: string) => boolean;
  multi: number;
  single: number;
}> = [
  {
    model: 'CodeGen-Mono 350M',
    matches: (label) => /350\s*m/i.test(label) && /mono/i.test(label),
    multi: 16.98,
    single: 5.75,
  },
  {
    model: 'CodeGen-Mono 16.1B',
    matches: (label) => /16(\.1)?\s*b/i.test(label) && /mono/i.test(label),
    multi: 47.34,
    single: 38.74,
  },
];

export interface DatasetFlaw {
  problemId: string;
  /** 0-based, as in CaseRecord. */
  caseIndex: number;
  why: string;
}

/**
 * Test cases of the published mtpb.jsonl that no correct program passes under the official
 * checker (dict and None golds it cannot compare; golds that look wrong). The list is the one
 * the Python sandbox's tests assert, so the UI and the checker cannot drift apart.
 */
export function flawsOf(problemId: string): DatasetFlaw[] {
  const quirk = OFFICIAL_QUIRKS[problemId];
  return quirk ? quirk.cases.map((caseIndex) => ({ problemId, caseIndex, why: quirk.why })) : [];
}

export function flawOf(problemId: string, caseIndex: number): DatasetFlaw | undefined {
  return flawsOf(problemId).find((f) => f.caseIndex === caseIndex);
}
