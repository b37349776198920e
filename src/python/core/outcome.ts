import type { PyValue } from './pyvalue.ts';

/**
 * What one run of a program reports. harness.py produces most of it inside the sandbox, so it
 * is parsed here as untrusted input: a program may forge the JSON, never the shape.
 */
export type RunStatus =
  // from harness.py: how exec() ended
  | 'ok'
  | 'error'
  | 'timeout' // the time limit's Exception ended the program (the official verdict still counts prints)
  | 'memory'
  | 'exit' // sys.exit(): ends the program, not the worker
  | 'hard-timeout' // the program swallowed the time limit and was stopped by the second signal
  // from the worker or the runner
  | 'killed' // terminated after the grace period; the spare took over
  | 'crashed' // Pyodide hit a fatal error (e.g. a C-stack overflow) or the worker died
  | 'unavailable'; // a package the program imports cannot be had

/** Which comparison the official checker would make, with the value normalized for it. */
export type CheckPlan =
  | { op: 'no-print' | 'no-args' | 'skipped' }
  | { op: 'none' | 'eq' | 'float' | 'allclose' | 'str-bool'; value: PyValue }
  | { op: 'unsupported'; type: string }
  | { op: 'error'; error: string };

export interface CaseOutcome {
  status: RunStatus;
  errorType: string | null;
  error: string | null;
  printCount: number;
  check: CheckPlan;
  stdout: string;
  stderr: string;
  /** Output beyond the cap, in characters. */
  droppedChars: number;
  /** Calls the sandbox refused, such as os.system. */
  blocked: string[];
  /** Whether the last statement was wrapped in print(). */
  rewritten: boolean;
  seconds: number;
  /** Packages wanted that could not be loaded; for `unavailable`, the ones the program needs. */
  missingPackages: string[];
  /** The worker's wasm heap after the run. */
  heapBytes: number;
}

const HARNESS_STATUSES = new Set(['ok', 'error', 'timeout', 'memory', 'exit', 'hard-timeout']);
const VALUE_OPS = new Set(['none', 'eq', 'float', 'allclose', 'str-bool']);

/** An outcome that no program produced: the worker or runner reporting what happened. */
export function hostOutcome(
  status: RunStatus,
  error: string,
  extra: Partial<CaseOutcome> = {},
): CaseOutcome {
  return {
    status,
    errorType: null,
    error,
    printCount: 0,
    check: { op: 'skipped' },
    stdout: '',
    stderr: '',
    droppedChars: 0,
    blocked: [],
    rewritten: false,
    seconds: 0,
    missingPackages: [],
    heapBytes: 0,
    ...extra,
  };
}

/** Validates harness.py's JSON. Throws TypeError on anything malformed. */
export function parseHarnessOutcome(json: string, heapBytes: number): CaseOutcome {
  const raw: unknown = JSON.parse(json);
  const o = record(raw);
  const status = str(o.status);
  if (!HARNESS_STATUSES.has(status)) throw new TypeError(`bad status ${status}`);
  return {
    status: status as RunStatus,
    errorType: nullableStr(o.errorType),
    error: nullableStr(o.error),
    printCount: num(o.printCount),
    check: parseCheck(o.check),
    stdout: str(o.stdout),
    stderr: str(o.stderr),
    droppedChars: num(o.droppedChars),
    blocked: list(o.blocked).map(str),
    rewritten: o.rewritten === true,
    seconds: num(o.seconds),
    missingPackages: [],
    heapBytes,
  };
}

function parseCheck(raw: unknown): CheckPlan {
  const o = record(raw);
  const op = str(o.op);
  if (op === 'no-print' || op === 'no-args' || op === 'skipped') return { op };
  if (op === 'unsupported') return { op, type: str(o.type) };
  if (op === 'error') return { op, error: str(o.error) };
  if (VALUE_OPS.has(op)) {
    return { op: op as 'eq', value: parseSnapshot(o.value) };
  }
  throw new TypeError(`bad check op ${op}`);
}

/** harness.py's snapshot of a value: ints as decimal strings, floats as their repr. */
export function parseSnapshot(raw: unknown): PyValue {
  const o = record(raw);
  switch (o.t) {
    case 'none':
      return { t: 'none' };
    case 'bool':
      return { t: 'bool', v: o.v === true };
    case 'int': {
      const digits = str(o.v);
      if (!/^-?\d+$/.test(digits)) throw new TypeError('bad int');
      return { t: 'int', v: BigInt(digits) };
    }
    case 'float':
      return { t: 'float', v: parseFloatRepr(str(o.v)) };
    case 'str':
      return { t: 'str', v: str(o.v) };
    case 'list':
    case 'tuple':
    case 'set':
      return { t: o.t, v: list(o.v).map(parseSnapshot) };
    case 'dict':
      return {
        t: 'dict',
        v: list(o.v).map((pair) => {
          const [k, v] = list(pair);
          return [parseSnapshot(k), parseSnapshot(v)];
        }),
      };
    case 'opaque':
      return { t: 'opaque', type: str(o.type) };
    default:
      throw new TypeError('bad snapshot');
  }
}

function parseFloatRepr(text: string): number {
  if (text === 'nan') return NaN;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  const value = Number(text);
  if (Number.isNaN(value)) throw new TypeError('bad float');
  return value;
}

function record(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new TypeError('expected an object');
  return raw as Record<string, unknown>;
}

function list(raw: unknown): unknown[] {
  if (!Array.isArray(raw)) throw new TypeError('expected an array');
  return raw;
}

function str(raw: unknown): string {
  if (typeof raw !== 'string') throw new TypeError('expected a string');
  return raw;
}

function nullableStr(raw: unknown): string | null {
  return raw === null || raw === undefined ? null : str(raw);
}

function num(raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw)) throw new TypeError('expected a number');
  return raw;
}
