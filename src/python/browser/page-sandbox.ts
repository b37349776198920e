import { SharedSandbox } from '../core/shared-sandbox.ts';

let page: SharedSandbox | null = null;

/**
 * The page's one Python sandbox, for the playground and the benchmark alike: made on the first
 * call, started on the first program (or `ready()`). Pyodide and the sandbox code load only then.
 */
export function pageSandbox(): SharedSandbox {
  page ??= new SharedSandbox(async () =>
    (await import('./browser-sandbox.ts')).createBrowserSandbox(),
  );
  return page;
}
