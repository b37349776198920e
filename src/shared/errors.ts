/**
 * Every failure the app reports is one of these classes. Each has a stable `code` so it
 * survives the worker boundary (structured clone drops prototypes) and is rebuilt on the
 * other side, and a `hint` that tells the user what to do next.
 */
export type ErrorCode =
  | 'internal'
  | 'aborted'
  | 'worker-start'
  | 'worker-crashed'
  | 'webgpu-unavailable'
  | 'gpu-device-lost'
  | 'gpu-out-of-memory'
  | 'gpu-self-check'
  | 'missing-gpu-feature'
  | 'not-isolated'
  | 'storage-quota'
  | 'download'
  | 'network'
  | 'not-found'
  | 'no-access'
  | 'bad-model'
  | 'no-model'
  | 'context-overflow'
  | 'bad-input'
  | 'python'
  | 'python-timeout';

export interface SerializedError {
  code: ErrorCode;
  name: string;
  message: string;
  hint?: string;
  stack?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options?.hint;
  }
}

export class AbortedError extends AppError {
  constructor(message = 'The operation was cancelled.') {
    super('aborted', message);
    this.name = 'AbortedError';
  }
}

export class WebGpuUnavailableError extends AppError {
  constructor(reason: string) {
    super('webgpu-unavailable', `WebGPU is not available: ${reason}`, {
      hint: 'Inference will use WebAssembly on the CPU. For GPU speed use a recent Chrome or Edge with hardware acceleration on.',
    });
    this.name = 'WebGpuUnavailableError';
  }
}

export class GpuDeviceLostError extends AppError {
  constructor(reason: string) {
    super('gpu-device-lost', `The GPU device was lost: ${reason}`, {
      hint: 'The model will be reloaded on a fresh device; your prompt and results are kept.',
    });
    this.name = 'GpuDeviceLostError';
  }
}

export class WorkerCrashedError extends AppError {
  constructor(worker: string, detail: string) {
    super('worker-crashed', `The ${worker} worker stopped: ${detail}`, {
      hint: 'Reload the page. If it happens again, the browser may be out of memory.',
    });
    this.name = 'WorkerCrashedError';
  }
}

/** Turns anything thrown into something structured clone can carry. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof AppError) {
    return {
      code: error.code,
      name: error.name,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      ...(error.stack === undefined ? {} : { stack: error.stack }),
    };
  }
  if (error instanceof Error) {
    const aborted = error.name === 'AbortError';
    return {
      code: aborted ? 'aborted' : 'internal',
      name: error.name,
      message: error.message,
      ...(error.stack === undefined ? {} : { stack: error.stack }),
    };
  }
  return { code: 'internal', name: 'Error', message: String(error) };
}

/** Rebuilds an error on the receiving side of a worker boundary. */
export function deserializeError(serialized: SerializedError): AppError {
  const error =
    serialized.code === 'aborted'
      ? new AbortedError(serialized.message)
      : new AppError(serialized.code, serialized.message, {
          ...(serialized.hint === undefined ? {} : { hint: serialized.hint }),
        });
  error.name = serialized.name;
  if (serialized.stack !== undefined) error.stack = serialized.stack;
  return error;
}

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
