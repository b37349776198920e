import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Download, Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { openWithTinyOnWasm } from './helpers/benchmark-page.ts';

// The paper's experiment in one click, on the embedded tiny model (random weights): both modes
// on the same two problems, the comparison's charts read back from their data (not pixels)
// against the runs' own cells, the presenter view driven from the keyboard, the exports, and
// axe's WCAG A/AA rules on the new views.

test.describe.configure({ mode: 'serial', timeout: 900_000 });
test.beforeEach(({ page: _page }, testInfo) => {
  test.skip(testInfo.project.name !== 'isolated', 'one server setup is enough for the benchmark');
});

const PROBLEMS = ['1', '2'];
const MODES = ['multi', 'single'] as const;

/** A chart's underlying rows (its data-chart-data) or summary (data-chart-summary). */
async function chartJson<T>(chart: Locator, what: 'data' | 'summary'): Promise<T> {
  const text = await chart.getAttribute(`data-chart-${what}`);
  expect(text, `${what} of the chart`).not.toBeNull();
  return JSON.parse(text ?? 'null') as T;
}

/** Each cell's status in the comparison's grid for one mode: problem id → statuses. */
async function gridStatuses(
  comparison: Locator,
  mode: (typeof MODES)[number],
): Promise<Map<string, string[]>> {
  await comparison.getByTestId(`compare-grid-${mode}`).check();
  const byProblem = new Map<string, string[]>();
  for (const id of PROBLEMS) {
    const cells = comparison.getByTestId(`row-${id}`).locator('[data-testid^="cell-"]');
    byProblem.set(
      id,
      await cells.evaluateAll((all) => all.map((c) => c.getAttribute('data-status') ?? '')),
    );
  }
  return byProblem;
}

/** axe-core's WCAG 2 A/AA rules on one part of the page: no violation. */
async function expectAccessible(page: Page, selector: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .include(selector)
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const violations = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`,
  );
  expect(violations, `axe on ${selector}`).toEqual([]);
}

async function downloaded(page: Page, click: () => Promise<void>): Promise<Download> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return download;
}

test('one click compares multi- and single-turn on two problems; charts, perplexity, presenter and exports agree with the records', async ({
  page,
  context,
}, testInfo) => {
  const bench = await openWithTinyOnWasm(page);
  await bench.setProblems(PROBLEMS.join(','));
  await page.getByTestId('bench-compare').click();
  const comparison = page.getByTestId('comparison');
  await expect(comparison).toHaveAttribute('data-phase', /running|done/, { timeout: 60_000 });

  // The presenter view while it runs, at a projector's 1920×1080: big figures filling in,
  // Space pauses and resumes.
  await page.setViewportSize({ width: 1920, height: 1080 });
  await comparison.getByTestId('compare-present').click();
  const presenter = page.getByTestId('presenter');
  await expect(presenter).toBeVisible();
  await expect(presenter.getByTestId('presenter-random-banner')).toBeVisible();
  await expect(presenter.getByTestId('presenter-figure-multi')).toHaveText(/%/, {
    timeout: 300_000,
  });
  await expectAccessible(page, '[data-testid="presenter"]');
  await page.screenshot({ path: testInfo.outputPath('presenter-live.png') });
  if ((await comparison.getAttribute('data-phase')) === 'running') {
    await page.keyboard.press('Space');
    await expect(presenter).toHaveAttribute('data-phase', 'paused');
    await page.keyboard.press('Space');
    await expect(presenter).toHaveAttribute('data-phase', /running|done/);
  }
  await page.keyboard.press('ArrowRight');
  await expect(presenter).toHaveAttribute('data-view', 'categories');
  await expect(
    presenter.getByTestId('chart-presenter-categories').locator('svg').first(),
  ).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(presenter).toHaveAttribute('data-view', 'problems');
  await page.keyboard.press('Escape');
  await expect(presenter).toBeHidden();

  await expect(comparison).toHaveAttribute('data-phase', 'done', { timeout: 600_000 });
  await expect(comparison.getByTestId('compare-random-banner')).toBeVisible();

  // Both runs did every case: 2 problems × 5 test cases each.
  for (const mode of MODES)
    await expect(comparison.getByTestId(`compare-lane-${mode}`)).toContainText('10 / 10');
  await expect(comparison.getByTestId('compare-coverage')).toContainText('Compared on 2 problems');

  // The per-problem classes equal what each run's cells say.
  const statuses = {
    multi: await gridStatuses(comparison, 'multi'),
    single: await gridStatuses(comparison, 'single'),
  };
  const problems = comparison.getByTestId('chart-problems');
  const rows = await chartJson<Array<{ problemId: string; class: string }>>(problems, 'data');
  expect(rows.map((r) => r.problemId).sort()).toEqual(PROBLEMS);
  const expected: Record<string, number> = {
    both: 0,
    'multi-only': 0,
    'single-only': 0,
    neither: 0,
  };
  for (const id of PROBLEMS) {
    const multi = (statuses.multi.get(id) ?? []).includes('pass');
    const single = (statuses.single.get(id) ?? []).includes('pass');
    expect(statuses.multi.get(id)).toHaveLength(5);
    expect(statuses.single.get(id)).toHaveLength(5);
    const cls =
      multi && single ? 'both' : multi ? 'multi-only' : single ? 'single-only' : 'neither';
    expected[cls] = (expected[cls] ?? 0) + 1;
    expect(rows.find((r) => r.problemId === id)?.class, `problem ${id}`).toBe(cls);
  }
  const summary = await chartJson<Record<string, number>>(problems, 'summary');
  expect(summary).toMatchObject({ problems: 2, pending: 0, ...expected });

  // Category bars: each mode's judged cases add up to its judged cells (a problem in several
  // categories counts in each, so compare per category with the dataset's own categories).
  const categories = await chartJson<Array<{ mode: string; judged: number; passed: number }>>(
    comparison.getByTestId('chart-categories'),
    'data',
  );
  for (const mode of MODES) {
    const mine = categories.filter((c) => c.mode === mode);
    expect(mine.length).toBeGreaterThan(0);
    const passedCells = [...statuses[mode].values()].flat().filter((s) => s === 'pass').length;
    expect(Math.max(...mine.map((c) => c.passed))).toBeLessThanOrEqual(passedCells);
  }

  // A problem in the table opens its case drawer.
  await problems.getByText('Numbers').click();
  await problems.getByRole('button', { name: /open/i }).first().click();
  await expect(page.getByTestId('case-drawer')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('case-drawer')).toBeHidden();

  // The run's timeline was recorded.
  const timeline = await chartJson<Record<string, number>>(
    comparison.getByTestId('chart-timeline'),
    'summary',
  );
  expect(Object.keys(timeline).length).toBeGreaterThan(0);

  // Prompt perplexity, scored by the worker as part of the comparison once it finished.
  const means = comparison.getByTestId('compare-perplexity-means');
  await expect(means).toBeVisible({ timeout: 300_000 });
  const pplMulti = Number(await comparison.getByTestId('ppl-multi').textContent());
  const pplSingle = Number(await comparison.getByTestId('ppl-single').textContent());
  // On demand again: the same prompts, the same model, the same figures.
  const rerun = comparison.getByTestId('compare-perplexity-run');
  await rerun.click();
  await expect(rerun).toBeEnabled({ timeout: 300_000 });
  await expect(comparison.getByTestId('ppl-multi')).toHaveText(pplMulti.toFixed(2));
  await expect(comparison.getByTestId('ppl-single')).toHaveText(pplSingle.toFixed(2));
  expect(pplMulti).toBeGreaterThan(1);
  expect(pplSingle).toBeGreaterThan(1);
  testInfo.annotations.push({
    type: 'perplexity',
    description: `multi ${pplMulti}, single ${pplSingle}`,
  });
  const perplexity = await chartJson<Record<string, number>>(
    comparison.getByTestId('chart-perplexity'),
    'summary',
  );
  expect(perplexity.meanMulti).toBeCloseTo(pplMulti, 1);

  await expectAccessible(page, '[data-testid="comparison"]');

  // Keyboard: Tab from the panel's buttons reaches every chart's downloads and its numbers.
  await comparison.getByTestId('compare-report').focus();
  const reached = new Set<string>();
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    reached.add(
      await page.evaluate(() => {
        const element = document.activeElement;
        const chart = element?.closest('[data-testid^="chart-"]')?.getAttribute('data-testid');
        const name = element?.getAttribute('aria-label') ?? element?.textContent?.trim() ?? '';
        return `${chart ?? ''}|${name}`;
      }),
    );
  }
  for (const chart of ['categories', 'problems', 'timeline', 'perplexity']) {
    expect(reached, `${chart}'s numbers by keyboard`).toContain(`chart-${chart}|Numbers`);
    expect(
      [...reached].some((r) => r.startsWith(`chart-${chart}|Download`) && r.endsWith('as SVG')),
    ).toBe(true);
  }
  await comparison.screenshot({ path: testInfo.outputPath('comparison.png') });

  // Exports: SVG and PNG of a chart, and the HTML report.
  const categoriesChart = comparison.getByTestId('chart-categories');
  const svg = await downloaded(page, () =>
    categoriesChart.getByRole('button', { name: /as SVG/ }).click(),
  );
  expect(svg.suggestedFilename()).toMatch(/\.svg$/);
  const svgText = await readFile((await svg.path()) ?? '', 'utf8');
  expect(svgText).toContain('<svg');
  expect(svgText).toContain('xmlns="http://www.w3.org/2000/svg"');
  const png = await downloaded(page, () =>
    categoriesChart.getByRole('button', { name: /as PNG/ }).click(),
  );
  const pngBytes = await readFile((await png.path()) ?? '');
  expect([...pngBytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  const report = await downloaded(page, () => comparison.getByTestId('compare-report').click());
  expect(report.suggestedFilename()).toMatch(/^mtpb-compare-.*\.html$/);
  const reportPath = testInfo.outputPath('report.html');
  await report.saveAs(reportPath);
  const appRates = {
    multi: await comparison.getByTestId('compare-rate-multi').textContent(),
    single: await comparison.getByTestId('compare-rate-single').textContent(),
  };

  // The report opens offline, from a file, and says the same numbers.
  const offline = await context.browser()?.newContext();
  expect(offline).toBeDefined();
  if (!offline) return;
  await offline.setOffline(true);
  const requests: string[] = [];
  const reader = await offline.newPage();
  reader.on('request', (request) => {
    if (!request.url().startsWith('file:')) requests.push(request.url());
  });
  await reader.goto(pathToFileURL(reportPath).href);
  await expect(reader.getByTestId('report-compared')).toHaveText('2');
  for (const [cls, count] of Object.entries(expected))
    await expect(reader.getByTestId(`report-class-${cls}`)).toHaveText(String(count));
  for (const mode of MODES) {
    const shown = await reader.getByTestId(`report-${mode}-rate`).textContent();
    expect(appRates[mode] ?? '').toContain((shown ?? '').trim());
  }
  expect(await reader.locator('svg').count()).toBeGreaterThanOrEqual(2);
  expect(requests).toEqual([]);
  await offline.close();

  // Saved runs: the two runs are linked and reopen as the comparison.
  const saved = page.getByTestId('past-runs');
  await expect(saved.getByText('· compared')).toHaveCount(2);

  // The presenter's S starts another comparison with the same settings; Stop ends it.
  await comparison.getByTestId('compare-present').click();
  await expect(presenter).toHaveAttribute('data-phase', 'done');
  await page.keyboard.press('s');
  await expect(presenter).toHaveAttribute('data-phase', /running/, { timeout: 30_000 });
  await page.keyboard.press('Escape');
  await comparison.getByTestId('compare-stop').click();
  await expect(comparison).toHaveAttribute('data-phase', /stopped|done/, { timeout: 120_000 });
});
