// The playground's console while a program runs: what it prints streams in live, Stop keeps
// it, and a print flood neither locks the page nor keeps Stop from working. Both projects:
// cross-origin isolated (Stop interrupts the interpreter) and plain (Stop kills its worker).

import { expect, test } from './fixtures.ts';
import { PlaygroundPage } from './helpers/playground-page.ts';

let app: PlaygroundPage;

test.beforeEach(async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === 'no-webgpu');
  app = new PlaygroundPage(page);
  await app.open();
});

test('output streams into the console while the program runs, and Stop keeps it', async ({
  page,
}) => {
  // 10 s of printing, well inside the time limit: every line seen here was seen mid-run.
  await app.setText(
    'import time\nfor i in range(50):\n    print("line", i)\n    time.sleep(0.2)\n',
  );
  await page.getByTestId('run').click();
  const stdout = page.getByTestId('console-stdout');
  // The first run of the page loads Pyodide.
  await expect(stdout).toContainText('line 0', { timeout: 120_000 });
  await expect(stdout).toContainText('line 3');
  await expect(app.console).toHaveAttribute('data-status', 'running');
  await expect(page.getByTestId('console-progress')).toHaveText('Running…');
  const seen = (await stdout.textContent()) ?? '';
  expect(seen).toMatch(/^line 0\nline 1\nline 2\nline 3\n/);

  await page.getByTestId('stop').click();
  await expect(app.console).toHaveAttribute('data-status', 'stopped', { timeout: 10_000 });
  await expect(page.getByTestId('console-summary')).toContainText('Stopped.');
  const kept = (await stdout.textContent()) ?? '';
  expect(kept.startsWith(seen)).toBe(true);
  expect(kept).not.toContain('line 49');

  // The next run starts from an empty console and ends as usual.
  await app.setText('print("again")\n');
  await app.run();
  await expect(app.console).toHaveAttribute('data-status', 'ok');
  await expect(stdout).toHaveText('again');
});

test('a print flood is cut at the cap, the page stays responsive, and Stop ends it', async ({
  page,
}) => {
  await app.setText('while True:\n    print("flood " * 10)\n');
  await page.getByTestId('run').click();
  const progress = page.getByTestId('console-progress');
  await expect(progress).toContainText('Output truncated', { timeout: 120_000 });
  await expect(app.console).toHaveAttribute('data-status', 'running');

  // The page's main thread while the flood goes on: the longest gap between 20 ms timers.
  const worstLagMs = await page.evaluate(async () => {
    let worst = 0;
    let last = performance.now();
    const end = last + 2000;
    while (performance.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const now = performance.now();
      worst = Math.max(worst, now - last - 20);
      last = now;
    }
    return worst;
  });
  console.log(`worst main-thread lag during the flood: ${worstLagMs.toFixed(0)} ms`);
  // A locked page stalls for seconds; this machine's CI shares its cores, hence the margin.
  expect(worstLagMs).toBeLessThan(500);

  const started = Date.now();
  await page.getByTestId('stop').click();
  await expect(app.console).toHaveAttribute('data-status', 'stopped', { timeout: 10_000 });
  expect(Date.now() - started).toBeLessThan(5000);
  const summary = page.getByTestId('console-summary');
  await expect(summary).toContainText('Stopped.');
  await expect(summary).toContainText('Output truncated');
  const kept = (await page.getByTestId('console-stdout').textContent()) ?? '';
  expect(kept.length).toBeGreaterThan(900_000);
  expect(kept.length).toBeLessThanOrEqual(1_000_000);
  expect(kept.startsWith(`${'flood '.repeat(10)}\n`)).toBe(true);
});

test('a program that ignores the time limit keeps what it printed and says it timed out', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // It swallows the time limit's exception, so the sandbox must kill its worker (20 s + 3.5 s):
  // the outcome then has no stdout of its own, only what streamed before.
  await app.setText(
    'print("before the loop")\nwhile True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass\n',
  );
  await page.getByTestId('run').click();
  await expect(page.getByTestId('console-stdout')).toHaveText('before the loop', {
    timeout: 120_000,
  });
  await expect(app.console).toHaveAttribute('data-status', 'killed', { timeout: 60_000 });
  await expect(page.getByTestId('console-stdout')).toHaveText('before the loop');
  await expect(page.getByTestId('console-summary')).toContainText('Timed out');
});

test('where the console scrolls, it follows the newest line until the user scrolls up', async ({
  page,
}, testInfo) => {
  test.skip(testInfo.project.name !== 'isolated', 'layout behaviour: one project is enough');
  // A short console box, whatever the app's layout gives it.
  await page.addStyleTag({ content: '.pg-console pre { max-height: 5rem; overflow: auto; }' });
  await app.setText(
    'import time\nfor i in range(100):\n    print("line", i)\n    time.sleep(0.1)\n',
  );
  await page.getByTestId('run').click();
  const stdout = page.getByTestId('console-stdout');
  await expect(stdout).toContainText('line 12', { timeout: 120_000 });
  const position = () =>
    stdout.evaluate((el) => ({
      top: el.scrollTop,
      bottom: el.scrollHeight - el.clientHeight - el.scrollTop,
      overflow: el.scrollHeight - el.clientHeight,
    }));
  const following = await position();
  expect(following.overflow).toBeGreaterThan(0);
  expect(following.bottom).toBeLessThan(4);

  // Scrolled up to read: new lines no longer move the view.
  await stdout.evaluate((el) => {
    el.scrollTop = 0;
    el.dispatchEvent(new Event('scroll'));
  });
  await expect(stdout).toContainText('line 20');
  expect((await position()).top).toBe(0);

  // Back at the end: it follows again.
  await stdout.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
    el.dispatchEvent(new Event('scroll'));
  });
  await expect(stdout).toContainText('line 28');
  expect((await position()).bottom).toBeLessThan(4);
  await page.getByTestId('stop').click();
  await expect(app.console).toHaveAttribute('data-status', 'stopped', { timeout: 10_000 });
});
