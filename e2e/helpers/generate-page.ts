import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';

/** The model panel and the generate panel, in the words a user would use. */
export class GeneratePage {
  readonly output: Locator;

  constructor(readonly page: Page) {
    this.output = page.getByTestId('output');
  }

  async open(query = ''): Promise<void> {
    await this.page.goto(`/${query}#generate`);
  }

  /** The tiny model loads by itself on the first visit. */
  async waitForModel(): Promise<Locator> {
    const ready = this.page.getByTestId('model-ready');
    await expect(ready).toBeVisible({ timeout: 90_000 });
    return ready;
  }

  async loadModel(options: {
    model?: string;
    dtype?: string;
    backend?: 'auto' | 'webgpu' | 'wasm';
  }): Promise<void> {
    if (options.model) await this.page.getByTestId('model-select').selectOption(options.model);
    if (options.dtype) await this.page.getByTestId('dtype-select').selectOption(options.dtype);
    if (options.backend)
      await this.page.getByTestId('backend-select').selectOption(options.backend);
    await this.page.getByTestId('load-model').click();
  }

  async generate(options: {
    prompt: string;
    greedy?: boolean;
    seed?: number;
    maxNewTokens?: number;
  }): Promise<string> {
    await this.page.getByTestId('prompt').fill(options.prompt);
    await this.page.getByTestId('mode').selectOption(options.greedy ? 'greedy' : 'sample');
    if (options.seed !== undefined) await this.page.getByTestId('seed').fill(String(options.seed));
    if (options.maxNewTokens !== undefined)
      await this.page.getByTestId('max-new-tokens').fill(String(options.maxNewTokens));
    await this.page.getByTestId('generate').click();
    await expect(this.output).toHaveAttribute('data-status', /done|error|stopped/, {
      timeout: 90_000,
    });
    return (await this.output.textContent()) ?? '';
  }
}
