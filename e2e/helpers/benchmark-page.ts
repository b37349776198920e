import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { GeneratePage } from './generate-page.ts';

/** Cell states that will still change; any other data-status is a verdict or "not run". */
const PENDING = /^(queued|generating|executing)$/;

/**
 * The Benchmark view in a user's words. Test cases are numbered from 1, as the grid's
 * column headers show them ("Test 1"); samples too.
 */
export class BenchmarkPage {
  readonly results: Locator;
  readonly grid: Locator;
  readonly drawer: Locator;

  constructor(readonly page: Page) {
    this.results = page.getByTestId('benchmark-results');
    this.grid = page.getByTestId('bench-grid');
    this.drawer = page.getByTestId('case-drawer');
  }

  /** Opens the view and waits for the dataset to load (or to fail, which the page says). */
  async open(query = ''): Promise<void> {
    await this.page.goto(`/${query}#benchmark`);
    await expect(this.page.getByTestId('dataset-status')).not.toHaveAttribute(
      'data-status',
      'loading',
      { timeout: 60_000 },
    );
  }

  async waitForModel(): Promise<void> {
    await expect(this.page.getByTestId('bench-model')).toHaveAttribute('data-status', 'ready', {
      timeout: 90_000,
    });
  }

  async setProblems(selection: string): Promise<void> {
    await this.page.getByTestId('bench-problems').fill(selection);
  }

  async setMode(mode: 'multi' | 'single'): Promise<void> {
    await this.page.getByTestId(`mode-${mode}`).check();
  }

  async setSettings(settings: {
    seed?: number;
    n?: number;
    k?: number;
    temperature?: number;
    topP?: number;
  }): Promise<void> {
    for (const [field, value] of Object.entries(settings)) {
      if (value !== undefined) await this.page.getByTestId(`bench-${field}`).fill(String(value));
    }
  }

  async run(): Promise<void> {
    await this.startsNewRun(() => this.page.getByTestId('bench-run').click());
  }

  /**
   * Does what starts a run and waits until the results show it: until then they still show
   * the previous run, whose phase may already be "done".
   */
  private async startsNewRun(start: () => Promise<void>): Promise<void> {
    const before = await this.results.getAttribute('data-run-id');
    await start();
    await expect(this.results).toHaveAttribute('data-run-id', /./);
    if (before !== null) await expect(this.results).not.toHaveAttribute('data-run-id', before);
  }

  async pause(): Promise<void> {
    await this.page.getByTestId('bench-pause').click();
    await expect(this.results).toHaveAttribute('data-phase', 'paused');
  }

  async resume(): Promise<void> {
    await this.page.getByTestId('bench-resume').click();
    await expect(this.results).toHaveAttribute('data-phase', 'running');
  }

  async stop(): Promise<void> {
    await this.page.getByTestId('bench-stop').click();
    await expect(this.results).toHaveAttribute('data-phase', /stopped|done|error/);
  }

  /** The run's phase: idle, running, paused, done, stopped or error. */
  async phase(): Promise<string | null> {
    return this.results.getAttribute('data-phase');
  }

  /** One grid cell; its data-status is queued, generating, executing, pass, fail, timeout, error, unavailable or not-run. */
  cell(problem: number | string, testCase: number, sample = 1): Locator {
    const suffix = sample > 1 ? `-${sample - 1}` : '';
    return this.page.getByTestId(`cell-${problem}-${testCase - 1}${suffix}`);
  }

  async status(problem: number | string, testCase: number, sample = 1): Promise<string | null> {
    return this.cell(problem, testCase, sample).getAttribute('data-status');
  }

  /** Waits until the run has ended and no cell is still queued, generating or executing. */
  async waitForAllFinal(timeout = 300_000): Promise<void> {
    await expect(this.results).toHaveAttribute('data-phase', /done|stopped|error/, { timeout });
    const statuses = await this.grid
      .locator('[data-status]')
      .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-status') ?? ''));
    expect(statuses.filter((s) => PENDING.test(s))).toEqual([]);
  }

  /** The error the view shows for the last action (e.g. the Python sandbox is not ready). */
  errorMessage(): Locator {
    return this.page.getByTestId('benchmark-error');
  }

  private async download(testId: string): Promise<string> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByTestId(testId).click(),
    ]);
    const path = await download.path();
    return readFile(path, 'utf8');
  }

  /** Clicks Export run metadata and returns the file's name and its parsed JSON. */
  async exportMeta(): Promise<{ name: string; json: unknown }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByTestId('export-meta').click(),
    ]);
    const text = await readFile(await download.path(), 'utf8');
    return { name: download.suggestedFilename(), json: JSON.parse(text) };
  }

  /** The time left the progress line shows while a run goes on. */
  eta(): Locator {
    return this.page.getByTestId('bench-eta');
  }

  /** What ran (model, dtype, backend, engine, settings, version, resumes) for the shown run. */
  runFacts(): Locator {
    return this.page.getByTestId('run-facts');
  }

  /**
   * Notes every turn number the cells of `problem` show while generating, from now on (until
   * the page reloads); read them with generatingTurnsSeen().
   */
  async watchGeneratingTurns(problem: number): Promise<void> {
    await this.page.evaluate((id) => {
      const seen = new Set<number>();
      const collect = (): void => {
        const cells = document.querySelectorAll(
          `[data-testid^="cell-${id}-"][data-status="generating"]`,
        );
        for (const cell of cells) {
          const turn = /turn (\d+)\//.exec(cell.textContent ?? '')?.[1];
          if (turn) seen.add(Number(turn));
        }
        // Written only when it changes, and on an attribute the observer ignores: its own
        // write must not wake it again.
        const text = [...seen].sort((a, b) => a - b).join(' ');
        if (document.body.dataset.generatingTurns !== text)
          document.body.dataset.generatingTurns = text;
      };
      new MutationObserver(collect).observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributeFilter: ['data-status'],
      });
      collect();
    }, problem);
  }

  async generatingTurnsSeen(): Promise<number[]> {
    const seen = await this.page.locator('body').getAttribute('data-generating-turns');
    return (seen ?? '').split(' ').filter(Boolean).map(Number);
  }

  /** Clicks Export JSONL and returns the downloaded file's text. */
  async exportJsonl(): Promise<string> {
    return this.download('export-jsonl');
  }

  async exportCsv(): Promise<string> {
    return this.download('export-csv');
  }

  /**
   * Imports a samples JSONL (ours or the official sampler's) and starts its replay; with the
   * run's .meta.json beside it, the replay keeps what generated the samples.
   */
  async importSamples(path: string | string[]): Promise<void> {
    await this.startsNewRun(() => this.page.getByTestId('import-samples').setInputFiles(path));
  }

  /** The line errors listed after an import, as shown ("line 3: …"). */
  importErrors(): Locator {
    return this.page.getByTestId('import-errors').locator('li');
  }

  /** Loads another benchmark file in the MTPB format. */
  async loadDataset(path: string): Promise<void> {
    await this.page.getByTestId('dataset-file').setInputFiles(path);
  }

  /** Opens a test case's drawer; Esc or closeDrawer() closes it. */
  async openDrawer(problem: number | string, testCase: number, sample = 1): Promise<Locator> {
    await this.cell(problem, testCase, sample).click();
    await expect(this.drawer).toBeVisible();
    return this.drawer;
  }

  async closeDrawer(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await expect(this.drawer).toBeHidden();
  }

  pastRuns(): Locator {
    return this.page.getByTestId('past-runs').locator('tbody tr');
  }
}

/**
 * The tiny model loaded on WASM (SwiftShader's WebGPU is too slow for whole runs), then the
 * Benchmark tab with its dataset loaded. `query`: the page's URL query (e.g. a package index).
 */
export async function openWithTinyOnWasm(page: Page, query = ''): Promise<BenchmarkPage> {
  const models = new GeneratePage(page);
  await models.open(query);
  await models.waitForModel();
  await models.loadModel({ model: 'tiny', dtype: 'fp32', backend: 'wasm' });
  await expect(page.getByTestId('model-ready')).toHaveAttribute('data-backend', 'wasm', {
    timeout: 90_000,
  });
  const bench = new BenchmarkPage(page);
  await page.getByRole('tab', { name: 'Benchmark' }).click();
  await expect(page.getByTestId('dataset-status')).not.toHaveAttribute('data-status', 'loading', {
    timeout: 60_000,
  });
  await bench.waitForModel();
  return bench;
}
