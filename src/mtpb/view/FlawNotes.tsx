import { flawsOf } from './reference.ts';
import type { GridRow } from './stats.ts';

/** The known flaws of the published MTPB file that touch the problems on screen. */
export function FlawNotes({ rows }: { rows: readonly GridRow[] }) {
  const flaws = rows.flatMap((row) =>
    flawsOf(row.problemId).filter((f) => row.cells.some((c) => c.caseIndex === f.caseIndex)),
  );
  if (flaws.length === 0) return null;
  // One line per problem: its flawed tests share a reason.
  const byProblem = new Map<string, { tests: number[]; why: string }>();
  for (const flaw of flaws) {
    const entry = byProblem.get(flaw.problemId) ?? { tests: [], why: flaw.why };
    entry.tests.push(flaw.caseIndex + 1);
    byProblem.set(flaw.problemId, entry);
  }
  return (
    <details className="notice warn bench-flaws" data-testid="flaw-notes">
      <summary>
        ⚑ {flaws.length} test case{flaws.length === 1 ? '' : 's'} here cannot pass: known flaws of
        the MTPB file
      </summary>
      <p>
        No correct program passes these under the official checker (it cannot compare dicts or None,
        and some gold outputs look wrong), so they count as failures here, as they do under the
        official harness.
      </p>
      <ul>
        {[...byProblem.entries()].map(([id, entry]) => (
          <li key={id}>
            Problem {id}, test{entry.tests.length === 1 ? '' : 's'} {entry.tests.join(', ')}:{' '}
            {entry.why}
          </li>
        ))}
      </ul>
    </details>
  );
}
