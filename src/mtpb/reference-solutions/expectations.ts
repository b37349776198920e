/**
 * Where a correct reference solution does not pass here, and why. Tests assert exactly this,
 * so a list that goes stale fails.
 */

/** Problems whose programs need numpy, pandas or scikit-learn (unavailable offline). */
export const NEEDS_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  '6': ['pandas'],
  '14': ['scikit-learn', 'numpy'],
  '23': ['numpy'],
  '38': ['pandas'], // also reads a CSV file that is not public
  '46': ['pandas', 'scikit-learn'], // also reads a CSV file that is not public
  '62': ['numpy'],
  '76': ['numpy'],
  '84': ['numpy'],
  '85': ['numpy'],
  '87': ['numpy'],
  '88': ['numpy'],
};

/** Test cases no correct program passes under the official checker. */
export const OFFICIAL_QUIRKS: Readonly<Record<string, { cases: readonly number[]; why: string }>> =
  {
    '9': { cases: [2], why: 'the gold says "Mike", but John has the highest note (9)' },
    '23': { cases: [0, 1, 2, 3], why: 'the gold comes from one run of random resampling' },
    '31': { cases: [0], why: 'the gold says 17, but the prompt asks for 8 + 9 - 1 = 16' },
    '41': { cases: [1, 4], why: 'the gold is null, and the checker cannot compare None' },
    '55': { cases: [2], why: 'the gold says "True", but the sum is -3, not -5' },
    '56': { cases: [3], why: 'the gold ends in 8, but the second list is [1, 6]' },
    '89': {
      cases: [0, 1, 2, 3, 4],
      why: 'the gold is a dict, and the checker cannot compare dicts',
    },
    '91': { cases: [3, 4], why: 'the target "1" is a string, but the prompt renders it as 1' },
    '94': { cases: [1], why: 'the gold says 55, but the sequence from 9 sums to 339' },
  };

export function isQuirk(problemId: string, caseIndex: number): boolean {
  return OFFICIAL_QUIRKS[problemId]?.cases.includes(caseIndex) ?? false;
}
