import type { BrowserSandboxOptions } from '../../src/python/browser/browser-sandbox.ts';

/** What the test page offers to Playwright (page.evaluate) and the benchmark. */
export interface CaseSummary {
  state: string;
  reason: string | null;
  verdict: string;
  status: string;
  error: string | null;
  stdout: string;
  blocked: string[];
  wallMs: number;
}

export interface SandboxPageApi {
  /** bootMs: createBrowserSandbox, core download included; workerBootMs: inside the worker. */
  boot(
    options?: BrowserSandboxOptions,
  ): Promise<{ isolated: boolean; bootMs: number; workerBootMs: number }>;
  /** Runs a program against a gold value written as JSON (null: no verdict); aborts after timeoutAbortMs. */
  run(program: string, goldJson: string | null, timeoutAbortMs?: number): Promise<CaseSummary>;
  endProblem(): void;
  referenceProblemIds(): Promise<string[]>;
  runReference(id: string): Promise<CaseSummary[]>;
}
