import { useEffect, useState } from 'react';
import { CapabilityPanel } from '../capabilities/CapabilityPanel.tsx';
import { useCapabilities } from '../capabilities/useCapabilities.ts';
import type { Capabilities } from '../capabilities/useCapabilities.ts';
import { startModelWorker } from '../clients/model-worker-client.ts';
import type { Capabilities as RegistryCaps } from '../engine/registry/compat.ts';
import { TINY } from '../engine/registry/models.ts';
import { GeneratePanel } from '../generate/GeneratePanel.tsx';
import { ModelPanel } from '../models/ModelPanel.tsx';
import { useModelStore } from '../models/model-store.ts';
import { exposeConsoleApi } from './console-api.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';

const VIEWS = [
  { id: 'generate', label: 'Generate' },
  { id: 'device', label: 'Device' },
] as const;
type View = (typeof VIEWS)[number]['id'];

function registryCaps(gpu: Capabilities['gpu']): RegistryCaps | null {
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

// ?hub=URL replaces https://huggingface.co (a mirror, or a local server in tests).
const hubBaseUrl = new URLSearchParams(location.search).get('hub') ?? undefined;

export function App() {
  // One model worker for the page's lifetime: it owns the GPU device and the loaded model.
  const [{ client }] = useState(startModelWorker);
  const capabilities = useCapabilities(client);
  const store = useModelStore(client, hubBaseUrl);
  const [view, setView] = useState<View>(() =>
    location.hash === '#device' ? 'device' : 'generate',
  );
  const caps = registryCaps(capabilities.gpu);
  const { load } = store;
  const capsKnown = caps !== null;

  useEffect(() => exposeConsoleApi(client), [client]);
  // The embedded tiny model loads at once, so a first visit can generate without a download.
  useEffect(() => {
    if (capsKnown) void load({ entry: TINY, dtype: 'fp32', backend: 'auto' });
  }, [capsKnown, load]);

  return (
    <div className="app">
      <header className="app-header">
        <h1>
          CodeGen <span className="accent">WebGPU</span> Playground
        </h1>
        <p className="tagline">
          Salesforce CodeGen on your own GPU · Python in a sandbox · the MTPB benchmark, offline.
        </p>
        <nav className="tabs" aria-label="Views">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              aria-current={view === v.id ? 'page' : undefined}
              onClick={() => {
                setView(v.id);
                history.replaceState(null, '', `${location.search}#${v.id}`);
              }}
            >
              {v.label}
            </button>
          ))}
        </nav>
      </header>
      <main>
        {view === 'generate' && (
          <ErrorBoundary area="generate">
            <ModelPanel store={store} caps={caps} />
            <GeneratePanel client={client} modelReady={store.state.status === 'ready'} />
          </ErrorBoundary>
        )}
        {view === 'device' && (
          <ErrorBoundary area="device">
            <CapabilityPanel capabilities={capabilities} />
          </ErrorBoundary>
        )}
      </main>
    </div>
  );
}
