export { RpcClient } from './client.ts';
export type { CallOptions } from './client.ts';
export { serveRpc } from './server.ts';
export type { CallContext, Handlers } from './server.ts';
export type { Contract, Endpoint, RequestOf, ResultOf } from './contract.ts';
