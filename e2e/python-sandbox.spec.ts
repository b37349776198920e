import type { ViteDevServer } from 'vite';
import { startSandboxPageServer } from '../scripts/python-sandbox-page/server.ts';
import { isQuirk, NEEDS_PACKAGES } from '../src/mtpb/reference-solutions/expectations.ts';
import { expect, test } from './fixtures.ts';
import { PythonSandboxPage } from './helpers/python-sandbox-page.ts';

// The sandbox runs on a test page of its own (scripts/python-sandbox-page), served with the
// isolation headers of the project: the 'plain' project gets a page that is not
// cross-origin isolated, where Stop can only replace the worker.
test.describe.configure({ mode: 'serial' });
let server: ViteDevServer | null = null;
let origin = '';

test.beforeAll(async () => {
  const project = test.info().project.name;
  test.skip(project === 'no-webgpu');
  const isolated = project !== 'plain';
  const port = isolated ? 4181 : 4182;
  server = await startSandboxPageServer(port, isolated);
  origin = `http://127.0.0.1:${port}`;
});
test.afterAll(async () => {
  await server?.close();
});

const LIMITS = {
  timeLimitMs: 2000,
  hardStopMs: 500,
  killAfterMs: 1500,
  memoryLimitBytes: 256 * 2 ** 20,
};

test('runs Python with the official verdict, isolated or not', async ({ page }, testInfo) => {
  const sandbox = new PythonSandboxPage(page, origin);
  const { isolated } = await sandbox.open(LIMITS);
  expect(isolated).toBe(testInfo.project.name !== 'plain');
  expect(await sandbox.run('x = [1, 2]\nx', '[1, 2]')).toMatchObject({
    state: 'pass',
    verdict: 'passed',
  });
  expect(await sandbox.run('print(3)\nwhile True:\n    pass', '3')).toMatchObject({
    verdict: 'passed, but timed out after printing',
  });
  expect(await sandbox.run('print(np.zeros(1))', '[0]')).toMatchObject({
    verdict: 'unavailable (needs numpy)',
  });
});

test('bad input gets a clear verdict and the next case runs', async ({ page }) => {
  test.setTimeout(240_000);
  const sandbox = new PythonSandboxPage(page, origin);
  await sandbox.open(LIMITS);
  const cases: [string, string, string][] = [
    ['while True:\n    pass', 'timeout', 'timeout'],
    ['import time\ntime.sleep(100)', 'timeout', 'timeout'],
    [
      'while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass',
      'killed',
      'timeout',
    ],
    ['l = []\nwhile True:\n    l.append(bytearray(10**7))', 'memory', 'memory'],
    ['x = [0] * 10**10', 'error', 'memory'],
    ['import sys\nsys.setrecursionlimit(10**6)\ndef f(n):\n    return f(n + 1)\nf(0)', '', ''],
    ['l = []\nfor i in range(100000):\n    l = [l]\nrepr(l)', 'crashed', 'crash'],
    ['import os\nos.system("echo hi")', 'error', 'blocked'],
    ['import subprocess\nsubprocess.run(["echo"])', 'error', 'blocked'],
    ['import js\njs.fetch("/")', 'error', 'blocked'],
    ['import js\njs.XMLHttpRequest.new()', 'error', 'blocked'],
    ['import js\njs.postMessage("forged")', 'error', 'blocked'],
    ['import js\njs.indexedDB.open("models")', 'error', 'blocked'],
    ['import js\njs.caches.keys()', 'error', 'blocked'],
    ['print = lambda *args: None\nprint(5)', 'ok', 'no-output'],
    ['def f(:\n    pass', 'error', 'syntax-error'],
  ];
  for (const [body, status, reason] of cases) {
    const result = await sandbox.run(body);
    const label = `${body}: ${result.verdict}`;
    expect(result.state, label).toBe('fail');
    if (status) expect(result.status, label).toBe(status);
    if (reason) expect(result.reason, label).toBe(reason);
    expect(await sandbox.run('print(5)'), `after ${body}`).toMatchObject({ state: 'pass' });
  }
  const big = await sandbox.run('print("x" * 10_000_000)\nprint(5)');
  expect(big).toMatchObject({ state: 'pass' });
});

test('Stop ends a running program and the next one runs', async ({ page }) => {
  const sandbox = new PythonSandboxPage(page, origin);
  await sandbox.open({ ...LIMITS, timeLimitMs: 60_000 });
  const stopped = await sandbox.run('while True:\n    pass', '5', 300);
  expect(stopped.state).toBe('error');
  expect(stopped.verdict).toContain('cancelled');
  expect(await sandbox.run('print(5)')).toMatchObject({ state: 'pass' });
});

test('programs cannot reach the app even with the worker global scope in hand', async ({
  page,
}) => {
  const sandbox = new PythonSandboxPage(page, origin);
  // The app's own storage, which the program must not see.
  await page.goto(`${origin}/`);
  await page.evaluate(async () => {
    await (await caches.open('models')).put('/secret', new Response('weights'));
    localStorage.setItem('secret', 'results');
  });
  // Test-only: `import js` is the worker's real global scope, not the empty object.
  await sandbox.open({ ...LIMITS, exposeWorkerGlobals: true });
  const attempt = async (body: string): Promise<string> =>
    (await sandbox.run(body, null)).error ?? 'no error';
  // Asynchronous attempts report into sys (it outlives a case), read back by the next case.
  const later = async (body: string): Promise<string> => {
    await sandbox.run(`import sys, js\nsys.probe = []\nnote = sys.probe.append\n${body}`, null);
    await page.waitForTimeout(1000);
    return (await sandbox.run('import sys\nprint(sys.probe)', null)).stdout;
  };
  // fetch() there is Pyodide's shim: it serves only lock-listed package files, via the app.
  expect(
    await later(
      `js.fetch(js.location.href).then(lambda r: note("got " + str(r.status)), lambda e: note("refused"))`,
    ),
  ).toContain('refused');
  expect(
    await later(
      'ws = js.WebSocket.new("ws://127.0.0.1:9/")\nws.onerror = lambda e: note("ws error")\nws.onopen = lambda e: note("ws open")',
    ),
  ).toContain('ws error');
  expect(
    await attempt(
      'import js\nx = js.XMLHttpRequest.new()\nx.open("GET", "http://127.0.0.1/", False)\nx.send()',
    ),
  ).toMatch(/Failed|NetworkError|violates/);
  expect(await attempt('import js\njs.indexedDB.open("models")')).toMatch(/SecurityError|denied/);
  expect(await attempt('import js\nprint(js.caches.keys())')).toMatch(
    /caches|undefined|AttributeError/,
  );
  expect(await attempt('import js\njs.importScripts("/")')).toMatch(
    /NetworkError|violates|importScripts|Failed/,
  );
  expect(await attempt('import js\njs.Function("return 1")()')).toMatch(/EvalError|unsafe-eval/);
  expect(await attempt('import js\nprint(js.origin)')).toBe('no error');
  expect((await sandbox.run('import js\nprint(js.origin)', '"null"')).state).toBe('pass');
  // A forged message goes to the sandbox frame, which ignores it.
  expect(
    await attempt(`import js\njs.postMessage(js.JSON.parse('{"type": "result", "id": 1}'))`),
  ).toBe('no error');
  expect(await sandbox.run('print(5)')).toMatchObject({ state: 'pass' });
  expect(
    await page.evaluate(async () => [
      await (await (await caches.open('models')).match('/secret'))?.text(),
      localStorage.getItem('secret'),
    ]),
  ).toEqual(['weights', 'results']);
});

test('loads a package through a custom lock file and keeps it for offline use', async ({
  page,
}) => {
  const sandbox = new PythonSandboxPage(page, origin);
  const index = {
    lockFileURL: '/probe-index/pyodide-lock.json',
    packageBaseUrl: `${origin}/probe-index/`,
  };
  await sandbox.open({ ...LIMITS, ...index });
  expect(
    await sandbox.run('import sandbox_probe\nprint(sandbox_probe.ANSWER)', '42'),
  ).toMatchObject({ state: 'pass' });
  // Offline now: the wheel must come from Cache Storage.
  await page.route('**/probe-index/*.whl', (route) => route.abort('internetdisconnected'));
  await sandbox.boot({ ...LIMITS, ...index });
  expect(
    await sandbox.run('import sandbox_probe\nprint(sandbox_probe.ANSWER)', '42'),
  ).toMatchObject({ state: 'pass' });
  expect(await sandbox.run('import pandas\nprint(1)', '1')).toMatchObject({
    verdict: 'unavailable (needs pandas)',
  });
});

test('reference solutions get the same verdicts as under Node', async ({ page }) => {
  test.setTimeout(240_000);
  const sandbox = new PythonSandboxPage(page, origin);
  await sandbox.open({ timeLimitMs: 10_000 });
  const ids = await page.evaluate(() =>
    (window as unknown as { sandboxPage: { referenceProblemIds(): Promise<string[]> } }).sandboxPage
      .referenceProblemIds()
      .catch(() => []),
  );
  test.skip(ids.length === 0, 'the MTPB file (../shared/datasets/mtpb/mtpb.jsonl) is absent');
  for (const id of ['1', '8', '9', '20', '41', '62', '89', '104']) {
    const results = await sandbox.runReference(id);
    results.forEach((result, i) => {
      const expected = NEEDS_PACKAGES[id] ? 'unavailable' : isQuirk(id, i) ? 'fail' : 'pass';
      expect(result.state, `problem ${id}, case ${i}: ${result.verdict}`).toBe(expected);
    });
  }
});
