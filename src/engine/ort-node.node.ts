// onnxruntime-web under Node (tests, CLI): the package's `node` export condition
// resolves to its WASM-only Node build. Sessions made by createNodeSession are
// single-threaded so tests stay frugal and deterministic; the command line asks for the
// browser worker's threads (useWasmThreads).

import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-web';

export { ort };

let configured = false;

function configure(): void {
  if (configured) return;
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  configured = true;
}

/**
 * As many WASM threads as the app's model worker takes in a cross-origin-isolated page,
 * min(4, cores). Without this onnxruntime-web picks min(4, ceil(cores / 2)): one thread on
 * a 2-core machine, where MTPB problem 2 on the 350M preset (q8) took 395 s with one thread
 * and 259 s with two (bench:mtpb). Takes effect only before the first session: the WASM
 * module fixes its thread pool then.
 */
export function useWasmThreads(count = Math.min(4, availableParallelism())): void {
  ort.env.wasm.numThreads = count;
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
