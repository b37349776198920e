import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures.ts';
import { BenchmarkPage, openWithTinyOnWasm } from './helpers/benchmark-page.ts';
import { GeneratePage } from './helpers/generate-page.ts';
import { PlaygroundPage } from './helpers/playground-page.ts';
import { TEST_HUB_URL, TestHub } from './helpers/test-hub.ts';
import { PACKAGE_INDEX_PATH } from '../scripts/test-hub/package-index.ts';

const FINAL = /^(pass|fail|timeout|error|unavailable)$/;
const PREFIX = '# Import libraries.\n\nimport numpy as np\n\n';
/** The test hub's stand-in package index: problems that need numpy or scikit-learn can run. */
const PACKAGES = new TestHub().packagesQuery;

test.describe.configure({ mode: 'serial', timeout: 900_000 });
test.beforeEach(({ page: _page }, testInfo) => {
  test.skip(testInfo.project.name !== 'isolated', 'one server setup is enough for the benchmark');
});

test('runs problems 1–3 live and every cell reaches a final state; export and re-import agree', async ({
  page,
}, testInfo) => {
  const bench = await openWithTinyOnWasm(page);
  await bench.setProblems('1-3');
  await bench.setSettings({ seed: 16 });
  await bench.run();
  await bench.waitForAllFinal(600_000);
  for (let problem = 1; problem <= 3; problem++) {
    for (let testCase = 1; testCase <= 5; testCase++) {
      expect(await bench.status(problem, testCase), `problem ${problem} test ${testCase}`).toMatch(
        FINAL,
      );
    }
  }
  await expect(bench.page.getByTestId('bench-counts')).toContainText('15');
  // The live run's timeline chart: one execution span per case, read from its data.
  const timeline = bench.page.getByTestId('chart-run-timeline');
  await expect(timeline).toBeVisible();
  const spans = JSON.parse((await timeline.getAttribute('data-chart-data')) ?? '[]') as Array<{
    kind: string;
  }>;
  expect(spans.filter((s) => s.kind === 'execute')).toHaveLength(15);
  const drawer = await bench.openDrawer(2, 1);
  await expect(drawer).toContainText('Turn 1 of');
  await expect(drawer.getByTestId('open-in-playground')).toHaveAttribute(
    'href',
    '#playground?problem=2&case=0',
  );
  await expect(drawer.getByTestId('drawer-status')).toHaveText(
    /pass|fail|timeout|error|unavailable/,
  );
  await bench.closeDrawer();
  await page.screenshot({ path: testInfo.outputPath('benchmark-run.png'), fullPage: true });

  const exported = await bench.exportJsonl();
  const lines = exported
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines).toHaveLength(15);
  expect(Object.keys(lines[0] ?? {}).sort()).toEqual([
    'completions',
    'gold_output',
    'id',
    'input',
    'passed',
    'printed',
    'prompts_completions',
    'status',
  ]);
  const statuses = lines.map((l) => l.status);

  // Import the export: a replay re-executes the programs and must give the same verdicts.
  const file = join(mkdtempSync(join(tmpdir(), 'mtpb-')), 'export.jsonl');
  writeFileSync(file, exported);
  await bench.importSamples(file);
  await bench.waitForAllFinal(600_000);
  const replayed = (await bench.exportJsonl())
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { status: string }).status);
  expect(replayed).toEqual(statuses);
});

test('replays a samples file: correct, wrong and timing-out programs get their verdicts', async ({
  page,
}) => {
  const bench = new BenchmarkPage(page);
  await bench.open();
  const sample = (id: string, body: string, gold: unknown) =>
    JSON.stringify({
      id,
      input: { x: id },
      gold_output: gold,
      completions: `${PREFIX}# Do it.\n${body}\n\n`,
      prompts_completions: [PREFIX, '# Do it.\n', `${body}\n\n`],
    });
  const file = join(mkdtempSync(join(tmpdir(), 'mtpb-')), 'samples.jsonl');
  writeFileSync(
    file,
    [
      sample('1', 'total = sum([1, 2, 3])\nprint(total)', 6),
      sample('2', 'print(5)', 6),
      sample('3', 'while True:\n    pass', 6),
      sample('4', 'x = [1.5, 2.5]\nx', [1.5, 2.5]),
      'this line is not JSON',
    ].join('\n'),
  );
  await bench.importSamples(file);
  await expect(bench.importErrors()).toContainText(['line 5']);
  await bench.waitForAllFinal(120_000);
  expect(await bench.status(1, 1)).toBe('pass');
  expect(await bench.status(2, 1)).toBe('fail');
  expect(await bench.status(3, 1)).toBe('timeout');
  expect(await bench.status(4, 1)).toBe('pass');
  const drawer = await bench.openDrawer(2, 1);
  await expect(drawer.getByTestId('drawer-printed')).toContainText('5');
  await expect(drawer.getByTestId('drawer-expected')).toContainText('6');
  await bench.closeDrawer();
  const exported = (await bench.exportJsonl())
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; status: string; passed: boolean });
  expect(exported.map((l) => [l.id, l.status, l.passed])).toEqual([
    ['1', 'pass', true],
    ['2', 'fail', false],
    ['3', 'timeout', false],
    ['4', 'pass', true],
  ]);
});

test('the page shows the figures the command line prints for the same samples', async ({
  page,
}) => {
  // Two samples per test case, one of them needing a package the index does not serve
  // (networkx is in Pyodide's lock but not among the test hub's stand-in wheels: unavailable).
  const sample = (id: string, x: string, body: string, gold: unknown) =>
    JSON.stringify({
      id,
      input: { x },
      gold_output: gold,
      completions: `${PREFIX}# Do it.\n${body}\n\n`,
      prompts_completions: [PREFIX, '# Do it.\n', `${body}\n\n`],
    });
  const dir = mkdtempSync(join(tmpdir(), 'mtpb-figures-'));
  const file = join(dir, 'samples.jsonl');
  writeFileSync(
    file,
    [
      sample('1', 'a', 'print(6)', 6),
      sample('1', 'a', 'print(5)', 6),
      sample('1', 'b', 'print(6)', 6),
      sample('1', 'b', 'print(6)', 6),
      sample('2', 'c', 'import networkx\nprint(1)', 1),
      sample('2', 'c', 'print(1)', 1),
      sample('3', 'd', 'x = 1 +', 6),
      sample('3', 'd', 'print(7)', 6),
    ].join('\n') + '\n',
  );
  const packages = `${TEST_HUB_URL}${PACKAGE_INDEX_PATH}`;
  const cli = spawnSync(
    'npx',
    [
      'tsx',
      'scripts/cli/main.ts',
      'mtpb',
      '--replay',
      file,
      '--packages',
      packages,
      '--out',
      join(dir, 'out.jsonl'),
    ],
    { encoding: 'utf8', timeout: 300_000 },
  );
  expect(cli.status, cli.stderr).toBe(0);
  const row = (label: string): string =>
    cli.stdout
      .split('\n')
      .find((line) => line.startsWith(label))
      ?.slice(label.length)
      .trim() ?? '';
  const cliRate = /^([\d.]+) % \((\d+)\/(\d+)\)$/.exec(row('pass rate (excl. unavailable)'));
  const cliPassAt1 = /^([\d.]+) % over (\d+) test cases$/.exec(
    row('pass@1 (n=1, excl. unavailable)'),
  );
  expect(cliRate, cli.stdout).not.toBeNull();
  expect(cliPassAt1, cli.stdout).not.toBeNull();
  expect(row('unavailable')).toBe('1');

  const bench = new BenchmarkPage(page);
  await bench.open(`?packages=${encodeURIComponent(packages)}`);
  await bench.importSamples(file);
  await bench.waitForAllFinal(180_000);
  expect(await bench.status(2, 1, 1)).toBe('unavailable');
  const rate = await page.getByTestId('bench-pass-rate').innerText();
  const passAt1 = await page.getByTestId('bench-pass-at-k').innerText();
  const pageRate = /Pass rate ([\d.]+) % \((\d+) of (\d+) judged/.exec(rate);
  const pagePassAt1 = /pass@1 ([\d.]+) % \(mean over (\d+) test cases/.exec(passAt1);
  expect(pageRate, rate).not.toBeNull();
  expect(pagePassAt1, passAt1).not.toBeNull();
  // Same counts; the percentages differ only in the digits shown.
  expect([pageRate?.[2], pageRate?.[3]]).toEqual([cliRate?.[2], cliRate?.[3]]);
  expect(Math.abs(Number(pageRate?.[1]) - Number(cliRate?.[1]))).toBeLessThan(0.06);
  expect(pagePassAt1?.[2]).toBe(cliPassAt1?.[2]);
  expect(Math.abs(Number(pagePassAt1?.[1]) - Number(cliPassAt1?.[1]))).toBeLessThan(0.06);
  // By hand: judged 7 of 8 (one unavailable), 4 pass → 57.1 %; pass@1 per test case with
  // judged samples: a 1/2, b 2/2, c 1/1, d 0/2 → (0.5 + 1 + 1 + 0) / 4 = 62.5 %.
  expect([cliRate?.[2], cliRate?.[3]]).toEqual(['4', '7']);
  expect(Number(cliPassAt1?.[1])).toBeCloseTo(62.5, 2);
});

test('the playground and the benchmark share one Python sandbox: Pyodide is read once', async ({
  page,
}) => {
  const coreReads: string[] = [];
  page.on('request', (request) => {
    if (/\/pyodide\.asm\.wasm$/.test(request.url())) coreReads.push(request.url());
  });
  const playground = new PlaygroundPage(page);
  await playground.open();
  await playground.setText('import math\nmath.pi = 3\nprint(math.pi)\n');
  const console_ = await playground.run();
  await expect(console_).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('console-stdout')).toHaveText('3');

  // Then a benchmark problem on the same page: the same sandbox, but an interpreter the
  // playground's patch of math.pi never reached.
  await page.getByRole('tab', { name: 'Benchmark' }).click();
  await expect(page.getByTestId('dataset-status')).not.toHaveAttribute('data-status', 'loading', {
    timeout: 60_000,
  });
  const bench = new BenchmarkPage(page);
  const file = join(mkdtempSync(join(tmpdir(), 'mtpb-')), 'samples.jsonl');
  const body = 'import math\nprint(math.pi)';
  writeFileSync(
    file,
    JSON.stringify({
      id: '1',
      input: { x: 1 },
      gold_output: Math.PI,
      completions: `${PREFIX}# Print pi.\n${body}\n\n`,
      prompts_completions: [PREFIX, '# Print pi.\n', `${body}\n\n`],
    }),
  );
  await bench.importSamples(file);
  await bench.waitForAllFinal(120_000);
  expect(await bench.status(1, 1)).toBe('pass');

  expect(coreReads, 'the Pyodide core is fetched by one sandbox only').toHaveLength(1);
  // One active interpreter worker and its spare, each in its frame: not two sandboxes' worth.
  await expect(page.locator('iframe[title="Python sandbox"]')).toHaveCount(2);
});

test('a reload in the middle of a run keeps what finished and resumes the rest', async ({
  page,
}) => {
  let bench = await openWithTinyOnWasm(page);
  await bench.setProblems('4-5');
  await bench.run();
  // Wait for the first problem's cases to finish, then reload while the run goes on.
  await expect(bench.cell(4, 5)).toHaveAttribute('data-status', FINAL, { timeout: 300_000 });
  await page.reload();
  bench = await openWithTinyOnWasm(page);
  const interrupted = page.getByTestId('interrupted-run');
  await expect(interrupted).toBeVisible();
  await interrupted.getByRole('button', { name: 'Resume' }).click();
  await bench.waitForAllFinal(600_000);
  for (let testCase = 1; testCase <= 5; testCase++) {
    expect(await bench.status(4, testCase)).toMatch(FINAL);
    expect(await bench.status(5, testCase)).toMatch(FINAL);
  }
  const lines = (await bench.exportJsonl()).trim().split('\n');
  expect(lines).toHaveLength(10);
});

test('a run shows an ETA and token counts, records what ran, and a reload mid-problem keeps its finished turns', async ({
  page,
}, testInfo) => {
  let bench = await openWithTinyOnWasm(page, PACKAGES);
  // Problem 14 has 9 turns of 128 tokens: long enough to reload in the middle of it.
  await bench.setProblems('14');
  await bench.run();
  await expect(bench.eta()).toHaveText(/· about (\d+ s|\d+ min( \d+ s)?) left/, {
    timeout: 60_000,
  });
  await expect(bench.cell(14, 1)).toHaveText(/turn \d\/9 · [1-9]\d*\/128 tokens/, {
    timeout: 60_000,
  });
  await page.screenshot({ path: testInfo.outputPath('benchmark-progress.png'), fullPage: true });
  // Turns 1–4 finished (each saved as it ends); reload while a later one generates.
  await expect(bench.cell(14, 1)).toHaveText(/turn [5-8]\/9/, { timeout: 300_000 });
  await page.reload();
  bench = await openWithTinyOnWasm(page, PACKAGES);
  await bench.watchGeneratingTurns(14);
  const interrupted = page.getByTestId('interrupted-run');
  await interrupted.getByRole('button', { name: 'Resume' }).click();
  await bench.waitForAllFinal(600_000);
  const turns = await bench.generatingTurnsSeen();
  expect(turns.length, 'the resumed run generated the turns still missing').toBeGreaterThan(0);
  expect(Math.min(...turns), 'turns 1–3 were kept, not generated again').toBeGreaterThanOrEqual(4);
  const drawer = await bench.openDrawer(14, 1);
  await expect(drawer).toContainText('Turn 9 of 9');
  await bench.closeDrawer();

  // What ran: in the run view, in Saved runs, and beside the export.
  await expect(page.getByTestId('run-facts-model')).toHaveText(
    'Tiny CodeGen (random weights) · fp32 · WASM · ort',
  );
  await expect(bench.runFacts().getByTestId('run-facts-version')).toHaveText('0.1.0');
  await bench.runFacts().locator('summary').click();
  await page.screenshot({ path: testInfo.outputPath('benchmark-run-facts.png'), fullPage: true });
  await expect(bench.pastRuns().first().getByTestId('past-run-model')).toHaveText(
    'Tiny CodeGen (random weights) · fp32 · WASM · ort',
  );
  const meta = await bench.exportMeta();
  expect(meta.name).toMatch(/^mtpb-Tiny-CodeGen.*\.meta\.json$/);
  expect(meta.json).toMatchObject({
    format: 'codegen-webgpu-playground/mtpb-run',
    run: {
      model: {
        id: 'tiny',
        dtype: 'fp32',
        onnxPath: 'onnx/model.onnx',
        backend: 'wasm',
        engine: 'ort',
      },
      appVersion: '0.1.0',
      settings: { mode: 'multi', seed: 16, temperature: 0.2, topP: 0.95, problemIds: ['14'] },
      resumes: [{ differences: [] }],
    },
  });

  // Imported together, samples and metadata: the replay says what generated them.
  const dir = mkdtempSync(join(tmpdir(), 'mtpb-meta-'));
  const samples = join(dir, meta.name.replace('.meta.json', '.jsonl'));
  writeFileSync(samples, await bench.exportJsonl());
  writeFileSync(join(dir, meta.name), JSON.stringify(meta.json));
  await bench.importSamples([samples, join(dir, meta.name)]);
  await bench.waitForAllFinal(300_000);
  await expect(bench.runFacts()).toContainText('What generated these samples');
  await expect(page.getByTestId('run-facts-model')).toHaveText(
    'Tiny CodeGen (random weights) · fp32 · WASM · ort',
  );
});

test('resuming on another dtype is refused until the user continues anyway, and the run says so', async ({
  page,
}) => {
  const bench = await openWithTinyOnWasm(page, PACKAGES);
  await bench.setProblems('14');
  await bench.run();
  await expect(bench.cell(14, 1)).toHaveText(/turn [2-8]\/9/, { timeout: 300_000 });
  await bench.stop();
  const runId = await bench.results.getAttribute('data-run-id');

  // Load the same model in q4 and try to resume the fp32 run.
  await page.getByRole('tab', { name: 'Playground' }).click();
  await new GeneratePage(page).loadModel({ dtype: 'q4', backend: 'wasm' });
  await expect(page.getByTestId('model-ready')).toContainText('q4', { timeout: 90_000 });
  await page.getByRole('tab', { name: 'Benchmark' }).click();
  await expect(page.getByTestId('bench-model')).toContainText('q4 · WASM');
  const row = page.getByTestId(`run-${runId}`);
  await row.getByRole('button', { name: 'Resume' }).click();
  const check = page.getByTestId('resume-check');
  await expect(check).toContainText('dtype: fp32 → q4');
  await expect(bench.results).toHaveAttribute('data-phase', 'stopped');
  expect(await bench.status(14, 1)).toBe('not-run');

  await check.getByTestId('resume-anyway').click();
  await expect(check).toBeHidden();
  await bench.waitForAllFinal(600_000);
  await expect(bench.runFacts().getByTestId('run-facts-resume')).toContainText(
    'continued anyway although dtype: fp32 → q4',
  );
  // The run stays recorded as started on fp32, marked as finished on another model.
  await expect(row.getByTestId('past-run-model')).toHaveText(
    /fp32 · WASM · ort · resumed on another model/,
  );
});
