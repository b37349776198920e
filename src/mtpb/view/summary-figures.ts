import { percent } from '../metrics.ts';
import type { RunMetrics } from '../metrics.ts';

/** The text of the run summary's figures, from `runMetrics` (the command line prints the same). */
export function summaryFigures({ summary, passAtK, categories }: RunMetrics, k: number) {
  return {
    passRate: percent(summary.rate),
    passRateNote: `(${summary.passed} of ${summary.judged} judged; unavailable cases not counted)`,
    counts: `✓ ${summary.byStatus.pass} pass · ✗ ${summary.byStatus.fail} fail · ◷ ${summary.byStatus.timeout} timeout · ⚠ ${summary.byStatus.error} error · ⊘ ${summary.byStatus.unavailable} unavailable (not counted)`,
    passAtK: {
      label: `pass@${k}`,
      value: passAtK ? percent(passAtK.value) : null,
      note: passAtK
        ? `(mean over ${passAtK.cases} test cases with ${k === 1 ? 'a judged sample' : `≥ ${k} judged samples`}; unavailable samples not counted)`
        : `— (no test case has ${k === 1 ? 'a judged sample' : `${k} judged samples`} yet)`,
    },
    categories: categories.map((c) => ({
      category: c.category,
      rate: c.rate,
      figure: `${percent(c.rate)} (${c.passed}/${c.judged})`,
    })),
  };
}
