/**
 * The document of the sandbox iframe (srcdoc, `sandbox="allow-scripts"`: an opaque origin, so
 * no access to the app's Cache Storage, IndexedDB or OPFS). Its CSP allows no network at all,
 * no eval, and workers only from blob URLs; the Python worker it starts inherits that policy.
 * COEP comes from the parent (srcdoc documents inherit it), so the frame needs no headers.
 *
 * The script starts the worker from the source the app sends, hands it the channels, and
 * afterwards only listens to the app's control port: to raise Stop in the shared interrupt
 * buffer (only when the frame is cross-origin isolated) and to report a dead worker.
 */
export const FRAME_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline' blob: 'wasm-unsafe-eval'",
  'worker-src blob:',
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const BOOTSTRAP = `
addEventListener('message', function start(event) {
  if (event.source !== parent || !event.data || event.data.type !== 'python-sandbox-start') return;
  removeEventListener('message', start);
  const { workerSource, core, rpc, files, control } = event.data;
  const shared = self.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : null;
  const worker = new Worker(URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' })));
  worker.addEventListener('error', (e) => control.postMessage({ type: 'worker-error', message: String(e.message || 'the worker failed') }));
  control.onmessage = (e) => {
    if (shared && e.data && typeof e.data.interrupt === 'number') Atomics.store(shared, 0, e.data.interrupt);
  };
  worker.postMessage(
    { type: 'python-sandbox-init', rpc, files, core, interruptBuffer: shared },
    [rpc, files, ...Object.values(core)],
  );
});
`;

export const FRAME_DOCUMENT = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}"></head><body><script>${BOOTSTRAP}</script></body></html>`;
