import type { Locator, Page } from '@playwright/test';
import { PlaygroundPage } from './playground-page.ts';

/** The model panel and a one-shot generation in the playground, in the words a user would use. */
export class GeneratePage {
  readonly playground: PlaygroundPage;
  /** Where the generation's status shows (data-status: running, done, stopped, error). */
  readonly output: Locator;

  constructor(readonly page: Page) {
    this.playground = new PlaygroundPage(page);
    this.output = this.playground.stats;
  }

  async open(query = ''): Promise<void> {
    await this.playground.open(query);
  }

  /** The tiny model loads by itself on the first visit. */
  waitForModel(): Promise<Locator> {
    return this.playground.waitForModel();
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

  /** Writes `prompt` into the editor, generates from its end, and returns the editor's text. */
  async generate(options: {
    prompt: string;
    greedy?: boolean;
    seed?: number;
    maxNewTokens?: number;
  }): Promise<string> {
    await this.playground.setText(options.prompt);
    await this.playground.configure({
      greedy: options.greedy ?? false,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.maxNewTokens !== undefined ? { maxNewTokens: options.maxNewTokens } : {}),
    });
    return this.playground.generate();
  }
}
