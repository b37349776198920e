import { checkCompatibility } from '../engine/registry/compat.ts';
import type { DeviceSupport } from '../engine/registry/compat.ts';
import { availableDtypes } from '../engine/registry/dtypes.ts';
import type { Backend, Dtype, ModelEntry } from '../engine/registry/types.ts';
import { expectedBytes } from '../engine/registry/urls.ts';
import { formatBytes } from '../shared/format.ts';

/**
 * Every known model in every dtype: download size, where it runs, the GPU features it needs,
 * and whether this device runs it (checked from the registry, before any download).
 */
export function ModelCatalog({
  models,
  caps,
  backend,
  onChoose,
}: {
  models: readonly ModelEntry[];
  caps: DeviceSupport | null;
  backend: Backend;
  onChoose: (entryId: string, dtype: Dtype) => void;
}) {
  return (
    <details className="model-extra" data-testid="model-catalog">
      <summary>All models: sizes and what runs here</summary>
      <div className="table-scroll">
        <table className="catalog">
          <caption className="muted">
            Checked for {backend === 'webgpu' ? 'WebGPU' : 'WASM (CPU)'}.
          </caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Weights</th>
              <th scope="col">Download</th>
              <th scope="col">Runs on</th>
              <th scope="col">Needs</th>
              <th scope="col">Here</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {models.flatMap((entry) =>
              availableDtypes(entry).map((dtype) => {
                const variant = entry.dtypes[dtype];
                const size = variant ? expectedBytes(variant.file) : undefined;
                const compat = caps ? checkCompatibility(entry, dtype, caps, backend) : null;
                return (
                  <tr
                    key={`${entry.id}/${dtype}`}
                    data-testid="catalog-row"
                    data-fits={compat?.ok ?? ''}
                  >
                    <th scope="row">{entry.label}</th>
                    <td>{dtype}</td>
                    <td>
                      {size ? `${size.exact ? '' : '≈'}${formatBytes(size.bytes)}` : 'unknown'}
                    </td>
                    <td>{variant?.backends.join(', ')}</td>
                    <td>{variant?.requiredFeatures.join(', ') || '—'}</td>
                    <td>
                      {compat === null
                        ? 'checking…'
                        : compat.ok
                          ? '✓ runs'
                          : `✗ ${compat.reasons.map((r) => r.message).join(' ')}`}
                    </td>
                    <td>
                      <button
                        type="button"
                        disabled={compat !== null && !compat.ok}
                        onClick={() => onChoose(entry.id, dtype)}
                        aria-label={`Choose ${entry.label} in ${dtype}`}
                      >
                        Choose
                      </button>
                    </td>
                  </tr>
                );
              }),
            )}
          </tbody>
        </table>
      </div>
    </details>
  );
}
