import { afterAll, describe, expect, it } from 'vitest';
import { AbortedError } from '../../shared/errors.ts';
import { NUMPY_PRELUDE } from '../core/program.ts';
import { parsePyJson } from '../core/pyjson.ts';
import type { FailReason } from '../core/verdict.ts';
import { createNodeRunner, runBody } from './test-runner.node.ts';

// What a model may write, and the verdict each must get; after each, a plain program must run
// normally on whatever worker the sandbox then has.
// 3 s and 256 MiB: generous enough that a loaded machine still hits the limit under test.
const sandbox = createNodeRunner(
  { timeLimitMs: 3000, hardStopMs: 500, killAfterMs: 1500 },
  256 * 2 ** 20,
);
afterAll(() => sandbox.dispose());

const js = (name: string): string => `import js\nprint(js.${name})`;

describe('bad input gets a clear verdict and the next case runs', () => {
  it.each<[string, string, FailReason, RegExp?]>([
    ['an endless loop', 'while True:\n    pass', 'timeout'],
    ['a long sleep', 'import time\ntime.sleep(100)', 'timeout'],
    [
      'a loop that catches BaseException',
      'while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass',
      'timeout',
      /stopped/,
    ],
    ['unbounded memory growth', 'l = []\nwhile True:\n    l.append(bytearray(10**7))', 'memory'],
    ['[0]*10**10', 'x = [0] * 10**10', 'memory'],
    ['[0]*10**9', 'x = [0] * 10**9', 'memory'],
    [
      'deep recursion with a raised limit',
      'import sys\nsys.setrecursionlimit(10**6)\ndef f(n):\n    return f(n + 1)\nf(0)',
      'crash',
    ],
    ['a C-stack overflow', 'l = []\nfor i in range(100000):\n    l = [l]\nrepr(l)', 'crash'],
    ['os.system', 'import os\nos.system("echo hi")', 'blocked', /os\.system/],
    ['subprocess', 'import subprocess\nsubprocess.run(["echo", "hi"])', 'blocked', /subprocess/],
    ['js.fetch', js('fetch("https://example.com")'), 'blocked', /js\.fetch/],
    ['js.XMLHttpRequest', js('XMLHttpRequest.new()'), 'blocked', /js\.XMLHttpRequest/],
    ['js.postMessage', js('postMessage("forged")'), 'blocked', /js\.postMessage/],
    ['js.indexedDB', js('indexedDB.open("models")'), 'blocked', /js\.indexedDB/],
    ['js.caches', js('caches.keys()'), 'blocked', /js\.caches/],
    ['pyodide_js', 'import pyodide_js\nprint(pyodide_js.globals)', 'error', /pyodide_js/],
    ['redefining print', 'print = lambda *args: None\nprint(5)', 'no-output'],
    ['a syntax error', 'def f(:\n    pass', 'syntax-error'],
    ['reading input', 'print(input())', 'error', /EOFError/],
  ])('%s', async (_name, body, reason, detail) => {
    const { verdict } = await runBody(sandbox, body, '5');
    expect(verdict).toMatchObject({ state: 'fail', reason });
    if (detail && verdict?.state === 'fail') expect(verdict.detail).toMatch(detail);
    const next = await runBody(sandbox, 'print(5)', '5');
    expect(next.verdict).toEqual({ state: 'pass', note: null });
  });

  it('caps 10 MB of output and still judges the last print', async () => {
    const { outcome, verdict } = await runBody(sandbox, 'print("x" * 10_000_000)\nprint(5)', '5');
    expect(verdict).toEqual({ state: 'pass', note: null });
    expect(outcome.stdout.length).toBeLessThanOrEqual(64 * 1024);
    expect(outcome.droppedChars).toBeGreaterThan(9_000_000);
  });

  it('stops a running program on abort, through the shared interrupt buffer', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = performance.now();
    const stopped = sandbox.runCase({
      program: `${NUMPY_PRELUDE}while True:\n    pass\n`,
      expected: parsePyJson('5'),
      signal: controller.signal,
    });
    await expect(stopped).rejects.toThrow(AbortedError);
    expect(performance.now() - started).toBeLessThan(2000); // well before the 3 s time limit
    expect((await runBody(sandbox, 'print(5)', '5')).verdict).toEqual({
      state: 'pass',
      note: null,
    });
  });

  it('ends the program, not the worker, on sys.exit()', async () => {
    const { verdict } = await runBody(sandbox, 'print(5)\nimport sys\nsys.exit(1)\nprint(6)', '5');
    expect(verdict).toEqual({ state: 'pass', note: 'exited' });
  });
});
