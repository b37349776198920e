import { pyStr } from './pyvalue.ts';
import type { PyValue } from './pyvalue.ts';

/** The history every MTPB program starts with (mtpb_sample.py). */
export const MTPB_PREFIX = '# Import libraries.\n\nimport numpy as np\n\n';

/**
 * The same prefix when numpy cannot be had: the import may fail without stopping programs that
 * never use numpy. Used only then; with numpy the prefix stays verbatim.
 */
export const GUARDED_PREFIX =
  '# Import libraries.\n\ntry:\n    import numpy as np\nexcept ImportError:\n    pass\n\n';

export interface Turn {
  /** The prompt with its placeholders filled. */
  prompt: string;
  /** The model's completion, already truncated by the benchmark's rules. */
  completion: string;
}

/** The whole history, as the official sampler writes it and the checker runs it. */
export function assembleProgram(turns: readonly Turn[]): string {
  return MTPB_PREFIX + turns.map((turn) => `# ${turn.prompt}\n${turn.completion}\n\n`).join('');
}

/** Replaces the numpy prefix by its guarded form; other programs are returned as they are. */
export function guardNumpyPrefix(program: string): string {
  return program.startsWith(MTPB_PREFIX)
    ? GUARDED_PREFIX + program.slice(MTPB_PREFIX.length)
    : program;
}

/**
 * Python's `template.format(**values)` for plain `{name}` fields, which is all MTPB uses:
 * `{{` and `}}` are literal braces, a value is inserted as str(value).
 */
export function formatTemplate(template: string, values: ReadonlyMap<string, PyValue>): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    const close = template.indexOf('}', i);
    if (close >= 0 && (open < 0 || close < open)) {
      if (template[close + 1] !== '}')
        throw new SyntaxError(`Single '}' at ${close} in format string`);
      out += template.slice(i, close + 1);
      i = close + 2;
      continue;
    }
    if (open < 0) break;
    out += template.slice(i, open);
    if (template[open + 1] === '{') {
      out += '{';
      i = open + 2;
      continue;
    }
    const end = template.indexOf('}', open);
    const name = template.slice(open + 1, end);
    if (end < 0 || !/^[A-Za-z_]\w*$/.test(name)) {
      throw new SyntaxError(
        `Unsupported format field at ${open}: ${template.slice(open, open + 20)}`,
      );
    }
    const value = values.get(name);
    if (value === undefined) throw new RangeError(`No value for "{${name}}"`);
    out += pyStr(value);
    i = end + 1;
  }
  return out + template.slice(i);
}

/** A test case's inputs (a JSON object) as the name → value map formatTemplate takes. */
export function inputsOf(value: PyValue): Map<string, PyValue> {
  if (value.t !== 'dict') throw new TypeError('MTPB inputs are a JSON object');
  return new Map(value.v.map(([key, item]) => [key.t === 'str' ? key.v : '', item]));
}
