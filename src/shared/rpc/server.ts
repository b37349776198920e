import { serializeError } from '../errors.ts';
import type {
  Contract,
  Endpoint,
  RequestKind,
  RequestOf,
  ResultOf,
  WireMessage,
} from './contract.ts';
import { isWireMessage } from './contract.ts';

export interface CallContext<E> {
  emit: (event: E, transfer?: Transferable[]) => void;
  /** Aborted when the caller cancels this call. */
  signal: AbortSignal;
}

/**
 * One handler per request kind. The mapped type makes a missing kind a compile error,
 * which is the same exhaustiveness a `switch` with a `never` default gives.
 */
export type Handlers<C extends Contract> = {
  [K in RequestKind<C>]: (
    request: RequestOf<C, K>,
    context: CallContext<C['event']>,
  ) => Promise<ResultOf<C, K>> | ResultOf<C, K>;
};

/** The answering side of a worker contract. Returns a function that stops serving. */
export function serveRpc<C extends Contract>(
  endpoint: Endpoint,
  handlers: Handlers<C>,
): () => void {
  const inFlight = new Map<number, AbortController>();

  const run = async (id: number, request: { kind: string }): Promise<void> => {
    const controller = new AbortController();
    inFlight.set(id, controller);
    const post = (message: WireMessage, transfer: Transferable[] = []): void =>
      endpoint.postMessage(message, transfer);
    try {
      if (!Object.hasOwn(handlers, request.kind)) {
        throw new Error(`Unknown request kind "${request.kind}"`);
      }
      // The wire carries an untyped request; the handler map is keyed by kind, so the
      // handler picked here is the one whose parameter type matches this request.
      const handler = handlers[request.kind as RequestKind<C>] as (
        request: unknown,
        context: CallContext<unknown>,
      ) => unknown;
      const result = await handler(request, {
        emit: (event, transfer) => post({ type: 'event', id, event }, transfer),
        signal: controller.signal,
      });
      post({ type: 'result', id, result });
    } catch (error) {
      post({ type: 'error', id, error: serializeError(error) });
    } finally {
      inFlight.delete(id);
    }
  };

  const listener = (message: MessageEvent): void => {
    const data: unknown = message.data;
    if (!isWireMessage(data)) return;
    if (data.type === 'call') void run(data.id, data.request);
    else if (data.type === 'cancel') inFlight.get(data.id)?.abort();
  };
  endpoint.addEventListener('message', listener);
  endpoint.start?.();
  return () => endpoint.removeEventListener('message', listener);
}
