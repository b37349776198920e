import { parsePyJson } from '../python/core/pyjson.ts';
import type { PyValue } from '../python/core/pyvalue.ts';
import { summarize } from './records.ts';
import type { CaseRecord, CaseStatus, ExecResult } from './records.ts';

/** One line of the export: the official sample format plus our verdict fields. */
export interface SampleLine {
  id: string;
  input: unknown;
  gold_output: unknown;
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

/** JSONL in the order of problems, cases and samples, as mtpb_sample.py writes it. */
export function exportJsonl(records: readonly CaseRecord[]): string {
  const ordered = [...records].sort(
    (a, b) =>
      Number(a.problemId) - Number(b.problemId) || a.caseIndex - b.caseIndex || a.sample - b.sample,
  );
  return (
    ordered.map((r) => JSON.stringify(toSampleLine(r))).join('\n') + (ordered.length ? '\n' : '')
  );
}

const csvCell = (value: string | number): string => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** One row per problem: cases, passes per status, pass rate; a total row last. */
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
      s.passRate.toFixed(4),
    ]
      .map(csvCell)
      .join(',');
  };
  const lines = [...byProblem.keys()]
    .sort((a, b) => Number(a) - Number(b))
    .map((id) => row(id, names.get(id) ?? '', byProblem.get(id) ?? []));
  return [header.join(','), ...lines, row('total', '', [...records])].join('\n') + '\n';
}

export interface ImportedLine {
  line: number;
  sample: SampleLine;
  /** gold_output as Python reads it (1.0 stays a float). */
  gold: PyValue;
  caseIndex: number;
  sampleIndex: number;
}

/**
 * Reads a samples JSONL (ours, or one written by the official mtpb_sample.py) for replay.
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
      const value: unknown = JSON.parse(raw);
      if (typeof value !== 'object' || value === null) throw new Error('not a JSON object');
      const o = value as Record<string, unknown>;
      if (typeof o.id !== 'string' && typeof o.id !== 'number') throw new Error('"id" is missing');
      if (typeof o.completions !== 'string')
        throw new Error('"completions" must be the program text');
      if (!('gold_output' in o)) throw new Error('"gold_output" is missing');
      const pc = o.prompts_completions;
      const python = parsePyJson(raw);
      const gold =
        python.t === 'dict'
          ? python.v.find(([k]) => k.t === 'str' && k.v === 'gold_output')?.[1]
          : undefined;
      if (!gold) throw new Error('"gold_output" is missing');
      const id = String(o.id);
      const inputKey = JSON.stringify(o.input ?? null);
      const inputs = inputsSeen.get(id) ?? [];
      if (!inputs.includes(inputKey)) inputs.push(inputKey);
      inputsSeen.set(id, inputs);
      const caseIndex = inputs.indexOf(inputKey);
      const sampleIndex = samplesSeen.get(`${id}/${caseIndex}`) ?? 0;
      samplesSeen.set(`${id}/${caseIndex}`, sampleIndex + 1);
      samples.push({
        line: index + 1,
        gold,
        caseIndex,
        sampleIndex,
        sample: {
          id,
          input: o.input ?? null,
          gold_output: o.gold_output,
          completions: o.completions,
          prompts_completions:
            Array.isArray(pc) && pc.every((p) => typeof p === 'string') ? pc : [],
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
