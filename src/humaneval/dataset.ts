/** One HumanEval task (FORMAT.md beside the data file): the prompt a model continues and its test. */
export interface HumanEvalTask {
  /** `HumanEval/0` … `HumanEval/163`. */
  id: string;
  /** The signature and docstring; the completion continues it. */
  prompt: string;
  /** The function `check(candidate)` is called with. */
  entryPoint: string;
  /** Python source defining `check(candidate)`. */
  test: string;
  /** A correct body, for tests of the harness; never shown to a model. */
  canonicalSolution: string;
}

export interface HumanEvalDataset {
  tasks: HumanEvalTask[];
  errors: Array<{ line: number; message: string }>;
  label: string;
}

const field = (o: Record<string, unknown>, name: string): string => {
  const value = o[name];
  if (typeof value !== 'string') throw new Error(`"${name}" must be a string`);
  return value;
};

/** Parses HumanEval's JSON lines; a bad line is reported with its number, good lines still load. */
export function parseHumanEval(text: string, label: string): HumanEvalDataset {
  const tasks: HumanEvalTask[] = [];
  const errors: Array<{ line: number; message: string }> = [];
  const seen = new Set<string>();
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not a JSON object');
      const o = parsed as Record<string, unknown>;
      const task: HumanEvalTask = {
        id: field(o, 'task_id'),
        prompt: field(o, 'prompt'),
        entryPoint: field(o, 'entry_point'),
        test: field(o, 'test'),
        canonicalSolution: typeof o.canonical_solution === 'string' ? o.canonical_solution : '',
      };
      if (!/^[A-Za-z_]\w*$/.test(task.entryPoint))
        throw new Error(`"entry_point" ${JSON.stringify(task.entryPoint)} is not a Python name`);
      if (seen.has(task.id)) throw new Error(`task ${task.id} appears twice`);
      seen.add(task.id);
      tasks.push(task);
    } catch (error) {
      errors.push({
        line: index + 1,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  });
  return { tasks, errors, label };
}

/** The file's bytes as text: gzip (the published `.jsonl.gz`) is inflated, plain JSONL kept. */
export async function humanEvalText(bytes: Uint8Array): Promise<string> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new TextDecoder().decode(bytes);
  const stream = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

/** The number in a task id (`HumanEval/12` → 12), for ordering and selections. */
export const taskNumber = (id: string): number => Number(/(\d+)$/.exec(id)?.[1] ?? NaN);
