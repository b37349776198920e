/**
 * The document of the sandbox iframe (srcdoc, `sandbox="allow-scripts"`: an opaque origin, so
 * no access to the app's Cache Storage, IndexedDB or OPFS). Its CSP allows no network at all,
 * no eval, and workers only from blob URLs; the interpreter worker it starts inherits that
 * policy. COEP comes from the parent (srcdoc documents inherit it), so the frame needs no headers.
 *
 * The script starts the worker from the source the app sends (FrameStart), hands it its
 * channels (WorkerStart), and then serves PythonFrameContract on the control port: `interrupt`
 * raises Stop in the shared interrupt buffer (only where the frame is cross-origin isolated),
 * `exit` is answered when the worker dies. No module can be loaded into the frame, so this
 * server speaks the RPC wire format (src/shared/rpc/contract.ts WireMessage) itself.
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
  if (event.source !== parent || !event.data || event.data.kind !== 'python-sandbox-start') return;
  removeEventListener('message', start);
  const { workerSource, core, rpc, files, control } = event.data;
  const shared = self.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : null;
  let exitCall = null;
  let exitReason = null;
  const answerExit = () => {
    if (exitCall !== null && exitReason !== null) control.postMessage({ type: 'result', id: exitCall, result: { reason: exitReason } });
  };
  control.onmessage = (e) => {
    const m = e.data;
    if (!m || m.type !== 'call' || typeof m.id !== 'number' || !m.request) return;
    if (m.request.kind === 'interrupt' && typeof m.request.signal === 'number') {
      if (shared) Atomics.store(shared, 0, m.request.signal);
      control.postMessage({ type: 'result', id: m.id, result: shared !== null });
    } else if (m.request.kind === 'exit') {
      exitCall = m.id;
      answerExit();
    } else {
      control.postMessage({ type: 'error', id: m.id, error: { name: 'Error', code: 'internal', message: 'Unknown request kind' } });
    }
  };
  const worker = new Worker(URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' })));
  worker.addEventListener('error', (e) => {
    exitReason ??= String(e.message || 'the worker failed');
    answerExit();
  });
  worker.postMessage(
    { kind: 'python-sandbox-init', rpc, files, core, interruptBuffer: shared },
    [rpc, files, ...Object.values(core)],
  );
});
`;

export const FRAME_DOCUMENT = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}"></head><body><script>${BOOTSTRAP}</script></body></html>`;
