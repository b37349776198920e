import { afterAll, describe, expect, it } from 'vitest';
import type { OutputEvent, SandboxEvent } from '../../shared/contracts/python-worker.ts';
import type { CaseRequest, CaseResult } from '../core/sandbox.ts';
import { parsePyJson } from '../core/pyjson.ts';
import { createNodeRunner } from './test-runner.node.ts';

// Live output through real interpreter workers (Pyodide in worker_threads), as the playground
// asks for it: `stream: true`, events before the outcome.
const sandbox = createNodeRunner({ timeLimitMs: 3000, hardStopMs: 300, killAfterMs: 700 });
afterAll(() => sandbox.dispose());

interface Streamed {
  result: CaseResult | null;
  error: unknown;
  /** Each output event with the milliseconds left until the run ended. */
  events: { event: OutputEvent; beforeEndMs: number }[];
  stdout: string;
}

async function streamed(
  program: string,
  options: {
    expected?: CaseRequest['expected'];
    signal?: AbortSignal;
    onOutput?: (event: OutputEvent) => void;
  } = {},
): Promise<Streamed> {
  const arrivals: { event: OutputEvent; at: number }[] = [];
  const onEvent = (event: SandboxEvent): void => {
    if (event.kind !== 'output') return;
    arrivals.push({ event, at: performance.now() });
    options.onOutput?.(event);
  };
  const { expected = null, signal } = options;
  let result: CaseResult | null = null;
  let error: unknown = null;
  try {
    result = await sandbox.runCase({
      program,
      expected,
      stream: true,
      onEvent,
      ...(signal ? { signal } : {}),
    });
  } catch (caught) {
    error = caught;
  }
  const end = performance.now();
  return {
    result,
    error,
    events: arrivals.map(({ event, at }) => ({ event, beforeEndMs: end - at })),
    stdout: arrivals.map(({ event }) => event.stdout).join(''),
  };
}

const TICKS = 'import time\nfor i in range(6):\n    print("line", i)\n    time.sleep(0.2)\n';

describe('streaming what a program prints', () => {
  it('sends the first lines while the program still runs, and all of them by its end', async () => {
    const run = await streamed(TICKS);
    expect(run.result?.outcome.status).toBe('ok');
    expect(run.stdout).toBe(run.result?.outcome.stdout);
    // Whole lines, one event each: print() writes "line", " ", "0" and "\n" separately.
    expect(run.events.map((e) => e.event.stdout)).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => `line ${i}\n`),
    );
    expect(run.events[0]?.beforeEndMs).toBeGreaterThan(700);
  });

  it('sends a held-back line while the program sleeps without printing', async () => {
    const run = await streamed('import time\nprint("one")\nprint("two")\ntime.sleep(1.5)\n');
    const two = run.events.find((e) => e.event.stdout.includes('two'));
    expect(two?.beforeEndMs).toBeGreaterThan(1000);
  });

  it('keeps what was sent when Stop interrupts the program', async () => {
    const controller = new AbortController();
    const run = await streamed(TICKS.replace('range(6)', 'range(1000)'), {
      signal: controller.signal,
      onOutput: (event) => {
        if (event.stdout.includes('line 2')) controller.abort();
      },
    });
    expect(run.error).toMatchObject({ code: 'aborted' });
    expect(run.stdout).toMatch(/^line 0\nline 1\nline 2\n/);
  });

  it('keeps what was sent when the worker is killed after the time limit', async () => {
    const run = await streamed(
      'print("before")\nwhile True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass\n',
    );
    expect(run.result?.outcome.status).toBe('killed');
    expect(run.result?.outcome.stdout).toBe('');
    expect(run.stdout).toBe('before\n');
  });

  it('caps a print flood and counts what it dropped, in few events', async () => {
    const run = await streamed('while True:\n    print("flood " * 10)\n');
    expect(run.result?.outcome.status).toBe('timeout');
    const chars = run.events.reduce((n, e) => n + e.event.stdout.length + e.event.stderr.length, 0);
    expect(chars).toBe(1_000_000);
    expect(run.events.at(-1)?.event.droppedChars).toBeGreaterThan(0);
    // Three seconds at one event per 80 ms at most, and the last one at the end.
    expect(run.events.length).toBeLessThanOrEqual(3000 / 80 + 2);
  });

  it('leaves a benchmark case as it was: same outcome and verdict, and no events unasked', async () => {
    const program = 'import sys\nprint("noise", file=sys.stderr)\nx = [i * i for i in range(5)]\nx';
    const gold = parsePyJson('[0, 1, 4, 9, 16]');
    const events: SandboxEvent[] = [];
    const plain = await sandbox.runCase({
      program,
      expected: gold,
      onEvent: (e) => events.push(e),
    });
    const live = await streamed(program, { expected: gold });
    expect(events.filter((e) => e.kind === 'output')).toEqual([]);
    const comparable = (r: CaseResult | null) => ({
      ...r?.outcome,
      seconds: 0,
      heapBytes: 0,
      verdict: r?.verdict,
    });
    expect(comparable(live.result)).toEqual(comparable(plain));
    expect(plain.verdict).toMatchObject({ state: 'pass' });
  });
});
