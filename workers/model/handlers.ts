import type { ModelWorkerContract } from '../../src/shared/contracts/model-worker.ts';
import type { Handlers } from '../../src/shared/rpc/server.ts';
import { probeGpu } from '../gpu/probe.ts';
import { gpuSelfCheck } from '../gpu/self-check.ts';

/** The model worker's request handlers; `nav` is injectable so tests can drive them. */
export function createModelHandlers(nav: { gpu?: GPU }): Handlers<ModelWorkerContract> {
  return {
    probeGpu: () => probeGpu(nav),
    gpuSelfCheck: ({ m, k, n }) => gpuSelfCheck(nav, { m, k, n }),
  };
}
