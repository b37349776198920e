import type { Page } from '@playwright/test';
import type { BrowserSandboxOptions } from '../../src/python/browser/browser-sandbox.ts';
import type { CaseSummary, SandboxPageApi } from '../../scripts/python-sandbox-page/api.ts';

const PREFIX = '# Import libraries.\n\nimport numpy as np\n\n';

// page.evaluate callbacks run in the page: they reach the API through window, not imports.

/** Drives the sandbox test page (scripts/python-sandbox-page) the way the benchmark UI would. */
export class PythonSandboxPage {
  constructor(
    private readonly page: Page,
    private readonly origin: string,
  ) {}

  async open(options: BrowserSandboxOptions = {}): ReturnType<SandboxPageApi['boot']> {
    await this.page.goto(`${this.origin}/`);
    await this.page.getByText('ready').waitFor();
    return this.boot(options);
  }

  boot(options: BrowserSandboxOptions = {}): ReturnType<SandboxPageApi['boot']> {
    return this.page.evaluate(
      (o) => (window as unknown as { sandboxPage: SandboxPageApi }).sandboxPage.boot(o),
      options,
    );
  }

  /** Runs `body` after the MTPB prefix against a gold value written as JSON. */
  run(body: string, goldJson: string | null = '5', abortAfterMs?: number): Promise<CaseSummary> {
    return this.page.evaluate(
      ([program, gold, abort]) =>
        (window as unknown as { sandboxPage: SandboxPageApi }).sandboxPage.run(
          program,
          gold,
          abort ?? undefined,
        ),
      [`${PREFIX}${body}\n`, goldJson, abortAfterMs ?? null] as const,
    );
  }

  endProblem(): Promise<void> {
    return this.page.evaluate(() =>
      (window as unknown as { sandboxPage: SandboxPageApi }).sandboxPage.endProblem(),
    );
  }

  runReference(id: string): Promise<CaseSummary[]> {
    return this.page.evaluate(
      (problem) =>
        (window as unknown as { sandboxPage: SandboxPageApi }).sandboxPage.runReference(problem),
      id,
    );
  }
}
