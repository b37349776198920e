import { backendLabel } from '../engine/backend-choice.ts';
import type { Backend, Dtype } from '../engine/registry/types.ts';
import { refusalGroups } from './dtype-choices.ts';
import type { DtypeChoice } from './dtype-choices.ts';

const REFUSALS_ID = 'dtype-refusals';

/**
 * The weights menu: each dtype with its download size. One that cannot run on this backend is
 * disabled, never offered silently: its option says so, and DtypeRefusals says why.
 */
export function DtypeSelect({
  choices,
  value,
  onChange,
}: {
  choices: readonly DtypeChoice[];
  value: Dtype;
  onChange: (dtype: Dtype | null) => void;
}) {
  const anyRefused = choices.some((c) => c.refusal !== null);
  return (
    <label>
      Weights
      <select
        value={value}
        onChange={(e) => onChange(choices.find((c) => c.dtype === e.target.value)?.dtype ?? null)}
        aria-describedby={anyRefused ? REFUSALS_ID : undefined}
        data-testid="dtype-select"
      >
        {choices.map((c) => (
          <option
            key={c.dtype}
            value={c.dtype}
            // The selected one stays enabled so the menu can show it; the warning says why.
            disabled={c.refusal !== null && c.dtype !== value}
            title={c.refusal ?? undefined}
          >
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Why the unavailable weights are unavailable, one line per reason, before any download. */
export function DtypeRefusals({
  choices,
  backend,
}: {
  choices: readonly DtypeChoice[];
  backend: Backend;
}) {
  const groups = refusalGroups(choices);
  if (groups.length === 0) return null;
  return (
    <div className="dtype-refusals muted" id={REFUSALS_ID} data-testid="dtype-refusals">
      Unavailable on {backendLabel(backend)}:
      <ul>
        {groups.map((g) => (
          <li key={g.reason}>
            <strong>{g.dtypes.join(', ')}</strong>: {g.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
