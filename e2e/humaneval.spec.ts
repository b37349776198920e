import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures.ts';
import { BenchmarkPage, openWithTinyOnWasm } from './helpers/benchmark-page.ts';

/** The hand-written samples and what openai/human-eval's own checker said of each. */
const FIXTURES = new URL('../src/humaneval/fixtures/', import.meta.url);
const REPLAY_SAMPLES = fileURLToPath(new URL('replay-samples.jsonl', FIXTURES));
const REPLAY_EXPECTED = fileURLToPath(new URL('replay-expected.jsonl', FIXTURES));

/** Verdicts a random-weights model can get: anything final but a pass. */
const NOT_PASSED = /^(fail|error|timeout)$/;

test.describe.configure({ mode: 'serial', timeout: 600_000 });
test.beforeEach(({ page: _page }, testInfo) => {
  test.skip(testInfo.project.name !== 'isolated', 'one server setup is enough for the benchmark');
});

/** Chooses HumanEval and waits for its 164 tasks, served by the app itself. */
async function chooseHumanEval(page: Page): Promise<void> {
  await page.getByTestId('benchmark-humaneval').check();
  await expect(page.getByTestId('humaneval-status')).toContainText('164 tasks', {
    timeout: 60_000,
  });
}

/** The tiny model on WASM, then the Benchmark tab on HumanEval. */
async function openOnHumanEval(page: Page): Promise<BenchmarkPage> {
  const bench = await openWithTinyOnWasm(page);
  await chooseHumanEval(page);
  return bench;
}

test('runs HumanEval/0–2 with two samples each on the tiny model; summary and export agree', async ({
  page,
}, testInfo) => {
  const bench = await openOnHumanEval(page);
  // The form is rebuilt for the benchmark chosen: fill it after choosing HumanEval.
  await bench.setProblems('0-2');
  await page.getByTestId('bench-n').fill('2');
  await page.getByTestId('bench-temperatures').fill('0.2');
  await page.getByTestId('bench-maxNewTokens').fill('24');
  await bench.run();
  await bench.waitForAllFinal(480_000);
  await expect(bench.results).toHaveAttribute('data-phase', 'done');

  // One column (T = 0.2), two samples per task: six cells, all with a verdict.
  const cells = bench.grid.locator('[data-testid^="cell-"]');
  const ids = await cells.evaluateAll((all) => all.map((c) => c.getAttribute('data-testid')));
  expect(ids.sort()).toEqual(
    [0, 1, 2].flatMap((task) => [`cell-HumanEval/${task}-0`, `cell-HumanEval/${task}-0-1`]).sort(),
  );
  for (let task = 0; task <= 2; task++) {
    for (let sample = 1; sample <= 2; sample++) {
      expect(
        await bench.status(`HumanEval/${task}`, 1, sample),
        `task ${task} sample ${sample}`,
      ).toMatch(NOT_PASSED);
    }
  }

  // pass@k for T = 0.2: with n = 2 only pass@1 is reportable.
  const summary = page.getByTestId('humaneval-summary');
  await expect(summary).toBeVisible();
  const passAtK = page.getByTestId('humaneval-pass-at-k');
  await expect(passAtK.locator('thead th')).toHaveText(['Temperature', 'pass@1']);
  const row = page.getByTestId('humaneval-t-0.2');
  await expect(row.locator('th')).toHaveText('0.2');
  await expect(row.locator('td')).toHaveText(['0.00 %']);
  await expect(page.getByTestId('humaneval-paper')).toContainText('CodeGen');
  // The same figures as a chart, read from its data: one bar, pass@1 at T = 0.2.
  const chart = page.getByTestId('chart-humaneval-temperatures');
  await expect(chart).toBeVisible();
  expect(JSON.parse((await chart.getAttribute('data-chart-data')) ?? '[]')).toEqual([
    { temperature: 'T = 0.2', k: 1, percent: 0 },
  ]);
  await page.screenshot({ path: testInfo.outputPath('humaneval-run.png'), fullPage: true });

  // The official samples format, with each sample's temperature and verdict.
  const lines = (await bench.exportJsonl())
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines).toHaveLength(6);
  expect(lines.map((l) => l.task_id)).toEqual([
    'HumanEval/0',
    'HumanEval/0',
    'HumanEval/1',
    'HumanEval/1',
    'HumanEval/2',
    'HumanEval/2',
  ]);
  for (const line of lines) {
    expect(Object.keys(line).sort()).toEqual([
      'completion',
      'passed',
      'result',
      'task_id',
      'temperature',
    ]);
    expect(typeof line.completion).toBe('string');
    expect(line.temperature).toBe(0.2);
    expect(typeof line.result).toBe('string');
    expect(line.result).not.toBe('passed');
    expect(line.passed).toBe(false);
  }
});

test('replays the HumanEval fixture with the official verdicts, timeouts included', async ({
  page,
}) => {
  const bench = new BenchmarkPage(page);
  await bench.open();
  await chooseHumanEval(page);
  await bench.importSamples(REPLAY_SAMPLES);
  // 14 programs, two of them hanging for the 3 s limit and its grace.
  await bench.waitForAllFinal(240_000);
  await expect(bench.results).toHaveAttribute('data-phase', 'done');

  const expected = readFileSync(REPLAY_EXPECTED, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { task_id: string; result: string; passed: boolean });
  expect(expected).toHaveLength(14);
  // No temperature in the file: one column ("as imported"), samples numbered per task.
  const seen = new Map<string, number>();
  for (const line of expected) {
    const sample = (seen.get(line.task_id) ?? 0) + 1;
    seen.set(line.task_id, sample);
    const status = await bench.status(line.task_id, 1, sample);
    const what = `${line.task_id} sample ${sample} (official: ${line.result})`;
    if (line.passed) expect(status, what).toBe('pass');
    else expect(status, what).not.toBe('pass');
    if (line.result === 'timed out') expect(status, what).toBe('timeout');
    else if (!line.passed) expect(status, what).toMatch(/^(fail|error)$/);
  }
  await expect(bench.grid.locator('[data-testid^="cell-"]')).toHaveCount(14);

  // The raise ValueError("boom") sample: the official result line.
  const drawer = await bench.openDrawer('HumanEval/4', 1, 2);
  await expect(drawer.getByTestId('drawer-result')).toHaveText('failed: boom');
  await bench.closeDrawer();
});
