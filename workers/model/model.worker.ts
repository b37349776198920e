/// <reference lib="webworker" />
import type { ModelWorkerContract } from '../../src/shared/contracts/model-worker.ts';
import { serveRpc } from '../../src/shared/rpc/server.ts';
import { createModelHandlers } from './handlers.ts';

serveRpc<ModelWorkerContract>(self, createModelHandlers(self.navigator));
