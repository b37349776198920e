import { useCallback, useRef, useState } from 'react';
import type {
  MissingPackage,
  PackageAvailability,
} from '../../python/browser/package-availability.ts';
import type { LoadedDataset } from '../load-dataset.ts';
import type { RunSettings } from '../protocol.ts';
import { isOfficialDataset, packagesOf, runWarning } from './package-needs.ts';
import type { UnavailableProblem } from './package-needs.ts';

/** Where a run stands with the Python packages its problems need, before it starts. */
export type PackageGateState =
  | { kind: 'idle' }
  | { kind: 'checking'; packages: string[] }
  /** Some problems would end "unavailable": the user goes ahead or not. */
  | {
      kind: 'confirm';
      problems: UnavailableProblem[];
      /** Why each missing package cannot be had (or why the package list cannot be read). */
      missing: MissingPackage[];
      noPackageList: string | null;
      start: () => void;
    };

export type CheckPackages = (names: readonly string[]) => Promise<PackageAvailability>;

// Loaded on the first run that needs packages: the page does not pay for it before.
const checkPageIndex: CheckPackages = async (names) =>
  (await import('../../python/browser/package-availability.ts')).packageAvailability(names);

export interface PackageGate {
  state: PackageGateState;
  /**
   * Starts the run at once when its problems need no package or every one can be had;
   * otherwise holds it and says which problems will be "unavailable", and why.
   */
  guard: (request: RunSettings, start: () => void) => void;
  proceed: () => void;
  cancel: () => void;
}

export function usePackageGate(
  dataset: LoadedDataset | null,
  check: CheckPackages = checkPageIndex,
): PackageGate {
  const [state, setState] = useState<PackageGateState>({ kind: 'idle' });
  // The latest request: an answer to an earlier one (Run clicked twice) is dropped.
  const latest = useRef(0);

  const guard = useCallback(
    (request: RunSettings, start: () => void) => {
      const ticket = ++latest.current;
      if (!dataset) return start();
      const official = isOfficialDataset(dataset.label);
      const wanted = new Set(request.problemIds);
      const selected = dataset.problems.filter((p) => wanted.has(p.id));
      const packages = [...new Set(selected.flatMap((p) => packagesOf(p, official)))].sort();
      if (packages.length === 0) {
        setState({ kind: 'idle' });
        return start();
      }
      setState({ kind: 'checking', packages });
      const settle = (availability: PackageAvailability): void => {
        if (ticket !== latest.current) return;
        const warning = runWarning(selected, packages, availability, official);
        if (!warning) {
          setState({ kind: 'idle' });
          return start();
        }
        setState({ kind: 'confirm', ...warning, start });
      };
      check(packages).then(settle, (error: unknown) =>
        settle({
          kind: 'no-package-list',
          why: error instanceof Error ? error.message : String(error),
        }),
      );
    },
    [dataset, check],
  );

  const proceed = useCallback(() => {
    if (state.kind !== 'confirm') return;
    setState({ kind: 'idle' });
    state.start();
  }, [state]);

  const cancel = useCallback(() => {
    latest.current++;
    setState({ kind: 'idle' });
  }, []);

  return { state, guard, proceed, cancel };
}
