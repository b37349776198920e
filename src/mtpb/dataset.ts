import { parsePyJson } from '../python/core/pyjson.ts';
import type { PyValue } from '../python/core/pyvalue.ts';

/** One MTPB problem (FORMAT.md): turns with {placeholders}, 5 test cases, gold outputs. */
export interface Problem {
  id: string;
  name: string;
  description: string;
  category: string[];
  prompts: string[];
  /** Each test case's inputs, as Python values (ints and floats kept apart). */
  inputs: Array<Map<string, PyValue>>;
  /** The raw JSON of each case's inputs, for export in the official sample format. */
  inputsJson: unknown[];
  outputs: PyValue[];
  outputsJson: unknown[];
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

type Json = Record<string, unknown>;

function field<T>(object: Json, key: string, check: (v: unknown) => v is T, what: string): T {
  const value = object[key];
  if (!check(value)) throw new Error(`"${key}" must be ${what}`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);

function parseProblem(text: string): Problem {
  const json: unknown = JSON.parse(text);
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error('not a JSON object');
  const object = json as Json;
  const id = object.id;
  if (!(typeof id === 'string' || typeof id === 'number')) throw new Error('"id" must be a string');
  const prompts = field(object, 'prompts', isStringArray, 'a list of strings');
  if (prompts.length === 0) throw new Error('"prompts" is empty');
  const inputsJson = field(object, 'inputs', isArray, 'a list');
  const outputsJson = field(object, 'outputs', isArray, 'a list');
  if (inputsJson.length === 0) throw new Error('"inputs" is empty');
  // Python's json keeps 1.0 a float and 1 an int; re-read the values with that distinction.
  const python = parsePyJson(text);
  const get = (key: string): PyValue[] => {
    if (python.t !== 'dict') return [];
    const entry = python.v.find(([k]) => k.t === 'str' && k.v === key)?.[1];
    return entry && entry.t === 'list' ? entry.v : [];
  };
  // The official sampler zips inputs with outputs, so extra entries on either side are
  // ignored (problem 57 of the published file has 5 inputs and 6 outputs).
  const cases = Math.min(inputsJson.length, outputsJson.length);
  const inputs = get('inputs')
    .slice(0, cases)
    .map((value, i) => {
      if (value.t !== 'dict') throw new Error(`inputs[${i}] is not an object`);
      return new Map(
        value.v.map(([k, v]): [string, PyValue] => [k.t === 'str' ? k.v : String(i), v]),
      );
    });
  const maxGen = object.max_gen_length;
  if (
    maxGen !== undefined &&
    !(typeof maxGen === 'number' && Number.isInteger(maxGen) && maxGen > 0)
  ) {
    throw new Error('"max_gen_length" must be a positive integer');
  }
  const category = object.category;
  return {
    id: String(id),
    name: typeof object.name === 'string' ? object.name : `Problem ${String(id)}`,
    description: typeof object.description === 'string' ? object.description : '',
    category: isStringArray(category) ? category : isString(category) ? [category] : [],
    prompts,
    inputs,
    inputsJson: inputsJson.slice(0, cases),
    outputs: get('outputs').slice(0, cases),
    outputsJson: outputsJson.slice(0, cases),
    maxGenLength: maxGen ?? DEFAULT_MAX_GEN_LENGTH,
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
