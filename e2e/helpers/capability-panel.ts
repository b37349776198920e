import type { Locator, Page } from '@playwright/test';

/** Reads the capability panel the way a user would: by its visible facts. */
export class CapabilityPanel {
  readonly root: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId('capability-panel');
  }

  async open(): Promise<void> {
    await this.page.goto('/#device');
    await this.root.waitFor();
  }

  fact(testId: string): Locator {
    return this.root.getByTestId(testId);
  }

  /** Waits until the WGSL self-check has a final status and returns it. */
  async selfCheckStatus(): Promise<string> {
    const check = this.fact('self-check');
    await check.waitFor();
    return (await check.getAttribute('data-status')) ?? 'error';
  }
}
