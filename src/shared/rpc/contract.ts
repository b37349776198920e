import type { SerializedError } from '../errors.ts';

/**
 * A worker's contract: a tagged union of requests, the result type of each request kind,
 * and the union of events (progress, tokens, phases) a call may stream before its result.
 * Each worker has exactly one contract file that instantiates this.
 */
export interface Contract {
  request: { kind: string };
  results: { [kind: string]: unknown };
  event: unknown;
}

export type RequestKind<C extends Contract> = C['request']['kind'];
export type RequestOf<C extends Contract, K extends RequestKind<C>> = Extract<
  C['request'],
  { kind: K }
>;
export type ResultOf<C extends Contract, K> = K extends keyof C['results']
  ? C['results'][K]
  : never;

/** What travels over postMessage. `id` ties events, results and cancels to one call. */
export type WireMessage =
  | { type: 'call'; id: number; request: { kind: string } }
  | { type: 'cancel'; id: number }
  | { type: 'event'; id: number; event: unknown }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: SerializedError };

/** Worker, DedicatedWorkerGlobalScope and MessagePort all fit this shape. */
export interface Endpoint {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  start?: () => void;
}

export function isWireMessage(data: unknown): data is WireMessage {
  return (
    typeof data === 'object' &&
    data !== null &&
    'type' in data &&
    'id' in data &&
    typeof data.id === 'number'
  );
}
