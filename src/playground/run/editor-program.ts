import type { CaseOutcome } from '../../python/core/outcome.ts';
import type { ConsoleOutput } from './console-output.ts';
import { MTPB_PREFIX } from '../../mtpb/protocol.ts';

/** The file name Python reports for the editor's code in tracebacks. */
export const EDITOR_FILE = '<editor>';
/** Starts the stderr line that carries the value of the last expression. */
const VALUE_MARK = '\u0001playground-value\u0001';

const PREFIX_LINES = MTPB_PREFIX.split('\n').length - 1;

/** Top-level modules a program imports, read off its lines (a syntax error must not hide them). */
export function importedModules(source: string): string[] {
  const found = new Set<string>();
  for (const line of source.split('\n')) {
    const from = /^\s*from\s+([A-Za-z_]\w*)[\w.]*\s+import\b/.exec(line);
    if (from?.[1]) found.add(from[1]);
    const plain = /^\s*import\s+(.+)$/.exec(line);
    if (!plain?.[1]) continue;
    for (const part of plain[1].split(',')) {
      const name = /^\s*([A-Za-z_]\w*)/.exec(part)?.[1];
      if (name) found.add(name);
    }
  }
  return [...found];
}

/**
 * The program the sandbox runs for the editor's text. The text goes in as a string and is
 * compiled under the name <editor> with its own line numbers, so a traceback points at the
 * editor's line (the sandbox's own rewrite of the last statement would renumber it). The
 * last expression's value is reported as a REPL would. Imports are repeated under `if False:`
 * so the sandbox still sees which packages to load, and the MTPB prefix stays in front, where
 * the sandbox guards it when numpy cannot be had.
 */
export function wrapForRun(source: string): string {
  const hasPrefix = source.startsWith(MTPB_PREFIX);
  const body = hasPrefix ? source.slice(MTPB_PREFIX.length) : source;
  const offset = hasPrefix ? PREFIX_LINES : 0;
  const hints = [
    ...importedModules(body).map((name) => `    import ${name}`),
    ...(/\bnp\b/.test(body) ? ['    np'] : []),
  ];
  const parts = [
    ...(hints.length > 0 ? [`if False:\n${hints.join('\n')}`] : []),
    RUNNER,
    `__playground_run(${JSON.stringify(body)}, ${offset})`,
    // Ends with a statement that has no value, so the sandbox rewrites nothing.
    'pass',
  ];
  return `${hasPrefix ? MTPB_PREFIX : ''}${parts.join('\n')}\n`;
}

const RUNNER = `
def __playground_run(body, offset):
    import ast, json, linecache, sys, traceback
    source = "\\n" * offset + body
    linecache.cache[${JSON.stringify(EDITOR_FILE)}] = (len(source), None, source.splitlines(True), ${JSON.stringify(EDITOR_FILE)})
    try:
        tree = ast.parse(source, ${JSON.stringify(EDITOR_FILE)})
        last = tree.body[-1] if tree.body else None
        show = isinstance(last, ast.Expr) and not (
            isinstance(last.value, ast.Call)
            and isinstance(last.value.func, ast.Name)
            and last.value.func.id.startswith("print")
        )
        if show:
            tree.body.pop()
        exec(compile(tree, ${JSON.stringify(EDITOR_FILE)}, "exec"), globals())
        if show:
            value = eval(compile(ast.Expression(last.value), ${JSON.stringify(EDITOR_FILE)}, "eval"), globals())
            if value is not None:
                sys.stderr.write(${JSON.stringify(VALUE_MARK)} + json.dumps(repr(value)) + "\\n")
    except BaseException as error:
        report = traceback.TracebackException.from_exception(error)
        report.stack = traceback.StackSummary.from_list(
            [frame for frame in report.stack if frame.filename == ${JSON.stringify(EDITOR_FILE)}]
        )
        sys.stderr.write("".join(report.format()))
        raise
`.trim();

/** What the console shows of one run. */
export interface RunReport {
  status: CaseOutcome['status'];
  stdout: string;
  /** stderr without the value line: tracebacks and warnings. */
  stderr: string;
  /** repr() of the last expression, when it had a value other than None. */
  value: string | null;
  /** The editor line (1-based) where the error was raised, innermost frame. */
  errorLine: number | null;
  /** One line on how the run ended, when not plainly. */
  summary: string | null;
  seconds: number;
}

/**
 * The console's report of a finished run. `streamed` is what the console received while the
 * program ran; it is kept over the outcome's copy, which the sandbox caps far lower and which
 * is empty when the worker had to be killed.
 */
export function readOutcome(outcome: CaseOutcome, streamed?: ConsoleOutput): RunReport {
  const output = streamed && printedChars(streamed) >= printedChars(outcome) ? streamed : outcome;
  const { stderr, value } = splitValue(output.stderr);
  const lines = [...stderr.matchAll(/File "<editor>", line (\d+)/g)];
  const last = lines[lines.length - 1]?.[1];
  return {
    status: outcome.status,
    stdout: output.stdout,
    stderr,
    value,
    errorLine: last === undefined ? null : Number(last),
    summary: summaryOf(outcome, output.droppedChars),
    seconds: outcome.seconds,
  };
}

/** Everything a run printed, kept or not. */
function printedChars(output: Pick<ConsoleOutput, 'stdout' | 'stderr' | 'droppedChars'>): number {
  return output.stdout.length + output.stderr.length + output.droppedChars;
}

/** stderr without the line that carries the last expression's value, and that value. */
export function splitValue(stderr: string): { stderr: string; value: string | null } {
  if (!stderr.includes(VALUE_MARK)) return { stderr, value: null };
  let value: string | null = null;
  const rest = stderr
    .split('\n')
    .filter((line) => {
      if (!line.startsWith(VALUE_MARK)) return true;
      value = parseValue(line.slice(VALUE_MARK.length));
      return false;
    })
    .join('\n');
  return { stderr: rest, value };
}

/** The note on output the console does not show. */
export function truncationNote(droppedChars: number): string {
  return droppedChars > 0
    ? `Output truncated: ${droppedChars.toLocaleString('en')} more characters were printed than the console keeps.`
    : '';
}

function parseValue(json: string): string | null {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

function summaryOf(o: CaseOutcome, droppedChars: number): string | null {
  const blocked = o.blocked.length > 0 ? ` Blocked: ${o.blocked.join(', ')}.` : '';
  const dropped = droppedChars > 0 ? ` ${truncationNote(droppedChars)}` : '';
  const detail = o.error ? `${o.errorType ? `${o.errorType}: ` : ''}${o.error}` : '';
  switch (o.status) {
    case 'ok':
      return blocked || dropped ? (blocked + dropped).trim() : null;
    case 'error':
      return `${detail}${blocked}${dropped}`.trim() || 'The program raised an error.';
    case 'timeout':
    case 'hard-timeout':
      return `Timed out: stopped at the time limit.${dropped}`;
    case 'memory':
      return 'The program ran out of memory.';
    case 'exit':
      return `sys.exit() ended the program${o.error ? ` (${o.error})` : ''}.`;
    case 'killed': // the sandbox kills only at the time limit; Stop ends a run as aborted
      return `Timed out: the program did not stop at the time limit, so its interpreter was replaced.${dropped}`;
    case 'crashed':
      return `${o.error ?? 'The Python runtime crashed.'} A fresh interpreter takes over for the next run.`;
    case 'unavailable':
      return `${o.error ?? 'A package is missing.'} Packages come from the Pyodide index; offline, only those cached before are available.`;
  }
}
