import type { ModelWorkerContract } from '../shared/contracts/model-worker.ts';
import type { RpcClient } from '../shared/rpc/client.ts';

/**
 * `codegenPlayground` in the DevTools console, for researchers (and the e2e tests):
 * `await codegenPlayground.modelWorker.call({ kind: 'logits', ids: [1, 2, 3] })`.
 */
export interface ConsoleApi {
  modelWorker: RpcClient<ModelWorkerContract>;
}

declare global {
  interface Window {
    codegenPlayground?: ConsoleApi;
  }
}

export function exposeConsoleApi(modelWorker: RpcClient<ModelWorkerContract>): () => void {
  window.codegenPlayground = { modelWorker };
  return () => {
    delete window.codegenPlayground;
  };
}
