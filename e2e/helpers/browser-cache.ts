import type { Page } from '@playwright/test';

/** The page's Cache Storage where the app keeps model files, for tampering with one entry. */
export class BrowserCache {
  constructor(
    private readonly page: Page,
    readonly name = 'codegen-models-v1',
  ) {}

  /** Flips one byte in the middle of a stored file; its length and headers stay as stored. */
  async damage(url: string): Promise<void> {
    await this.rewrite(url, null);
  }

  /** Keeps the first `bytes` bytes of a stored file; its headers still claim the full size. */
  async truncate(url: string, bytes: number): Promise<void> {
    await this.rewrite(url, bytes);
  }

  private async rewrite(url: string, keep: number | null): Promise<void> {
    await this.page.evaluate(
      async ({ name, url, keep }) => {
        const cache = await caches.open(name);
        const stored = await cache.match(url);
        if (!stored) throw new Error(`${url} is not in the cache ${name}`);
        const bytes = new Uint8Array(await stored.arrayBuffer());
        const middle = Math.floor(bytes.length / 2);
        const changed =
          keep === null
            ? bytes.map((b, i) => (i === middle ? b ^ 0xff : b))
            : bytes.slice(0, Math.min(keep, bytes.length - 1));
        await cache.put(url, new Response(changed, { headers: stored.headers }));
      },
      { name: this.name, url, keep },
    );
  }
}
