import { parsePyJson } from './pyjson.ts';
import type { PyValue } from './pyvalue.ts';
import { inputsOf } from './program.ts';

/** One MTPB problem (see FORMAT.md beside the dataset), with Python-typed inputs and outputs. */
export interface MtpbProblem {
  id: string;
  name: string;
  category: string;
  /** Prompt templates, one per turn, in str.format syntax. */
  prompts: string[];
  cases: MtpbCase[];
  /** Token budget per turn; the official sampler uses 256 where the file has none. */
  maxGenLength: number;
}

export interface MtpbCase {
  inputs: Map<string, PyValue>;
  output: PyValue;
}

/** Parses one line of mtpb.jsonl. */
export function parseMtpbProblem(line: string): MtpbProblem {
  const value = parsePyJson(line);
  const field = (name: string): PyValue => {
    const entry =
      value.t === 'dict' ? value.v.find(([k]) => k.t === 'str' && k.v === name) : undefined;
    if (!entry) throw new SyntaxError(`MTPB problem without "${name}"`);
    return entry[1];
  };
  const text = (v: PyValue): string => {
    if (v.t !== 'str') throw new SyntaxError('MTPB: expected a string');
    return v.v;
  };
  const list = (v: PyValue): PyValue[] => {
    if (v.t !== 'list') throw new SyntaxError('MTPB: expected a list');
    return v.v;
  };
  const inputs = list(field('inputs'));
  const outputs = list(field('outputs'));
  const budget =
    value.t === 'dict'
      ? value.v.find(([k]) => k.t === 'str' && k.v === 'max_gen_length')
      : undefined;
  return {
    id: text(field('id')),
    name: text(field('name')),
    category: text(field('category')),
    prompts: list(field('prompts')).map(text),
    cases: inputs.map((input, i) => ({
      inputs: inputsOf(input),
      output: outputs[i] ?? { t: 'none' },
    })),
    maxGenLength: budget?.[1].t === 'int' ? Number(budget[1].v) : 256,
  };
}

export function parseMtpbDataset(jsonl: string): MtpbProblem[] {
  return jsonl
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(parseMtpbProblem);
}
