/**
 * Cross-origin isolation from the service worker: static hosts (GitHub Pages, a plain file
 * server) cannot send COOP/COEP, so the worker adds them to every same-origin response it
 * serves. After the worker takes over and the page reloads, the document and its workers
 * come with `Cross-Origin-Embedder-Policy: require-corp` and `Cross-Origin-Opener-Policy:
 * same-origin`: the page is cross-origin isolated (SharedArrayBuffer, wasm threads, Stop that
 * interrupts Python). Headers the host already sends are kept as they are.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export function withIsolationHeaders(response: Response): Response {
  // Opaque and error responses have no headers to edit (and must pass through unchanged).
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0)
    return response;
  const missing = Object.entries(ISOLATION_HEADERS).filter(([name]) => !response.headers.has(name));
  if (missing.length === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of missing) headers.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
