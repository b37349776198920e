import { useState } from 'react';
import { CapabilityPanel } from '../capabilities/CapabilityPanel.tsx';
import { useCapabilities } from '../capabilities/useCapabilities.ts';
import { startModelWorker } from '../clients/model-worker-client.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';

export function App() {
  // One model worker for the page's lifetime: it owns the GPU device and, later, the model.
  const [{ client }] = useState(startModelWorker);
  const capabilities = useCapabilities(client);
  return (
    <div className="app">
      <header className="app-header">
        <h1>
          CodeGen <span className="accent">WebGPU</span> Playground
        </h1>
        <p className="tagline">
          Salesforce CodeGen on your own GPU · Python in a sandbox · the MTPB benchmark, offline.
        </p>
      </header>
      <main>
        <ErrorBoundary area="device">
          <CapabilityPanel capabilities={capabilities} />
        </ErrorBoundary>
      </main>
    </div>
  );
}
