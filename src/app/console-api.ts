import type { ModelWorkerContract } from '../shared/contracts/model-worker.ts';
import type { RpcClient } from '../shared/rpc/client.ts';
import type { PlaygroundEditorApi } from '../playground/editor-api.ts';

/**
 * `codegenPlayground` in the DevTools console, for researchers (and the e2e tests):
 * `await codegenPlayground.modelWorker.call({ kind: 'logits', ids: [1, 2, 3] })`.
 */
export interface ConsoleApi {
  modelWorker: RpcClient<ModelWorkerContract>;
  /** The playground's Monaco editor, once it has loaded. */
  editor?: PlaygroundEditorApi;
}

declare global {
  interface Window {
    codegenPlayground?: ConsoleApi;
  }
}

export function exposeConsoleApi(modelWorker: RpcClient<ModelWorkerContract>): () => void {
  window.codegenPlayground = { ...window.codegenPlayground, modelWorker };
  return () => {
    delete window.codegenPlayground;
  };
}
