import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';

/** The model panel as a user sees it: pick a repo, a dtype, a backend and an engine, load, watch. */
export class ModelManager {
  readonly panel: Locator;
  readonly loadButton: Locator;
  readonly progress: Locator;
  readonly loaded: Locator;
  readonly error: Locator;
  readonly compatWarning: Locator;
  /** The weights menu, and the lines under it that say why some weights are unavailable. */
  readonly dtypeMenu: Locator;
  readonly dtypeRefusals: Locator;
  /** "What the hub has": one table per model. */
  readonly catalog: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('model-panel');
    this.loadButton = this.panel.getByRole('button', { name: 'Load', exact: true });
    this.progress = page.getByTestId('load-progress');
    this.loaded = page.getByTestId('model-ready');
    this.error = page.getByTestId('model-error');
    this.compatWarning = page.getByTestId('compat-warning');
    this.dtypeMenu = this.panel.getByTestId('dtype-select');
    this.dtypeRefusals = this.panel.getByTestId('dtype-refusals');
    this.catalog = this.panel.getByTestId('model-catalog');
  }

  /**
   * Opens the app (`query` e.g. ?hub=…) and waits until the tiny model it loads by itself is
   * ready, so a later load never overlaps it.
   */
  async open(query = ''): Promise<void> {
    await this.page.goto(`/${query}#generate`);
    await this.waitUntilLoaded('Tiny CodeGen');
  }

  /** Types a hub repo id into "Hugging Face repo id" and selects it. */
  async useHubRepo(repo: string): Promise<void> {
    await this.panel.getByLabel('Hugging Face repo id').fill(repo);
    await this.panel.getByRole('button', { name: 'Use', exact: true }).click();
    await expect(this.panel.getByTestId('model-select')).toHaveValue(`hub:${repo}@main`);
  }

  async choose(options: {
    dtype?: string;
    backend?: 'auto' | 'webgpu' | 'wasm';
    engine?: 'auto' | 'ort' | 'wgsl';
  }): Promise<void> {
    if (options.dtype) await this.panel.getByTestId('dtype-select').selectOption(options.dtype);
    if (options.backend)
      await this.panel.getByTestId('backend-select').selectOption(options.backend);
    // After the backend: the Engine menu opens only on WebGPU.
    if (options.engine) await this.panel.getByTestId('engine-select').selectOption(options.engine);
  }

  /** Picks a model of the menu by its registry id. */
  async pickModel(id: string): Promise<void> {
    await this.panel.getByTestId('model-select').selectOption(id);
  }

  /** One dtype's option in the weights menu. */
  dtypeOption(dtype: string): Locator {
    return this.dtypeMenu.locator(`option[value="${dtype}"]`);
  }

  /** Opens "What the hub has" and returns the table of the model labelled `label`. */
  async hubTable(label: string): Promise<Locator> {
    const table = this.catalog.getByRole('table', { name: label });
    if ((await this.catalog.getAttribute('open')) === null) {
      await this.catalog.locator('summary').click();
    }
    return table;
  }

  async load(): Promise<void> {
    await this.loadButton.click();
  }

  /** Waits for "Loaded <label> …" and returns that line. */
  async waitUntilLoaded(label: string): Promise<Locator> {
    await expect(this.loaded).toContainText(`Loaded ${label}`, { timeout: 90_000 });
    return this.loaded;
  }

  /** One file's line in the download list. */
  fileLine(path: string): Locator {
    return this.progress
      .getByTestId('file-progress')
      .filter({ has: this.page.getByText(path, { exact: true }) });
  }

  /**
   * Clicks Cancel the moment the load enters a phase whose label matches `phase`. Done in the
   * page, as the phase is drawn: the session phases of the tiny model last about a second,
   * too short to click reliably from the test on a loaded machine.
   */
  async cancelWhenPhase(phase: RegExp): Promise<void> {
    await this.page.evaluate((source) => {
      const pattern = new RegExp(source);
      const observer = new MutationObserver(() => {
        const label = document.querySelector('[data-testid="load-phase"]');
        if (!label || !pattern.test(label.textContent ?? '')) return;
        const button = [...document.querySelectorAll('[data-testid="load-progress"] button')].find(
          (b) => b.textContent === 'Cancel',
        );
        if (!(button instanceof HTMLButtonElement)) return;
        observer.disconnect();
        button.click();
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    }, phase.source);
  }

  async cancel(): Promise<void> {
    await this.progress.getByRole('button', { name: 'Cancel' }).click();
  }

  /** The warnings shown under the panel while or after loading (e.g. a damaged cache entry). */
  notice(text: string | RegExp): Locator {
    return this.panel.locator('.notice.warn', { hasText: text });
  }
}
