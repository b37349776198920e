import { backendLabel } from '../engine/backend-choice.ts';
import { checkCompatibility } from '../engine/registry/compat.ts';
import type { Compatibility, DeviceSupport } from '../engine/registry/compat.ts';
import { ALL_BACKENDS, availableDtypes, LAYOUT_TRAITS } from '../engine/registry/dtypes.ts';
import type {
  Backend,
  BackendSupport,
  Dtype,
  DtypeVariant,
  ModelEntry,
} from '../engine/registry/types.ts';
import { sizeText } from './dtype-choices.ts';

/**
 * What each model's repository or folder has: per dtype its file, download size (exact or
 * "≈"), and which backends run it; where one cannot, a numbered note says why. Files a
 * repository has but the app does not offer are listed with the reason. All from the registry,
 * before any download.
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
      <summary>What the hub has: files, sizes and where they run</summary>
      {models.map((entry) => (
        <ModelFiles
          key={entry.id}
          entry={entry}
          caps={caps}
          backend={backend}
          onChoose={onChoose}
        />
      ))}
    </details>
  );
}

function ModelFiles({
  entry,
  caps,
  backend,
  onChoose,
}: {
  entry: ModelEntry;
  caps: DeviceSupport | null;
  backend: Backend;
  onChoose: (entryId: string, dtype: Dtype) => void;
}) {
  // Each distinct reason once, as a numbered note the cells point to.
  const notes: string[] = [];
  const noteOf = (reason: string): number => {
    const index = notes.indexOf(reason);
    return index === -1 ? notes.push(reason) : index + 1;
  };
  const where = entry.source.kind === 'hub' ? entry.source.repo : entry.source.basePath;
  const layout = LAYOUT_TRAITS[entry.layout];
  const rows = availableDtypes(entry).flatMap((dtype) => {
    const variant = entry.dtypes[dtype];
    return variant ? [{ dtype, variant }] : [];
  });
  const cells = rows.map(({ dtype, variant }) => ({
    dtype,
    variant,
    backends: ALL_BACKENDS.map((b) => ({ backend: b, text: supportText(variant, b, noteOf) })),
    compat: caps ? checkCompatibility(entry, dtype, caps, backend) : null,
  }));
  return (
    <div className="table-scroll" data-testid="model-files">
      <table className="catalog">
        <caption>
          <strong>{entry.label}</strong> · {where} · {layout.label}
          <br />
          <span className="muted">{layout.description}</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Weights</th>
            <th scope="col">File</th>
            <th scope="col">Download</th>
            {ALL_BACKENDS.map((b) => (
              <th key={b} scope="col">
                {backendLabel(b)}
              </th>
            ))}
            <th scope="col">Here ({backendLabel(backend)})</th>
            <th scope="col">
              <span className="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {cells.map(({ dtype, variant, backends, compat }) => (
            <tr key={dtype} data-testid="catalog-row" data-fits={compat?.ok ?? ''}>
              <th scope="row">{dtype}</th>
              <td>
                <code>{variant.file.path}</code>
              </td>
              <td>{sizeText(variant.file)}</td>
              {backends.map(({ backend: b, text }) => (
                <td key={b}>{text}</td>
              ))}
              <td>{hereText(compat, variant.support[backend], noteOf)}</td>
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
          ))}
        </tbody>
      </table>
      {notes.length > 0 && (
        <ol className="catalog-notes muted" aria-label={`Notes on ${entry.label}`}>
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ol>
      )}
      {entry.leftOut && entry.leftOut.length > 0 && (
        <div className="muted" data-testid="left-out">
          Also in the repository, not offered:
          <ul>
            {entry.leftOut.map((file) => (
              <li key={file.path}>
                <code>{file.path}</code> ({sizeText(file.size)}): {file.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/**
 * Whether this device runs the file on the chosen backend: "✓ runs", the device's reasons
 * (a missing feature, a tensor over a limit), or the backend's note.
 */
function hereText(
  compat: Compatibility | null,
  support: BackendSupport,
  noteOf: (reason: string) => number,
): string {
  if (compat === null) return 'checking…';
  if (compat.ok) return '✓ runs';
  const reasons = compat.reasons.map((r) =>
    r.code === 'backend-unsupported' && !support.runs
      ? `see note ${noteOf(support.reason)}`
      : r.message,
  );
  return `✗ ${reasons.join(' ')}`;
}

/** "✓", "✓ needs shader-f16" or "✗ see note 2": whether `backend` runs this file. */
function supportText(
  variant: DtypeVariant,
  backend: Backend,
  noteOf: (reason: string) => number,
): string {
  const support = variant.support[backend];
  if (!support.runs) return `✗ see note ${noteOf(support.reason)}`;
  const features = backend === 'webgpu' ? variant.requiredFeatures : [];
  return features.length > 0 ? `✓ needs ${features.join(', ')}` : '✓';
}
