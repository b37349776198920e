import { formatBytes } from '../shared/format.ts';
import { Pending, Row } from '../ui/facts.tsx';
import type { Capabilities } from './useCapabilities.ts';
import { GpuSection } from './GpuSection.tsx';

/** Everything this browser and device can do for the app, and what it means for the user. */
export function CapabilityPanel({ capabilities }: { capabilities: Capabilities }) {
  const { environment } = capabilities;
  return (
    <section className="panel" aria-labelledby="capabilities-title" data-testid="capability-panel">
      <h2 id="capabilities-title">This device</h2>
      <GpuSection gpu={capabilities.gpu} selfCheck={capabilities.selfCheck} />
      <h3>Page</h3>
      {environment.state === 'loading' && <Pending what="the page environment" />}
      {environment.state === 'error' && <p className="notice error">{environment.message}</p>}
      {environment.state === 'ready' && (
        <>
          {!environment.value.crossOriginIsolated && (
            <p className="notice warn" data-testid="isolation-warning">
              The page is not cross-origin isolated (the server sends no COOP/COEP headers). Python
              that never ends can only be stopped by restarting its worker, and WebAssembly
              inference runs on one thread.
            </p>
          )}
          <table className="facts">
            <tbody>
              <Row
                label="crossOriginIsolated"
                testId="cross-origin-isolated"
                value={String(environment.value.crossOriginIsolated)}
              />
              <Row
                label="SharedArrayBuffer"
                value={environment.value.sharedArrayBuffer ? 'available' : 'unavailable'}
              />
              <Row
                label="CPU threads (hardwareConcurrency)"
                testId="hardware-concurrency"
                value={environment.value.hardwareConcurrency}
              />
            </tbody>
          </table>
          <h3>Storage</h3>
          {environment.value.storage.available ? (
            <table className="facts">
              <tbody>
                <Row
                  label="Used / quota"
                  testId="storage"
                  value={`${formatBytes(environment.value.storage.usage)} of ${formatBytes(environment.value.storage.quota)}`}
                />
                <Row
                  label="Persistent"
                  value={
                    environment.value.storage.persisted
                      ? 'yes'
                      : 'no (the browser may evict downloaded models under pressure)'
                  }
                />
              </tbody>
            </table>
          ) : (
            <p className="notice warn" data-testid="storage">
              {environment.value.storage.reason} Models will have to be downloaded again on every
              visit.
            </p>
          )}
        </>
      )}
    </section>
  );
}
