import type { Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures.ts';
import { BenchmarkPage } from './helpers/benchmark-page.ts';
import { PlaygroundPage } from './helpers/playground-page.ts';

/**
 * Layout at a laptop's and a phone's size, and the page used from the keyboard alone: the
 * view tabs, the editor's Tab trap and the results grid.
 */

test.beforeEach(({ page: _page }, testInfo) => {
  test.skip(testInfo.project.name !== 'isolated', 'layout does not depend on the server setup');
});

/** Where keyboard focus is, in words a failure message can show. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return {
      role: el?.getAttribute('role') ?? el?.tagName.toLowerCase() ?? null,
      name: el?.textContent?.trim() ?? '',
      testId: el?.getAttribute('data-testid') ?? null,
      inEditor: !!el?.closest('.monaco-editor'),
      inGrid: !!el?.closest('[data-testid="bench-grid"]'),
    };
  });

/**
 * Whether the page scrolls sideways: [] when the document is no wider than the window, else
 * the innermost elements that end past its right edge, to name the culprit in a failure.
 */
const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return [];
    const past = (el: Element) => el.getBoundingClientRect().right > root.clientWidth + 0.5;
    return [...document.body.querySelectorAll('*')]
      .filter((el) => past(el) && ![...el.children].some(past))
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${el.textContent?.slice(0, 20)}`);
  });

/** A samples file for a replay: problems 1–3, two test cases each, one pass and one fail per row. */
function samplesFile(): string {
  const sample = (id: string, x: string, body: string, gold: number) =>
    JSON.stringify({
      id,
      input: { x },
      gold_output: gold,
      completions: `# Do it.\n${body}\n\n`,
      prompts_completions: ['', '# Do it.\n', `${body}\n\n`],
    });
  const file = join(mkdtempSync(join(tmpdir(), 'mtpb-keys-')), 'samples.jsonl');
  writeFileSync(
    file,
    ['1', '2', '3']
      .flatMap((id) => [sample(id, 'a', 'print(6)', 6), sample(id, 'b', 'print(5)', 6)])
      .join('\n') + '\n',
  );
  return file;
}

async function replayed(page: Page): Promise<BenchmarkPage> {
  const bench = new BenchmarkPage(page);
  await bench.open();
  await bench.importSamples(samplesFile());
  await bench.waitForAllFinal(180_000);
  return bench;
}

test('the view tabs are one tab stop; arrow keys, Home and End switch the tab, its panel and the hash', async ({
  page,
}) => {
  await page.goto('/#playground');
  const tablist = page.getByRole('tablist', { name: 'Views' });
  await expect(tablist.getByRole('tab')).toHaveCount(3);
  // Keyboard only, from the top of the page.
  for (let i = 0; i < 8 && (await focused(page)).role !== 'tab'; i++)
    await page.keyboard.press('Tab');
  expect(await focused(page)).toMatchObject({ role: 'tab', name: 'Playground' });

  const expectView = async (name: string, id: string) => {
    const tab = page.getByRole('tab', { name, exact: true });
    await expect(tab).toBeFocused();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    await expect(tab).toHaveAttribute('tabindex', '0');
    await expect(page.getByRole('tabpanel', { name })).toBeVisible();
    await expect(page.locator(`#${await tab.getAttribute('aria-controls')}`)).toBeVisible();
    await expect(page.locator('[role=tabpanel]:visible')).toHaveCount(1);
    await expect(tablist.locator('[role=tab][tabindex="0"]')).toHaveCount(1);
    // The playground adds its state after the view: `#playground?s=…`.
    await expect
      .poll(() => page.evaluate(() => location.hash))
      .toMatch(new RegExp(`^#${id}(\\?|$)`));
  };
  await page.keyboard.press('ArrowRight');
  await expectView('Benchmark', 'benchmark');
  await expect(page.getByTestId('benchmark-view')).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expectView('Device', 'device');
  await expect(page.getByTestId('capability-panel')).toBeVisible();
  await page.keyboard.press('ArrowRight'); // wraps
  await expectView('Playground', 'playground');
  await page.keyboard.press('ArrowLeft'); // wraps back
  await expectView('Device', 'device');
  await page.keyboard.press('Home');
  await expectView('Playground', 'playground');
  await page.keyboard.press('End');
  await expectView('Device', 'device');

  // Tab leaves the tablist: the other tabs are not tab stops.
  await page.keyboard.press('Tab');
  expect((await focused(page)).role).not.toBe('tab');
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('tab', { name: 'Device' })).toBeFocused();

  // The hash still chooses the view on load.
  await page.goto('/#benchmark');
  await expect(page.getByRole('tab', { name: 'Benchmark' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.getByTestId('benchmark-view')).toBeVisible();
});

test('at 1280×800 the console is on screen under the editor, above the status bar', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const playground = new PlaygroundPage(page);
  await playground.open();
  // Measured once the header's offline-status line is in: it comes a moment after the editor
  // (the service worker answers), and the page must fit with it.
  await expect(page.getByTestId('offline-summary-shell')).toBeVisible();
  const editor = await playground.editor.boundingBox();
  const console_ = await playground.console.boundingBox();
  const statusBar = await page.locator('.status-bar').boundingBox();
  expect(editor, 'the editor is shown').not.toBeNull();
  expect(console_, 'the console is shown').not.toBeNull();
  if (!editor || !console_ || !statusBar) return;
  expect(console_.y).toBeGreaterThanOrEqual(editor.y + editor.height);
  expect(console_.y + console_.height).toBeLessThanOrEqual(statusBar.y);
  expect(editor.height, 'the editor keeps a useful height').toBeGreaterThanOrEqual(240);
  expect(await sidewaysOverflow(page)).toEqual([]);
});

test('at 390×844 nothing scrolls sideways: playground, empty benchmark, benchmark with a run', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const playground = new PlaygroundPage(page);
  await playground.open();
  expect(await sidewaysOverflow(page), 'playground').toEqual([]);

  await page.getByRole('tab', { name: 'Benchmark' }).click();
  await expect(page.getByTestId('dataset-status')).not.toHaveAttribute('data-status', 'loading', {
    timeout: 60_000,
  });
  expect(await sidewaysOverflow(page), 'empty benchmark').toEqual([]);

  await replayed(page);
  await page.screenshot({ path: testInfo.outputPath('benchmark-390.png'), fullPage: true });
  expect(await sidewaysOverflow(page), 'benchmark with a finished run').toEqual([]);
  // Every panel fits the width, so nothing is cut off either.
  const width = await page.evaluate(() => document.documentElement.clientWidth);
  for (const box of await page
    .locator('.panel')
    .evaluateAll((panels) => panels.map((p) => p.getBoundingClientRect().right)))
    expect(box).toBeLessThanOrEqual(width);
  // The summary is readable: its figures get most of the width, not a word per line.
  const stats = await page.locator('.bench-stats').boundingBox();
  expect(stats?.width ?? 0).toBeGreaterThanOrEqual(0.7 * width);
  const passRate = page.getByTestId('bench-pass-rate');
  const lines = await passRate.evaluate(
    (p) => p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight),
  );
  expect(lines).toBeLessThanOrEqual(3);
});

test('a visible switch (and Ctrl+M) lets Tab leave the editor; it stays switched after a reload', async ({
  page,
}) => {
  const playground = new PlaygroundPage(page);
  await playground.open();
  const toggle = page.getByRole('checkbox', { name: 'Tab moves focus' });
  await expect(toggle).not.toBeChecked();
  await expect(page.getByTestId('editor-keys-help')).toContainText('Tab indents');
  await expect(page.getByTestId('editor-keys-help')).toContainText('Ctrl+M');
  await expect(page.getByTestId('editor-keys-help')).toContainText('Esc');

  // Off: Tab indents and focus stays in the editor.
  await playground.setText('x = 1\n');
  await page.getByTestId('editor').locator('.view-lines').click();
  await page.keyboard.press('Tab');
  expect(await focused(page)).toMatchObject({ inEditor: true });
  expect(await playground.text()).toMatch(/^( {4}x = 1\n|x = 1\n {4})$/);

  // Ctrl+M in the editor turns it on, and the switch shows it.
  await page.keyboard.press('Control+m');
  await expect(toggle).toBeChecked();
  await expect(page.getByTestId('editor-keys-help')).toContainText('Tab leaves the editor');
  const before = await playground.text();
  await page.keyboard.press('Tab');
  expect(await focused(page)).toMatchObject({ inEditor: false });
  expect(await playground.text()).toBe(before);

  // The switch turns it off again.
  await toggle.uncheck();
  await page.getByTestId('editor').locator('.view-lines').click();
  await page.keyboard.press('Tab');
  expect(await focused(page)).toMatchObject({ inEditor: true });

  // And on, by the switch; remembered.
  await toggle.check();
  await page.reload();
  await page.waitForFunction(() => window.codegenPlayground?.editor !== undefined);
  await expect(page.getByRole('checkbox', { name: 'Tab moves focus' })).toBeChecked();
  await page.getByTestId('editor').locator('.view-lines').click();
  await page.keyboard.press('Tab');
  expect(await focused(page)).toMatchObject({ inEditor: false });
});

/** The editor's box, its row height, its cursor's box and the right edge of each rendered line. */
const editorLayout = (page: Page) =>
  page.getByTestId('editor').evaluate((editor) => {
    const rect = (el: Element | null | undefined) => {
      const r = el?.getBoundingClientRect();
      return r ? { top: r.top, bottom: r.bottom, right: r.right } : null;
    };
    const rows = [...editor.querySelectorAll('.view-line')];
    return {
      box: rect(editor.querySelector('.monaco-scrollable-element')) ?? rect(editor),
      rowHeight: rows[0]?.getBoundingClientRect().height ?? 19,
      cursor: rect(editor.querySelector('.cursors-layer .cursor')),
      rights: [...editor.querySelectorAll('.view-line > span')].map(
        (span) => span.getBoundingClientRect().right,
      ),
      firstLineShown: rows.some((row) => {
        const r = row.getBoundingClientRect();
        const box = editor.getBoundingClientRect();
        return row.textContent?.replace(/\u00a0/g, ' ') === '# line 1' && r.top >= box.top - 1;
      }),
    };
  });

test('long lines wrap; while generating, the cursor stays on screen in every frame', async ({
  page,
}) => {
  const playground = new PlaygroundPage(page);
  await playground.open();
  await playground.waitForModel();

  // Word wrap: a long line is broken into rows, none runs past the editor's right edge.
  await playground.setText(`# ${'a very long comment that goes on and on '.repeat(8)}\n`);
  const wrapped = await editorLayout(page);
  expect(wrapped.box).not.toBeNull();
  for (const right of wrapped.rights) expect(right).toBeLessThanOrEqual(wrapped.box?.right ?? 0);

  // A prompt that fills the editor to its last row: what is generated must scroll the view.
  const rows = Math.floor(
    ((wrapped.box?.bottom ?? 0) - (wrapped.box?.top ?? 0)) / wrapped.rowHeight,
  );
  const prompt =
    Array.from({ length: rows - 2 }, (_, i) => `# line ${i + 1}`).join('\n') + '\ndef f(x):\n';
  await playground.setText(prompt);
  expect((await editorLayout(page)).firstLineShown, 'the whole prompt is on screen').toBe(true);
  await playground.configure({ greedy: false, seed: 3, maxNewTokens: 96 });
  // Every frame while the model writes: is the cursor (the end of the new text) on screen?
  await page.evaluate(() => {
    const editor = document.querySelector('[data-testid="editor"]');
    const frames: boolean[] = [];
    const tick = (): void => {
      if (editor?.getAttribute('data-status') !== 'running') {
        if (frames.length > 0) return void document.body.setAttribute('data-frames', frames.join());
      } else {
        const box = editor.querySelector('.monaco-scrollable-element')?.getBoundingClientRect();
        const cursor = editor.querySelector('.cursors-layer .cursor')?.getBoundingClientRect();
        frames.push(
          !!box && !!cursor && cursor.top >= box.top - 1 && cursor.bottom <= box.bottom + 1,
        );
      }
      requestAnimationFrame(tick);
    };
    tick();
  });
  await playground.generate();
  expect((await playground.text()).length).toBeGreaterThan(prompt.length);
  const frames = (await page.locator('body').getAttribute('data-frames'))?.split(',') ?? [];
  expect(frames.length, 'frames sampled while generating').toBeGreaterThan(3);
  expect(
    frames.filter((inView) => inView !== 'true'),
    'frames with the cursor off screen',
  ).toEqual([]);

  const after = await editorLayout(page);
  const box = after.box ?? { top: 0, bottom: 0, right: 0 };
  // The cursor sits at the end of what was generated, inside the visible part of the editor…
  expect(after.cursor, 'the cursor is rendered').not.toBeNull();
  expect(after.cursor?.top ?? -1).toBeGreaterThanOrEqual(box.top - 1);
  expect(after.cursor?.bottom ?? Infinity).toBeLessThanOrEqual(box.bottom + 1);
  for (const right of after.rights) expect(right).toBeLessThanOrEqual(box.right);
  // …and where the view had to scroll, only as far as the new text needed: the cursor on one
  // of the last rows, the rest of the editor still showing the prompt (not re-centred).
  if (!after.firstLineShown)
    expect(after.cursor?.bottom ?? 0).toBeGreaterThanOrEqual(box.bottom - 2 * after.rowHeight);
});

test('the results grid is one tab stop with arrow keys; Enter opens a case and Esc returns to it', async ({
  page,
}) => {
  const bench = await replayed(page);
  await expect(bench.grid).toHaveAttribute('role', 'grid');
  await expect(bench.grid.locator('.bench-cell[tabindex="0"]')).toHaveCount(1);

  // Tab from the control before the grid lands on its first cell; the next Tab leaves it.
  await page.getByTestId('filter-text').focus();
  await page.keyboard.press('Tab');
  await expect(bench.cell(1, 1)).toBeFocused();
  await page.keyboard.press('Tab');
  expect(await focused(page)).toMatchObject({ inGrid: false });
  await page.keyboard.press('Shift+Tab');
  await expect(bench.cell(1, 1)).toBeFocused();

  const press = async (key: string, problem: number, testCase: number) => {
    await page.keyboard.press(key);
    await expect(
      bench.cell(problem, testCase),
      `${key} → problem ${problem} test ${testCase}`,
    ).toBeFocused();
  };
  await press('ArrowRight', 1, 2);
  await press('ArrowRight', 1, 2); // the row's end: stays
  await press('ArrowDown', 2, 2);
  await press('Home', 2, 1);
  await press('End', 2, 2);
  await press('ArrowLeft', 2, 1);
  await press('Control+End', 3, 2);
  await press('ArrowDown', 3, 2); // the last row: stays
  await press('Control+Home', 1, 1);
  await press('ArrowUp', 1, 1);
  await press('PageDown', 3, 1);
  await press('ArrowUp', 2, 1);

  // The tab stop follows the focus: leaving and coming back returns to the same cell.
  await expect(bench.grid.locator('.bench-cell[tabindex="0"]')).toHaveCount(1);
  await expect(bench.cell(2, 1)).toHaveAttribute('tabindex', '0');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(bench.cell(2, 1)).toBeFocused();

  // Enter opens the case as a click does; Esc closes it and focus is back on the cell.
  await page.keyboard.press('Enter');
  await expect(bench.drawer).toBeVisible();
  await expect(bench.drawer.getByRole('heading', { level: 2 })).toContainText(/Problem 2.*test 1/);
  await page.keyboard.press('Escape');
  await expect(bench.drawer).toBeHidden();
  await expect(bench.cell(2, 1)).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press(' ');
  await expect(bench.drawer.getByRole('heading', { level: 2 })).toContainText(/Problem 2.*test 2/);
  await page.keyboard.press('Escape');
  await expect(bench.cell(2, 2)).toBeFocused();
});
