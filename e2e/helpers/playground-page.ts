import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';

export interface DecodingSettings {
  greedy?: boolean;
  seed?: number;
  maxNewTokens?: number;
  temperature?: number;
  topP?: number;
  truncation?: boolean;
}

/**
 * The playground in a user's words. Monaco is driven through `codegenPlayground.editor`
 * (the page's console API): typing into it by keyboard would fight its auto-indent and
 * bracket closing.
 */
export class PlaygroundPage {
  readonly editor: Locator;
  readonly stats: Locator;
  readonly console: Locator;
  readonly error: Locator;
  readonly alternatives: Locator;

  constructor(readonly page: Page) {
    this.editor = page.getByTestId('editor');
    this.stats = page.getByTestId('generation-stats');
    this.console = page.getByTestId('console');
    this.error = page.getByTestId('generate-error');
    this.alternatives = page.getByTestId('alternatives').getByTestId('alternative');
  }

  /** Opens the app on the playground (`hash` may carry state: `#playground?problem=1&case=0`). */
  async open(query = '', hash = '#playground'): Promise<void> {
    await this.page.goto(`/${query}${hash}`);
    await this.page.waitForFunction(() => window.codegenPlayground?.editor !== undefined, null, {
      timeout: 60_000,
    });
  }

  /** The tiny model loads by itself on the first visit. */
  async waitForModel(): Promise<Locator> {
    const ready = this.page.getByTestId('model-ready');
    await expect(ready).toBeVisible({ timeout: 90_000 });
    return ready;
  }

  /** Replaces the editor's text; the cursor goes to its end, where Generate continues. */
  async setText(text: string): Promise<void> {
    await this.page.evaluate((t) => window.codegenPlayground?.editor?.setValue(t), text);
  }

  async text(): Promise<string> {
    return this.page.evaluate(() => window.codegenPlayground?.editor?.getValue() ?? '');
  }

  async setCursor(offset: number): Promise<void> {
    await this.page.evaluate((o) => window.codegenPlayground?.editor?.setCursor(o), offset);
  }

  async configure(settings: DecodingSettings): Promise<void> {
    const { page } = this;
    if (settings.greedy !== undefined)
      await page.getByTestId('mode').selectOption(settings.greedy ? 'greedy' : 'sample');
    const fields: Array<[string, number | undefined]> = [
      ['seed', settings.seed],
      ['max-new-tokens', settings.maxNewTokens],
      ['temperature', settings.temperature],
      ['top-p', settings.topP],
    ];
    for (const [testId, value] of fields)
      if (value !== undefined) await page.getByTestId(testId).fill(String(value));
    if (settings.truncation !== undefined)
      await page.getByTestId('truncation').setChecked(settings.truncation);
  }

  /** Presses Generate and waits until the generation has ended, however it ended. */
  async generate(): Promise<string> {
    await this.page.getByTestId('generate').click();
    return this.waitForGeneration();
  }

  async waitForGeneration(): Promise<string> {
    await expect(this.stats).toHaveAttribute('data-status', /^(done|error|stopped)$/, {
      timeout: 90_000,
    });
    return this.text();
  }

  token(index: number): Locator {
    return this.page.getByTestId(`token-${index}`);
  }

  tokens(): Locator {
    return this.page.getByRole('group', { name: 'Generated tokens' }).getByRole('button');
  }

  /** Probability of token `index` and of its listed alternatives (hover shows them). */
  async probabilities(index: number): Promise<{ chosen: number; alternatives: number[] }> {
    await this.token(index).hover();
    const chosen = Number(await this.page.getByTestId('chosen').getAttribute('data-prob'));
    const alternatives = await this.alternatives.evaluateAll((els) =>
      els.map((el) => Number(el.getAttribute('data-prob'))),
    );
    return { chosen, alternatives };
  }

  /** Runs the editor's program and waits for the console to report how it ended. */
  async run(): Promise<Locator> {
    await this.page.getByTestId('run').click();
    await expect(this.console).not.toHaveAttribute('data-status', /^(idle|booting|running)$/, {
      timeout: 120_000,
    });
    return this.console;
  }
}
