import { AbortedError, deserializeError } from '../errors.ts';
import type { AppError } from '../errors.ts';
import type { Contract, Endpoint, ResultOf, WireMessage } from './contract.ts';
import { isWireMessage } from './contract.ts';

export interface CallOptions<E> {
  onEvent?: (event: E) => void;
  signal?: AbortSignal;
  transfer?: Transferable[];
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  onEvent: ((event: unknown) => void) | undefined;
  cleanup: () => void;
}

/** The calling side of a worker contract: one promise per request, events on the way. */
export class RpcClient<C extends Contract> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: AppError | null = null;
  private readonly listener = (message: MessageEvent): void => this.receive(message.data);

  constructor(private readonly endpoint: Endpoint) {
    endpoint.addEventListener('message', this.listener);
    endpoint.start?.();
  }

  call<R extends C['request']>(
    request: R,
    options: CallOptions<C['event']> = {},
  ): Promise<ResultOf<C, R['kind']>> {
    if (this.failure) return Promise.reject(this.failure);
    if (options.signal?.aborted) return Promise.reject(new AbortedError());
    const id = this.nextId++;
    return new Promise<ResultOf<C, R['kind']>>((resolve, reject) => {
      const onAbort = (): void =>
        this.endpoint.postMessage({ type: 'cancel', id } satisfies WireMessage);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        // The server answers a call of kind K with ResultOf<C, K>: the contract is the proof.
        resolve: resolve as (value: unknown) => void,
        reject,
        onEvent: options.onEvent,
        cleanup: () => options.signal?.removeEventListener('abort', onAbort),
      });
      const message: WireMessage = { type: 'call', id, request };
      this.endpoint.postMessage(message, options.transfer ?? []);
    });
  }

  /** Rejects every call in flight and every later one, e.g. when the worker crashed. */
  fail(error: AppError): void {
    this.failure = error;
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.cleanup();
      pending.reject(error);
    }
  }

  dispose(): void {
    this.endpoint.removeEventListener('message', this.listener);
    this.fail(new AbortedError('The worker was shut down.'));
  }

  private receive(data: unknown): void {
    if (!isWireMessage(data)) return;
    const pending = this.pending.get(data.id);
    if (!pending) return;
    switch (data.type) {
      case 'event':
        pending.onEvent?.(data.event);
        return;
      case 'result':
        this.pending.delete(data.id);
        pending.cleanup();
        pending.resolve(data.result);
        return;
      case 'error':
        this.pending.delete(data.id);
        pending.cleanup();
        pending.reject(deserializeError(data.error));
        return;
      case 'call':
      case 'cancel':
        return;
      default: {
        const unreachable: never = data;
        return unreachable;
      }
    }
  }
}
