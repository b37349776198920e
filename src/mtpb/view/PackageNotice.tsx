import type { PackageGate } from './use-package-gate.ts';

/**
 * Before a run generates anything: which of its problems need Python packages that cannot be
 * had here (offline and not stored, or not at the package index), so their programs would end
 * "unavailable", and the choice to go ahead or not.
 */
export function PackageNotice({ gate }: { gate: PackageGate }) {
  const { state } = gate;
  if (state.kind === 'idle') return null;
  if (state.kind === 'checking') {
    return (
      <p className="muted" role="status" data-testid="package-check">
        Checking that the Python packages the selected problems need ({state.packages.join(', ')})
        can be had…{' '}
        <button type="button" onClick={gate.cancel}>
          Cancel
        </button>
      </p>
    );
  }
  const names = [...new Set(state.problems.flatMap((p) => p.packages))].sort();
  // One line per reason: numpy's missing wheel is also pandas' and scikit-learn's.
  const reasons = new Map<string, string[]>();
  for (const { name, reasons: why } of state.missing)
    for (const reason of why) reasons.set(reason, [...(reasons.get(reason) ?? []), name]);
  return (
    <div className="notice warn" role="alert" data-testid="package-notice">
      <p>
        <strong>
          {state.problems.length} {state.problems.length === 1 ? 'problem' : 'problems'} of this run
          will be “unavailable”
        </strong>{' '}
        (left out of every rate): {names.join(', ')} cannot be had here.
      </p>
      <ul data-testid="package-notice-problems">
        {state.problems.map((p) => (
          <li key={p.id} data-problem={p.id}>
            Problem {p.id} ({p.name}): needs {p.packages.join(', ')}
          </li>
        ))}
      </ul>
      {state.noPackageList ? (
        <p data-testid="package-notice-why">
          Why: the Python package list cannot be read ({state.noPackageList}), so Python cannot
          start either.
        </p>
      ) : (
        <div data-testid="package-notice-why">
          Why they cannot be had:
          <ul>
            {[...reasons].map(([reason, packages]) => (
              <li key={reason}>
                {reason} (needed for {packages.join(', ')})
              </li>
            ))}
          </ul>
        </div>
      )}
      <p>
        Connect to the network (or fix the ?packages= address), or store the packages while online
        with “Make available offline” in the model manager.
      </p>
      <div className="form-row">
        <button type="button" onClick={gate.proceed} data-testid="package-notice-run">
          Run anyway
        </button>
        <button type="button" onClick={gate.cancel} data-testid="package-notice-cancel">
          Cancel
        </button>
      </div>
    </div>
  );
}
