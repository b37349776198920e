import type { ModelWorkerContract } from '../shared/contracts/model-worker.ts';
import { WorkerCrashedError } from '../shared/errors.ts';
import { RpcClient } from '../shared/rpc/client.ts';

/** Starts the model worker; a crash or a failed start rejects every call with a clear error. */
export function startModelWorker(): { client: RpcClient<ModelWorkerContract>; worker: Worker } {
  const worker = new Worker(new URL('../../workers/model/model.worker.ts', import.meta.url), {
    type: 'module',
    name: 'model',
  });
  const client = new RpcClient<ModelWorkerContract>(worker);
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    client.fail(
      new WorkerCrashedError('model', event.message || 'it failed to start or threw at top level'),
    );
  });
  worker.addEventListener('messageerror', () => {
    client.fail(new WorkerCrashedError('model', 'a message could not be deserialized'));
  });
  return { client, worker };
}
