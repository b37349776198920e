// onnxruntime-web under Node (tests, CLI): the package's `node` export condition
// resolves to its WASM-only Node build. Single-threaded so tests stay frugal and
// deterministic.

import * as ort from 'onnxruntime-web';

export { ort };

let configured = false;

function configure(): void {
  if (configured) return;
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  configured = true;
}

/** A WASM-backed session from model bytes or a file path. */
export async function createNodeSession(
  model: Uint8Array | string,
  options: ort.InferenceSession.SessionOptions = {},
): Promise<ort.InferenceSession> {
  configure();
  const opts: ort.InferenceSession.SessionOptions = { executionProviders: ['wasm'], ...options };
  return typeof model === 'string'
    ? ort.InferenceSession.create(model, opts)
    : ort.InferenceSession.create(model, opts);
}

export function int64Tensor(values: readonly number[], dims: readonly number[]): ort.Tensor {
  return new ort.Tensor(
    'int64',
    BigInt64Array.from(values, (v) => BigInt(v)),
    dims,
  );
}
