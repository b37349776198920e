import { parsePyJson } from '../python/core/pyjson.ts';
import type { PyValue } from '../python/core/pyvalue.ts';
import { inputsOf } from './protocol.ts';

/** One MTPB problem (FORMAT.md beside the dataset): turns with {placeholders}, test cases, golds. */
export interface Problem {
  id: string;
  name: string;
  description: string;
  category: string[];
  /** Prompt templates, one per turn, in str.format syntax. */
  prompts: string[];
  /**
   * Each test case's inputs as Python values (ints and floats kept apart), in the file's key
   * order; `dictOf` gives back the JSON object exactly as the file has it.
   */
  inputs: Array<Map<string, PyValue>>;
  /** Each test case's gold output, as Python's json reads it. */
  outputs: PyValue[];
  /** Token budget per turn; 256 where the file has none, as the official sampler does. */
  maxGenLength: number;
}

export interface LineError {
  line: number; // 1-based
  message: string;
}

export interface Dataset {
  problems: Problem[];
  errors: LineError[];
}

export const DEFAULT_MAX_GEN_LENGTH = 256;

/** A test case's inputs as the JSON object they came from (key order kept). */
export function dictOf(inputs: ReadonlyMap<string, PyValue>): PyValue {
  return { t: 'dict', v: [...inputs].map(([k, v]): [PyValue, PyValue] => [{ t: 'str', v: k }, v]) };
}

/** A field of a JSON object read as Python values. */
export function entryOf(object: PyValue, key: string): PyValue | undefined {
  return object.t === 'dict'
    ? object.v.find(([k]) => k.t === 'str' && k.v === key)?.[1]
    : undefined;
}

const strings = (value: PyValue | undefined): string[] | null =>
  value?.t === 'list' && value.v.every((v) => v.t === 'str')
    ? value.v.map((v) => (v.t === 'str' ? v.v : ''))
    : null;

function parseProblem(text: string): Problem {
  const object = parsePyJson(text);
  if (object.t !== 'dict') throw new Error('not a JSON object');
  const id = entryOf(object, 'id');
  if (id?.t !== 'str' && id?.t !== 'int') throw new Error('"id" must be a string');
  const prompts = strings(entryOf(object, 'prompts'));
  if (!prompts) throw new Error('"prompts" must be a list of strings');
  if (prompts.length === 0) throw new Error('"prompts" is empty');
  const inputs = entryOf(object, 'inputs');
  const outputs = entryOf(object, 'outputs');
  if (inputs?.t !== 'list') throw new Error('"inputs" must be a list');
  if (outputs?.t !== 'list') throw new Error('"outputs" must be a list');
  if (inputs.v.length === 0) throw new Error('"inputs" is empty');
  // The official sampler zips inputs with outputs, so extra entries on either side are
  // ignored (problem 57 of the published file has 5 inputs and 6 outputs).
  const cases = Math.min(inputs.v.length, outputs.v.length);
  const caseInputs = inputs.v.slice(0, cases).map((value, i) => {
    if (value.t !== 'dict') throw new Error(`inputs[${i}] is not an object`);
    return inputsOf(value);
  });
  const maxGen = entryOf(object, 'max_gen_length');
  if (maxGen !== undefined && !(maxGen.t === 'int' && maxGen.v > 0n))
    throw new Error('"max_gen_length" must be a positive integer');
  const name = entryOf(object, 'name');
  const description = entryOf(object, 'description');
  const category = entryOf(object, 'category');
  const idText = id.t === 'str' ? id.v : id.v.toString();
  return {
    id: idText,
    name: name?.t === 'str' ? name.v : `Problem ${idText}`,
    description: description?.t === 'str' ? description.v : '',
    category: category?.t === 'str' ? [category.v] : (strings(category) ?? []),
    prompts,
    inputs: caseInputs,
    outputs: outputs.v.slice(0, cases),
    maxGenLength: maxGen?.t === 'int' ? Number(maxGen.v) : DEFAULT_MAX_GEN_LENGTH,
  };
}

/**
 * Reads a benchmark in the MTPB JSONL format. A malformed line is reported with its line
 * number and the good lines still load; problems come sorted by numeric id, as the official
 * sampler sorts them.
 */
export function parseDataset(text: string): Dataset {
  const problems: Problem[] = [];
  const errors: LineError[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      const problem = parseProblem(line);
      if (seen.has(problem.id)) throw new Error(`duplicate id "${problem.id}"`);
      seen.add(problem.id);
      problems.push(problem);
    } catch (error) {
      errors.push({
        line: index + 1,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  });
  problems.sort((a, b) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id));
  return { problems, errors };
}
