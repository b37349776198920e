import type { ScoreRow, ScoreSegment } from '../../shared/contracts/model-worker.ts';
import type { Problem } from '../dataset.ts';
import { historyParts, MTPB_PREFIX, renderPrompts, wrapPrompt } from '../protocol.ts';
import type { Mode, Turn } from '../protocol.ts';
import { byProblemId } from '../records.ts';
import type { CaseRecord } from '../records.ts';

/**
 * Prompt perplexity, the CodeGen paper's measure of how well the model understands an intent
 * written turn by turn (multi) or at once (single): the perplexity of the prompt tokens given
 * everything before them, scored by the model worker's 'score' request. A multi-turn prompt
 * is scored in the history the multi-turn run gave it (its own kept completions before it); a
 * single-turn prompt after the prefix. Lower perplexity is expected to go with higher pass
 * rates.
 */

/** One row to score: a test case's prompts in one mode, as the model reads them. */
export interface PerplexityJob {
  problemId: string;
  caseIndex: number;
  /** The multi-turn record's sample; 0 for single-turn (its prompt does not depend on it). */
  sample: number;
  mode: Mode;
  segments: ScoreSegment[];
}

/** One problem in one mode: a scatter point. */
export interface PerplexityPoint {
  problemId: string;
  mode: Mode;
  perplexity: number;
  /** The problem's pass rate in that mode, null where unknown. */
  passRate: number | null;
}

/** Problems of one mode with a pass rate, in a band of perplexities (quartiles). */
export interface PerplexityBin {
  mode: Mode;
  /** The lowest and highest perplexity in the bin. */
  from: number;
  to: number;
  /** How many problems the bin holds, and which. */
  problems: number;
  problemIds: string[];
  meanPassRate: number;
}

export interface ProblemPerplexity {
  problemId: string;
  /** Pooled over the problem's scored rows of the mode; null where none was scored. */
  multi: number | null;
  single: number | null;
}

export interface PerplexitySummary {
  /** In benchmark order. */
  problems: ProblemPerplexity[];
  /** The mean over problems of each problem's perplexity in the mode (null: no problem has one). */
  meanByMode: Record<Mode, number | null>;
  /** Problem by problem, multi then single: every problem and mode with a perplexity. */
  points: PerplexityPoint[];
  /** Per mode, up to BINS bins of equal problem counts by perplexity, lowest first. */
  bins: PerplexityBin[];
  /** Rows left out because they did not fit the model's context, per mode. */
  overflow: Record<Mode, number>;
}

/** Quartiles: each mode's problems in four bins of equal count (fewer with fewer problems). */
export const BINS = 4;

const MODE_ORDER: readonly Mode[] = ['multi', 'single'];

/**
 * A multi-turn case's prompts in its history, exactly as the multi-turn sampler built it
 * (historyParts): the prefix unscored, each turn's wrapped prompt scored, each kept completion
 * (with its "\n\n") unscored. The last turn's completion comes after the last prompt and is
 * left out.
 */
export function multiTurnSegments(turns: readonly Turn[]): ScoreSegment[] {
  const last = turns.at(-1);
  if (!last) throw new RangeError('A multi-turn case without turns has no prompt to score.');
  // [prefix, prompt 1, completion 1, …, prompt n]: prompts at odd indices.
  return historyParts(turns.slice(0, -1), last.prompt).map((text, i) => ({
    text,
    scored: i % 2 === 1,
  }));
}

/**
 * A single-turn case's prompt as turnsFor(problem, c, 'single') writes it — every turn's
 * prompt as its own comment line — wrapped, after the unscored prefix.
 */
export function singleTurnSegments(prompts: readonly string[]): ScoreSegment[] {
  return [
    { text: MTPB_PREFIX, scored: false },
    { text: wrapPrompt(prompts.join('\n# ')), scored: true },
  ];
}

/**
 * What to score for a multi-turn run: each multi-mode record's prompts with that run's own
 * kept completions, and each of its test cases once as a single-turn prompt. Jobs in benchmark
 * order: problem by problem, its multi-turn rows (by case, then sample), then its single-turn
 * ones (by case). Records of problems not in `problems` get no single-turn job.
 */
export function perplexityJobs(
  problems: readonly Problem[],
  multiRecords: readonly CaseRecord[],
): PerplexityJob[] {
  const byId = new Map(problems.map((problem) => [problem.id, problem]));
  const records = multiRecords
    .filter((record) => record.mode === 'multi' && record.turns.length > 0)
    .sort(
      (a, b) =>
        byProblemId(a.problemId, b.problemId) || a.caseIndex - b.caseIndex || a.sample - b.sample,
    );
  const jobs: PerplexityJob[] = [];
  let at = 0;
  while (at < records.length) {
    const problemId = records[at]!.problemId;
    const cases = new Set<number>();
    for (; at < records.length && records[at]!.problemId === problemId; at++) {
      const { caseIndex, sample, turns } = records[at]!;
      cases.add(caseIndex);
      jobs.push({
        problemId,
        caseIndex,
        sample,
        mode: 'multi',
        segments: multiTurnSegments(turns),
      });
    }
    const problem = byId.get(problemId);
    if (!problem) continue;
    for (const caseIndex of cases) {
      const segments = singleTurnSegments(renderPrompts(problem, caseIndex));
      jobs.push({ problemId, caseIndex, sample: 0, mode: 'single', segments });
    }
  }
  return jobs;
}

/** A scored row's perplexity, exp(−logprob / tokens); null when it overflowed or scored nothing. */
export function perplexityOf(row: ScoreRow): number | null {
  if (row.overflow || row.tokens === 0) return null;
  return Math.exp(-row.logprob / row.tokens);
}

/**
 * Per problem and mode, the perplexity pooled over its jobs (exp(−Σ logprob / Σ tokens), rows
 * that overflowed left out); their mean per mode over problems (each mode over the problems
 * it has a perplexity for); and, against `passRates`, scatter points and quartile bins.
 * `rows[i]` is the score of `jobs[i]`.
 */
export function summarizePerplexity(
  jobs: readonly PerplexityJob[],
  rows: readonly ScoreRow[],
  passRates: ReadonlyMap<string, { multi: number | null; single: number | null }>,
): PerplexitySummary {
  if (rows.length !== jobs.length)
    throw new RangeError(`${jobs.length} jobs but ${rows.length} scored rows.`);
  const pooled = new Map<string, Record<Mode, { logprob: number; tokens: number }>>();
  const overflow: Record<Mode, number> = { multi: 0, single: 0 };
  jobs.forEach((job, i) => {
    const row = rows[i]!;
    let sums = pooled.get(job.problemId);
    if (!sums) {
      sums = { multi: { logprob: 0, tokens: 0 }, single: { logprob: 0, tokens: 0 } };
      pooled.set(job.problemId, sums);
    }
    if (row.overflow) {
      overflow[job.mode]++;
      return;
    }
    sums[job.mode].logprob += row.logprob;
    sums[job.mode].tokens += row.tokens;
  });
  const perplexity = (s: { logprob: number; tokens: number }): number | null =>
    s.tokens > 0 ? Math.exp(-s.logprob / s.tokens) : null;
  const problems: ProblemPerplexity[] = [...pooled]
    .sort(([a], [b]) => byProblemId(a, b))
    .map(([problemId, sums]) => ({
      problemId,
      multi: perplexity(sums.multi),
      single: perplexity(sums.single),
    }));
  const points: PerplexityPoint[] = problems.flatMap((problem) =>
    MODE_ORDER.flatMap((mode) => {
      const value = problem[mode];
      if (value === null) return [];
      const passRate = passRates.get(problem.problemId)?.[mode] ?? null;
      return [{ problemId: problem.problemId, mode, perplexity: value, passRate }];
    }),
  );
  const meanOf = (values: readonly number[]): number | null =>
    values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
  const meanByMode: Record<Mode, number | null> = {
    multi: meanOf(points.filter((p) => p.mode === 'multi').map((p) => p.perplexity)),
    single: meanOf(points.filter((p) => p.mode === 'single').map((p) => p.perplexity)),
  };
  const bins = MODE_ORDER.flatMap((mode) =>
    binByPerplexity(
      mode,
      points.filter((p) => p.mode === mode),
    ),
  );
  return { problems, meanByMode, points, bins, overflow };
}

/** The points with a pass rate, by perplexity, in min(BINS, n) bins of equal count (±1). */
function binByPerplexity(mode: Mode, points: readonly PerplexityPoint[]): PerplexityBin[] {
  const rated = points
    .filter((p): p is PerplexityPoint & { passRate: number } => p.passRate !== null)
    .sort((a, b) => a.perplexity - b.perplexity || byProblemId(a.problemId, b.problemId));
  const n = rated.length;
  const count = Math.min(BINS, n);
  return Array.from({ length: count }, (_, i) => {
    const members = rated.slice(Math.floor((i * n) / count), Math.floor(((i + 1) * n) / count));
    return {
      mode,
      from: members[0]!.perplexity,
      to: members.at(-1)!.perplexity,
      problems: members.length,
      problemIds: members.map((p) => p.problemId),
      meanPassRate: members.reduce((s, p) => s + p.passRate, 0) / members.length,
    };
  });
}
