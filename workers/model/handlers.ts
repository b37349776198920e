import type { ModelWorkerContract } from '../../src/shared/contracts/model-worker.ts';
import type { Handlers } from '../../src/shared/rpc/server.ts';
import { assertWebGpu } from '../gpu/adapter.ts';
import { probeGpu } from '../gpu/probe.ts';
import { gpuSelfCheck } from '../gpu/self-check.ts';
import { EngineHost } from './engine-host.ts';
import type { HostEnvironment } from './engine-host.ts';

/** The model worker's request handlers; the environment is injectable so tests can drive them. */
export function createModelHandlers(
  nav: { gpu?: GPU },
  environment: Omit<HostEnvironment, 'probeGpu' | 'gpu'>,
): Handlers<ModelWorkerContract> {
  const host = new EngineHost({
    ...environment,
    probeGpu: () => probeGpu(nav),
    gpu: () => {
      assertWebGpu(nav);
      return Promise.resolve(nav.gpu);
    },
  });
  return {
    probeGpu: () => probeGpu(nav),
    gpuSelfCheck: ({ m, k, n }) => gpuSelfCheck(nav, { m, k, n }),
    load: (request, context) => host.load(request, context),
    generate: (request, context) => host.generate(request, context),
    logits: ({ ids }, context) => host.logits(ids, context),
    batchLogits: ({ rows, logitsBudgetBytes }, context) =>
      host.batchLogits(rows, context, logitsBudgetBytes),
    tokenize: ({ text }, context) => host.tokenize(text, context),
    score: (request, context) => host.score(request, context),
    unload: () => host.unload(),
    cachedFiles: () => host.cachedFiles(),
    deleteCached: ({ urlPrefix }) => host.deleteCached(urlPrefix),
    prefetch: (request, context) => host.prefetch(request, context),
    verifyCached: ({ urls }, context) => host.verifyCached(urls, context),
    loseDevice: () => host.loseDevice(),
    engineStats: () => Promise.resolve(host.engineStats()),
  };
}
