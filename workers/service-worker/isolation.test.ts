import { describe, expect, it } from 'vitest';
import { withIsolationHeaders } from './isolation.ts';

describe('withIsolationHeaders', () => {
  it('adds COOP and COEP and keeps status, type and body', async () => {
    const original = new Response('print(1)', {
      status: 200,
      headers: { 'Content-Type': 'text/javascript' },
    });
    const isolated = withIsolationHeaders(original);
    expect(isolated.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(isolated.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(isolated.headers.get('Content-Type')).toBe('text/javascript');
    expect(isolated.status).toBe(200);
    expect(await isolated.text()).toBe('print(1)');
  });

  it("keeps the host's own policies", () => {
    const original = new Response('', {
      headers: { 'Cross-Origin-Embedder-Policy': 'credentialless' },
    });
    const isolated = withIsolationHeaders(original);
    expect(isolated.headers.get('Cross-Origin-Embedder-Policy')).toBe('credentialless');
    expect(isolated.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
  });

  it('returns a response that already has both unchanged', () => {
    const original = new Response('', {
      headers: {
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cross-Origin-Opener-Policy': 'same-origin',
      },
    });
    expect(withIsolationHeaders(original)).toBe(original);
  });

  it('keeps a partial-content answer partial', () => {
    const original = new Response('abc', {
      status: 206,
      headers: { 'Content-Range': 'bytes 0-2/10' },
    });
    const isolated = withIsolationHeaders(original);
    expect(isolated.status).toBe(206);
    expect(isolated.headers.get('Content-Range')).toBe('bytes 0-2/10');
  });
});
