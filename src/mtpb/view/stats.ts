import { judgedRate } from '../metrics.ts';
import type { Rate } from '../metrics.ts';
import { byProblemId, caseKey } from '../records.ts';
import { CASE_STATUSES } from '../records.ts';
import type { CaseRecord, CaseStatus } from '../records.ts';
import type { CellView } from '../run-controller.ts';
import type { RunMeta } from '../storage/run-store.ts';

/** What a grid cell shows; `not-run` is a case a stopped or opened run never reached. */
export type CellStatus = 'queued' | 'generating' | 'executing' | 'not-run' | CaseStatus;

export const FINAL_STATUSES: readonly CellStatus[] = CASE_STATUSES;

export function cellStatus(view: CellView | undefined, live: boolean): CellStatus {
  if (!view) return live ? 'queued' : 'not-run';
  if (view.kind === 'done') return view.record.status;
  if (view.kind === 'queued') return live ? 'queued' : 'not-run';
  return view.kind;
}

export interface GridCell {
  key: string;
  caseIndex: number;
  sample: number;
  view: CellView | undefined;
}

export interface GridRow {
  problemId: string;
  name: string;
  categories: readonly string[];
  cells: GridCell[];
}

/** Splits a caseKey from the end, so a problem id that holds '/' still parses. */
export function parseCaseKey(
  key: string,
): { problemId: string; caseIndex: number; sample: number } | null {
  const last = key.lastIndexOf('/');
  const middle = key.lastIndexOf('/', last - 1);
  if (middle <= 0) return null;
  const caseIndex = Number(key.slice(middle + 1, last));
  const sample = Number(key.slice(last + 1));
  if (!Number.isInteger(caseIndex) || !Number.isInteger(sample)) return null;
  return { problemId: key.slice(0, middle), caseIndex, sample };
}

export { byProblemId };

/** What the grid needs of a benchmark's problem: its label and how many cases a run gives it. */
export interface GridProblem {
  id: string;
  name: string;
  category: readonly string[];
  cases: number;
}

/**
 * The grid of a run: one row per problem, one cell per test case × sample. Cells come from
 * the controller's map, plus the cases the run expects but has not reached (a stopped run
 * opened from storage holds only finished cases; a replay only announces a case as it runs).
 */
export function gridRows(
  run: RunMeta | null,
  cells: ReadonlyMap<string, CellView>,
  problems: readonly GridProblem[] | null,
  expectedKeys: readonly string[],
): GridRow[] {
  const keys = new Set<string>(cells.keys());
  for (const key of expectedKeys) keys.add(key);
  const byId = new Map(problems?.map((p) => [p.id, p]));
  if (run?.kind === 'live' && problems) {
    for (const id of run.settings.problemIds) {
      const cases = byId.get(id)?.cases ?? 0;
      for (let c = 0; c < cases; c++)
        for (let s = 0; s < run.settings.n; s++) keys.add(caseKey(id, c, s));
    }
  }
  const rows = new Map<string, GridCell[]>();
  for (const key of keys) {
    const parsed = parseCaseKey(key);
    if (!parsed) continue;
    const list = rows.get(parsed.problemId) ?? [];
    list.push({ key, caseIndex: parsed.caseIndex, sample: parsed.sample, view: cells.get(key) });
    rows.set(parsed.problemId, list);
  }
  return [...rows.keys()].sort(byProblemId).map((problemId) => {
    const problem = byId.get(problemId);
    return {
      problemId,
      name: problem?.name ?? (/\D/.test(problemId) ? '' : `Problem ${problemId}`),
      categories: problem?.category ?? [],
      cells: (rows.get(problemId) ?? []).sort(
        (a, b) => a.caseIndex - b.caseIndex || a.sample - b.sample,
      ),
    };
  });
}

export interface ProblemDiff {
  problemId: string;
  a: Rate;
  b: Rate;
  /** 0-based test cases whose verdicts differ (any sample). */
  cases: number[];
}

/** The problems where two runs' verdicts differ, over the cases both runs finished. */
export function diffRuns(a: readonly CaseRecord[], b: readonly CaseRecord[]): ProblemDiff[] {
  const index = (records: readonly CaseRecord[]): Map<string, CaseRecord> =>
    new Map(records.map((r) => [caseKey(r.problemId, r.caseIndex, r.sample), r]));
  const left = index(a);
  const right = index(b);
  const problems = new Map<string, { a: CaseRecord[]; b: CaseRecord[]; cases: Set<number> }>();
  for (const [key, ra] of left) {
    const rb = right.get(key);
    if (!rb) continue;
    const entry = problems.get(ra.problemId) ?? { a: [], b: [], cases: new Set<number>() };
    entry.a.push(ra);
    entry.b.push(rb);
    if (ra.status !== rb.status) entry.cases.add(ra.caseIndex);
    problems.set(ra.problemId, entry);
  }
  return [...problems.entries()]
    .filter(([, entry]) => entry.cases.size > 0)
    .sort(([x], [y]) => byProblemId(x, y))
    .map(([problemId, entry]) => ({
      problemId,
      a: judgedRate(entry.a),
      b: judgedRate(entry.b),
      cases: [...entry.cases].sort((x, y) => x - y),
    }));
}

/** An MTPB file's problems as the grid lists them: one column per test case. */
export const mtpbGridProblems = (
  problems: ReadonlyArray<{
    id: string;
    name: string;
    category: readonly string[];
    inputs: readonly unknown[];
  }>,
): GridProblem[] =>
  problems.map((p) => ({ id: p.id, name: p.name, category: p.category, cases: p.inputs.length }));
