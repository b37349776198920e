import type { FailRule, LoggedRequest } from '../../scripts/test-hub/server.ts';
import { TEST_HUB_URL } from '../../scripts/test-hub/address.ts';
import { PACKAGE_INDEX_PATH } from '../../scripts/test-hub/package-index.ts';

export { TEST_HUB_URL };
export { TEST_REPOS } from '../../scripts/test-hub/models.ts';

/** A failure to inject into the next download of one file. */
export type Failure =
  | { kind: 'not-found' }
  | { kind: 'gated' }
  | { kind: 'drop'; afterBytes: number }
  | { kind: 'slow'; bytesPerSecond: number };

/**
 * The local stand-in for huggingface.co that playwright.config.ts starts: what the app
 * asked it for, and failures to inject.
 */
export class TestHub {
  readonly url = TEST_HUB_URL;

  /** `?hub=…`: the app fetches hub models from this server instead of huggingface.co. */
  get appQuery(): string {
    return `?hub=${encodeURIComponent(this.url)}`;
  }

  filePath(repo: string, file: string): string {
    return `/${repo}/resolve/main/${file}`;
  }

  fileUrl(repo: string, file: string): string {
    return this.url + this.filePath(repo, file);
  }

  async reset(): Promise<void> {
    await this.control('/__reset');
  }

  /** Every request the hub answered (its control requests excepted), oldest first. */
  async log(): Promise<LoggedRequest[]> {
    const log = await this.control('/__requests');
    const entries: unknown[] = Array.isArray(log) ? log : [];
    return entries.filter(isLoggedRequest);
  }

  /** Every GET the app made for files of `repo` (or of one file), oldest first. */
  async downloads(repo: string, file?: string): Promise<LoggedRequest[]> {
    const prefix = file === undefined ? `/${repo}/` : this.filePath(repo, file);
    return (await this.log()).filter(
      (r) =>
        r.method === 'GET' && (file === undefined ? r.path.startsWith(prefix) : r.path === prefix),
    );
  }

  /** The next request for `file` of `repo` fails as described. */
  async failNext(repo: string, file: string, failure: Failure): Promise<void> {
    const path = this.filePath(repo, file);
    const rule: FailRule =
      failure.kind === 'not-found'
        ? { mode: '404', path, times: 1 }
        : failure.kind === 'gated'
          ? { mode: 'gated', path, times: 1 }
          : failure.kind === 'drop'
            ? { mode: 'drop', path, after: failure.afterBytes, times: 1 }
            : { mode: 'slow', path, bytesPerSecond: failure.bytesPerSecond, times: 1 };
    const params = new URLSearchParams({ path, mode: rule.mode, times: '1' });
    if (rule.mode === 'drop') params.set('after', String(rule.after));
    if (rule.mode === 'slow') params.set('rate', String(rule.bytesPerSecond));
    await this.control(`/__fail?${params.toString()}`);
  }

  /** The next `times` requests for a file of the stand-in package index answer 404. */
  async failPackageFile(fileName: string, times: number): Promise<void> {
    const path = `${PACKAGE_INDEX_PATH}${fileName}`;
    const params = new URLSearchParams({ path, mode: '404', times: String(times) });
    await this.control(`/__fail?${params.toString()}`);
  }

  /** `?packages=…`: the app takes Python packages from this server's stand-in index. */
  get packagesQuery(): string {
    return `?packages=${encodeURIComponent(`${this.url}${PACKAGE_INDEX_PATH}`)}`;
  }

  private async control(path: string): Promise<unknown> {
    const response = await fetch(this.url + path);
    if (!response.ok)
      throw new Error(`test hub ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  }
}

function isLoggedRequest(value: unknown): value is LoggedRequest {
  return (
    typeof value === 'object' &&
    value !== null &&
    'method' in value &&
    typeof value.method === 'string' &&
    'path' in value &&
    typeof value.path === 'string'
  );
}
