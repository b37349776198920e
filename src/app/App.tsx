import { useEffect, useState } from 'react';
import { BenchmarkView } from '../mtpb/view/BenchmarkView.tsx';
import { createSandboxExecutor } from '../mtpb/view/sandbox-executor.ts';
import type { CreateExecutor } from '../mtpb/view/use-benchmark.ts';
import { CapabilityPanel } from '../capabilities/CapabilityPanel.tsx';
import { useCapabilities } from '../capabilities/useCapabilities.ts';
import type { Capabilities } from '../capabilities/useCapabilities.ts';
import { startModelWorker } from '../clients/model-worker-client.ts';
import type { DeviceSupport } from '../engine/registry/compat.ts';
import { TINY } from '../engine/registry/models.ts';
import { ModelPanel } from '../model-manager/ModelPanel.tsx';
import { loadBackendChoice } from '../model-manager/backend-preference.ts';
import { engineChoiceOf } from '../model-manager/engine-param.ts';
import { useModelStore } from '../model-manager/model-store.ts';
import { StatusBar } from '../model-manager/StatusBar.tsx';
import type { LastGeneration } from '../model-manager/StatusBar.tsx';
import { PlaygroundView } from '../playground/PlaygroundView.tsx';
import { OfflineStatus } from '../offline/OfflineStatus.tsx';
import { useOfflineInventory } from '../offline/use-offline-inventory.ts';
import { pagePythonPackages } from '../offline/python-packages.ts';
import { ServiceWorkerClient } from '../offline/service-worker.ts';
import { exposeConsoleApi } from './console-api.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { panelId, tabId, ViewTabs } from './ViewTabs.tsx';

const VIEWS = [
  { id: 'playground', label: 'Playground' },
  { id: 'benchmark', label: 'Benchmark' },
  { id: 'device', label: 'Device' },
] as const;
type View = (typeof VIEWS)[number]['id'];

// `#playground?problem=12&case=0`: the view, then its own parameters. `#generate` is the old name.
const viewFromHash = (): View =>
  VIEWS.find((v) => v.id === location.hash.slice(1).split('?')[0])?.id ?? 'playground';

/** A view's tab panel: always in the page (its tab points at it), hidden unless selected. */
const panelProps = (id: View, selected: View) => ({
  id: panelId(id),
  role: 'tabpanel',
  'aria-labelledby': tabId(id),
  hidden: id !== selected,
});

function deviceSupport(gpu: Capabilities['gpu']): DeviceSupport | null {
  if (gpu.state !== 'ready')
    return gpu.state === 'error' ? { webgpu: false, shaderF16: false } : null;
  const report = gpu.value;
  return report.available
    ? {
        webgpu: true,
        shaderF16: report.features.shaderF16,
        maxBufferSize: report.limits.maxBufferSize,
        maxStorageBufferBindingSize: report.limits.maxStorageBufferBindingSize,
      }
    : { webgpu: false, shaderF16: false };
}

// One per page: registers the offline service worker (production builds).
const serviceWorker = new ServiceWorkerClient(`${import.meta.env.BASE_URL}sw.js`);

// ?hub=URL replaces https://huggingface.co (a mirror, or a local server in tests).
const hubBaseUrl = new URLSearchParams(location.search).get('hub') ?? undefined;
// ?engine=wgsl|ort|auto: the engine of the first load and the Engine menu's first choice.
const engineChoice = engineChoiceOf(location.search);

/**
 * `createExecutor` replaces the benchmark's executor (tests); by default it is the page's one
 * Python sandbox (python/browser/page-sandbox.ts), which the playground's Run shares.
 */
export function App({
  createExecutor = createSandboxExecutor,
}: {
  createExecutor?: CreateExecutor;
}) {
  // One model worker for the page's lifetime: it owns the GPU device and the loaded model.
  const [{ client }] = useState(startModelWorker);
  const capabilities = useCapabilities(client);
  const store = useModelStore(client, hubBaseUrl);
  const [view, setView] = useState<View>(viewFromHash);
  // Mounted on first visit, then kept (hidden) so a run goes on while another view is shown.
  const [benchmarkOpened, setBenchmarkOpened] = useState(view === 'benchmark');
  const [lastGeneration, setLastGeneration] = useState<LastGeneration | null>(null);
  const caps = deviceSupport(capabilities.gpu);
  const gpu = capabilities.gpu.state === 'ready' ? capabilities.gpu.value : null;
  const [inventory, refreshInventory] = useOfflineInventory(store);
  const { load } = store;
  const capsKnown = caps !== null;

  const show = (next: View): void => {
    setView(next);
    if (next === 'benchmark') setBenchmarkOpened(true);
    history.replaceState(null, '', `${location.search}#${next}`);
  };

  useEffect(() => exposeConsoleApi(client), [client]);
  // Links such as the benchmark's "open in the playground" change the hash.
  useEffect(() => {
    const follow = (): void => {
      const next = viewFromHash();
      setView(next);
      if (next === 'benchmark') setBenchmarkOpened(true);
    };
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  // The embedded tiny model loads at once, so a first visit can generate without a download.
  useEffect(() => {
    if (capsKnown)
      void load({ entry: TINY, dtype: 'fp32', backend: loadBackendChoice(), engine: engineChoice });
  }, [capsKnown, load]);

  return (
    <div className="app">
      <header className="app-header">
        <div className="app-title-row">
          <h1>
            CodeGen <span className="accent">WebGPU</span> Playground
          </h1>
          <OfflineStatus
            serviceWorker={serviceWorker}
            inventory={inventory}
            onOpen={refreshInventory}
          />
        </div>
        <p className="tagline">
          Salesforce CodeGen on your own GPU · Python in a sandbox · the MTPB benchmark, offline.
        </p>
        <ViewTabs tabs={VIEWS} selected={view} onSelect={show} />
      </header>
      <main>
        {/* Kept mounted while hidden: the editor, its undo history and a generation survive a tab switch. */}
        <div {...panelProps('playground', view)}>
          <ErrorBoundary area="playground">
            <PlaygroundView
              client={client}
              model={store.state}
              active={view === 'playground'}
              onStats={setLastGeneration}
            />
            <ModelPanel
              store={store}
              caps={caps}
              gpu={gpu}
              initialEngine={engineChoice}
              preparePython={pagePythonPackages}
            />
          </ErrorBoundary>
        </div>
        <div {...panelProps('benchmark', view)}>
          {benchmarkOpened && (
            <ErrorBoundary area="benchmark">
              <BenchmarkView
                client={client}
                modelStore={store}
                createExecutor={createExecutor}
                onOpenModels={() => {
                  show('playground');
                  // The model manager sits under the playground.
                  requestAnimationFrame(() =>
                    document.getElementById('model-title')?.scrollIntoView(),
                  );
                }}
              />
            </ErrorBoundary>
          )}
        </div>
        <div {...panelProps('device', view)}>
          {view === 'device' && (
            <ErrorBoundary area="device">
              <CapabilityPanel capabilities={capabilities} />
            </ErrorBoundary>
          )}
        </div>
      </main>
      <StatusBar state={store.state} last={lastGeneration} />
    </div>
  );
}
