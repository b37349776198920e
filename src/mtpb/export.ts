import { parsePyJson } from '../python/core/pyjson.ts';
import type { PyValue } from '../python/core/pyvalue.ts';
import { entryOf } from './dataset.ts';
import { summarize } from './metrics.ts';
import { pyJsonDumps } from '../python/core/pyjson-dumps.ts';
import { byProblemId } from './records.ts';
import type { CaseRecord, CaseStatus, ExecResult } from './records.ts';
import type { Job } from './runner.ts';

/** One line of the export: the official sample format plus our verdict fields. */
export interface SampleLine {
  id: string;
  /** Python values, written back exactly as they were read (see src/python/core/pyjson-dumps.ts). */
  input: PyValue;
  gold_output: PyValue;
  completions: string;
  prompts_completions: string[];
  status?: CaseStatus;
  passed?: boolean;
  printed?: string | null;
}

export function toSampleLine(record: CaseRecord): SampleLine {
  return {
    id: record.problemId,
    input: record.input,
    gold_output: record.goldOutput,
    completions: record.program,
    prompts_completions: record.promptsCompletions,
    status: record.status,
    passed: record.passed,
    printed: record.printed,
  };
}

const str = (v: string): PyValue => ({ t: 'str', v });

/** A sample line as one JSON line, in Python's json.dumps style and with Python's value kinds. */
export function sampleLineJson(line: SampleLine): string {
  const entries: Array<[string, PyValue]> = [
    ['id', str(line.id)],
    ['input', line.input],
    ['gold_output', line.gold_output],
    ['completions', str(line.completions)],
    ['prompts_completions', { t: 'list', v: line.prompts_completions.map(str) }],
  ];
  if (line.status !== undefined) entries.push(['status', str(line.status)]);
  if (line.passed !== undefined) entries.push(['passed', { t: 'bool', v: line.passed }]);
  if (line.printed !== undefined)
    entries.push(['printed', line.printed === null ? { t: 'none' } : str(line.printed)]);
  return pyJsonDumps({ t: 'dict', v: entries.map(([k, v]) => [str(k), v]) });
}

/** JSONL in the order of problems, cases and samples, as mtpb_sample.py writes it. */
export function exportJsonl(records: readonly CaseRecord[]): string {
  const ordered = [...records].sort(
    (a, b) =>
      Number(a.problemId) - Number(b.problemId) || a.caseIndex - b.caseIndex || a.sample - b.sample,
  );
  return (
    ordered.map((r) => sampleLineJson(toSampleLine(r))).join('\n') + (ordered.length ? '\n' : '')
  );
}

const csvCell = (value: string | number): string => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** One row per problem: cases, passes per status, pass rate (unavailable not counted); a total row last. */
export function exportCsv(
  records: readonly CaseRecord[],
  names: ReadonlyMap<string, string> = new Map(),
): string {
  const byProblem = new Map<string, CaseRecord[]>();
  for (const record of records)
    byProblem.set(record.problemId, [...(byProblem.get(record.problemId) ?? []), record]);
  const header = [
    'problem',
    'name',
    'cases',
    'pass',
    'fail',
    'timeout',
    'error',
    'unavailable',
    'pass_rate',
  ];
  const row = (id: string, name: string, list: CaseRecord[]): string => {
    const s = summarize(list);
    return [
      id,
      name,
      s.cases,
      s.byStatus.pass,
      s.byStatus.fail,
      s.byStatus.timeout,
      s.byStatus.error,
      s.byStatus.unavailable,
      s.rate.toFixed(4),
    ]
      .map(csvCell)
      .join(',');
  };
  const lines = [...byProblem.keys()]
    .sort(byProblemId)
    .map((id) => row(id, names.get(id) ?? '', byProblem.get(id) ?? []));
  return [header.join(','), ...lines, row('total', '', [...records])].join('\n') + '\n';
}

export interface ImportedLine {
  line: number;
  sample: SampleLine;
  caseIndex: number;
  sampleIndex: number;
}

/**
 * Reads a samples JSONL (ours, or one written by the official mtpb_sample.py) for replay.
 * Values are read as Python reads them (1.0 stays a float) and kept so for export.
 * Bad lines are reported with their number; good lines still load.
 */
export function parseSamples(text: string): {
  samples: ImportedLine[];
  errors: Array<{ line: number; message: string }>;
} {
  const samples: ImportedLine[] = [];
  const errors: Array<{ line: number; message: string }> = [];
  // Official files hold n samples per test case; number cases by distinct input per problem.
  const inputsSeen = new Map<string, string[]>();
  const samplesSeen = new Map<string, number>();
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    try {
      const o = parsePyJson(raw);
      if (o.t !== 'dict') throw new Error('not a JSON object');
      const idValue = entryOf(o, 'id');
      if (idValue?.t !== 'str' && idValue?.t !== 'int') throw new Error('"id" is missing');
      const completions = entryOf(o, 'completions');
      if (completions?.t !== 'str') throw new Error('"completions" must be the program text');
      const gold = entryOf(o, 'gold_output');
      if (!gold) throw new Error('"gold_output" is missing');
      const input = entryOf(o, 'input') ?? { t: 'none' };
      const pc = entryOf(o, 'prompts_completions');
      const id = idValue.t === 'str' ? idValue.v : idValue.v.toString();
      const inputKey = pyJsonDumps(input);
      const inputs = inputsSeen.get(id) ?? [];
      if (!inputs.includes(inputKey)) inputs.push(inputKey);
      inputsSeen.set(id, inputs);
      const caseIndex = inputs.indexOf(inputKey);
      const sampleIndex = samplesSeen.get(`${id}/${caseIndex}`) ?? 0;
      samplesSeen.set(`${id}/${caseIndex}`, sampleIndex + 1);
      samples.push({
        line: index + 1,
        caseIndex,
        sampleIndex,
        sample: {
          id,
          input,
          gold_output: gold,
          completions: completions.v,
          prompts_completions:
            pc?.t === 'list' && pc.v.every((p) => p.t === 'str')
              ? pc.v.map((p) => (p.t === 'str' ? p.v : ''))
              : [],
        },
      });
    } catch (error) {
      errors.push({
        line: index + 1,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  });
  return { samples, errors };
}

/** The record of a replayed sample: its program as given, judged by `exec`. */
export function replayedRecord(line: ImportedLine, exec: ExecResult): CaseRecord {
  return {
    ...exec,
    problemId: line.sample.id,
    caseIndex: line.caseIndex,
    sample: line.sampleIndex,
    mode: 'multi',
    input: line.sample.input,
    goldOutput: line.sample.gold_output,
    turns: [],
    program: line.sample.completions,
    promptsCompletions: line.sample.prompts_completions,
    contextOverflow: false,
    genTokens: 0,
  };
}

/** Imported MTPB samples as the runner's replay jobs: each program judged against its gold. */
export function mtpbReplayJobs(lines: readonly ImportedLine[]): Job[] {
  return lines.map((line) => ({
    problemId: line.sample.id,
    caseIndex: line.caseIndex,
    sample: line.sampleIndex,
    program: line.sample.completions,
    check: { kind: 'output', gold: line.sample.gold_output },
    overflow: false,
    record: (exec) => replayedRecord(line, exec),
  }));
}
