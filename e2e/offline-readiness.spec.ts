import { expect, test } from './fixtures.ts';
import { buildStandInIndex } from '../scripts/test-hub/package-index.ts';
import { benchmarkPackageFiles } from '../src/python/browser/package-lock.ts';
import { BenchmarkPage } from './helpers/benchmark-page.ts';
import { GeneratePage } from './helpers/generate-page.ts';
import { ModelManager } from './helpers/model-manager.ts';
import { TestHub } from './helpers/test-hub.ts';

// What "ready offline" means, part by part (the app shell is the offline project's): a model
// whose Python packages did not all get stored is not called Offline-ready, and a run whose
// problems need packages that cannot be had says so before it generates anything. Both against
// the test hub's stand-in package index (scripts/test-hub), failing some wheels on purpose.
test.describe.configure({ mode: 'serial' });
test.beforeEach(({ page: _page }, testInfo) => {
  test.skip(testInfo.project.name !== 'isolated', 'one server setup is enough');
});
// The failures these tests inject must not reach the specs that run after them.
test.afterEach(async () => {
  await new TestHub().reset();
});

const wheels = benchmarkPackageFiles(buildStandInIndex().lock);
const wheelOf = (pkg: string): string => wheels.find((f) => f.package === pkg)?.fileName ?? '';

test('a model whose Python packages failed to store is not Offline-ready, names what is missing, and a retry fixes it', async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  const hub = new TestHub();
  await hub.reset();
  const joblib = wheelOf('joblib');
  await hub.failPackageFile(joblib, 1);
  const generate = new GeneratePage(page);
  await generate.open(hub.packagesQuery);
  await generate.waitForModel();
  const models = new ModelManager(page);
  await models.choose({ dtype: 'fp32' });

  await page.getByTestId('make-offline').click();
  const missing = page.getByTestId('offline-python-missing');
  await expect(missing).toBeVisible({ timeout: 180_000 });
  // The model files are stored, the benchmark's packages are not all: not "Offline-ready".
  await expect(page.getByTestId('offline-ready')).toBeHidden();
  await expect(page.getByTestId('offline-model-ready')).toContainText('8 of 9 stored');
  await expect(missing).toContainText('scikit-learn is missing');
  await expect(missing).toContainText('MTPB problems 14, 46 will be “unavailable”');
  await expect(missing).toContainText(joblib);
  await expect(page.getByTestId('offline-error')).toContainText(joblib);

  // The header says the same, part by part.
  const status = page.getByTestId('offline-status');
  await expect(status).toHaveAttribute('data-packages', 'partial');
  await expect(page.getByTestId('offline-summary-models')).toHaveText(
    'Model tiny fp32: ready offline',
  );
  await expect(page.getByTestId('offline-summary-packages')).toHaveText(
    'Python packages: 8 of 9 stored',
  );
  await status.locator('summary').click();
  await expect(page.getByTestId('offline-packages')).toContainText(
    '8 of 9 wheels the benchmark needs are stored — scikit-learn is missing',
  );
  await page.screenshot({ path: testInfo.outputPath('packages-missing.png'), fullPage: true });
  await status.locator('summary').click();

  // Retry fetches only what is missing; then, and only then, Offline-ready.
  const before = (await hub.log()).filter((r) => r.path.endsWith('.whl')).length;
  await page.getByTestId('offline-python-retry').click();
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 60_000 });
  await expect(missing).toBeHidden();
  await expect(page.getByTestId('offline-error')).toBeHidden();
  const retried = (await hub.log()).filter((r) => r.path.endsWith('.whl')).slice(before);
  expect(retried.map((r) => r.path)).toEqual([`/pyodide-index/${joblib}`]);
  await expect(status).toHaveAttribute('data-packages', 'ready');
  await expect(page.getByTestId('offline-summary-packages')).toHaveText(
    'Python packages: ready offline (9 of 9 stored)',
  );

  // Four parts on a phone: the status wraps inside the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const box = await status.locator('summary').boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= 390, JSON.stringify(box)).toBe(true);
});

test('a run whose problems need packages that cannot be had says which will be unavailable before it generates', async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  const hub = new TestHub();
  await hub.reset();
  // The index has no numpy: everything the benchmark imports builds on it.
  await hub.failPackageFile(wheelOf('numpy'), 1000);
  const generate = new GeneratePage(page);
  await generate.open(hub.packagesQuery);
  await generate.waitForModel();
  // The tiny model on WASM: SwiftShader WebGPU is too slow for a benchmark run.
  await generate.loadModel({ model: 'tiny', dtype: 'fp32', backend: 'wasm' });
  await expect(page.getByTestId('model-ready')).toHaveAttribute('data-backend', 'wasm', {
    timeout: 90_000,
  });
  await page.getByRole('tab', { name: 'Benchmark', exact: true }).click();
  const bench = new BenchmarkPage(page);
  await expect(page.getByTestId('dataset-status')).toHaveAttribute('data-status', 'ready', {
    timeout: 60_000,
  });
  await bench.waitForModel();

  // Problems 1 and 2 need nothing: the run starts at once, no check, no notice.
  await bench.setProblems('1-2');
  await bench.run();
  await expect(page.getByTestId('package-notice')).toBeHidden();
  await bench.stop();
  const firstRun = await bench.results.getAttribute('data-run-id');

  // 6 (pandas) and 14 (scikit-learn, numpy) cannot run here: said before anything is generated.
  await bench.setProblems('1,6,14');
  await page.getByTestId('bench-run').click();
  const notice = page.getByTestId('package-notice');
  await expect(notice).toBeVisible({ timeout: 60_000 });
  await expect(notice).toContainText('2 problems of this run will be “unavailable”');
  await expect(notice.getByTestId('package-notice-problems').locator('li')).toHaveText([
    'Problem 6 (Pandas mean): needs pandas',
    'Problem 14 (Linear regression): needs numpy, scikit-learn',
  ]);
  await expect(notice.getByTestId('package-notice-why')).toContainText(
    `the package index answers HTTP 404 for ${wheelOf('numpy')}`,
  );
  await notice.screenshot({ path: testInfo.outputPath('package-notice.png') });
  // Nothing started: the results still show the earlier run.
  await expect(bench.results).toHaveAttribute('data-run-id', firstRun ?? '');
  await expect(bench.results).not.toHaveAttribute('data-phase', 'running');

  // Cancel: no run.
  await page.getByTestId('package-notice-cancel').click();
  await expect(notice).toBeHidden();
  await expect(bench.results).toHaveAttribute('data-run-id', firstRun ?? '');

  // Run anyway: the run goes ahead. (With the tiny model's random weights its programs are
  // noise that rarely imports anything, so their verdicts are not asserted here: the sandbox's
  // "unavailable" is python-sandbox.spec.ts's.)
  await bench.setProblems('6');
  await page.getByTestId('bench-run').click();
  await expect(notice).toBeVisible({ timeout: 60_000 });
  await notice.getByTestId('package-notice-run').click();
  await expect(notice).toBeHidden();
  await expect(bench.results).not.toHaveAttribute('data-run-id', firstRun ?? '');
  await expect(bench.results).toHaveAttribute('data-phase', /running|done/);
  await bench.stop();

  // Resuming that run is checked the same way: the notice again, and Cancel resumes nothing.
  const stopped = await bench.results.getAttribute('data-run-id');
  await page.getByTestId(`run-${stopped}`).getByRole('button', { name: 'Resume' }).click();
  await expect(notice).toBeVisible({ timeout: 60_000 });
  await expect(notice.getByTestId('package-notice-problems').locator('li')).toHaveText([
    'Problem 6 (Pandas mean): needs pandas',
  ]);
  await page.getByTestId('package-notice-cancel').click();
  await expect(notice).toBeHidden();
  await expect(bench.results).not.toHaveAttribute('data-phase', 'running');
});
