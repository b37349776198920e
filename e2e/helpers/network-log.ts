import type { BrowserContext, Request } from '@playwright/test';

/**
 * What the browser asked of the network while recording: every http(s) request of the
 * context (pages, their workers, the service worker), and those that failed. A request the
 * service worker answered from its caches is `fromServiceWorker`; one it forwarded shows up
 * again as the service worker's own request.
 */
export class NetworkLog {
  private readonly requests: Request[] = [];
  private readonly failures: Request[] = [];

  constructor(context: BrowserContext) {
    context.on('request', (request) => {
      if (/^https?:/.test(request.url())) this.requests.push(request);
    });
    context.on('requestfailed', (request) => {
      if (/^https?:/.test(request.url())) this.failures.push(request);
    });
  }

  /** Requests that reached (or tried to reach) the network instead of a cache. */
  async network(): Promise<string[]> {
    const out: string[] = [];
    for (const request of this.requests) {
      const response = await request.response();
      const fromCache = response !== null && response.fromServiceWorker();
      if (!fromCache) out.push(`${request.method()} ${request.url()}`);
    }
    return out;
  }

  /**
   * Requests that failed, except those the service worker had answered (the page may stop
   * reading a body it no longer needs: ERR_ABORTED, but nothing went to the network).
   */
  async failed(): Promise<string[]> {
    const out: string[] = [];
    for (const request of this.failures) {
      const response = await request.response();
      if (response?.fromServiceWorker()) continue;
      out.push(`${request.url()}: ${request.failure()?.errorText ?? 'failed'}`);
    }
    return out;
  }

  get count(): number {
    return this.requests.length;
  }
}
