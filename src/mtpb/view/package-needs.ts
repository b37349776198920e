import type {
  MissingPackage,
  PackageAvailability,
} from '../../python/browser/package-availability.ts';
import type { Problem } from '../dataset.ts';
import { NEEDS_PACKAGES } from '../reference-solutions/expectations.ts';

/** A prompt that names a package asks for it; the names as the package index spells them. */
const MENTIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bnumpy\b|\bnp\./i, 'numpy'],
  [/\bpandas\b|\bdataframe\b/i, 'pandas'],
  [/\bsklearn\b|\bscikit-learn\b/i, 'scikit-learn'],
];

/**
 * The packages a problem's programs need beyond the standard library (the prefix's own
 * `import numpy` is guarded, so it needs nothing). The prompts say so for most; for the
 * published mtpb.jsonl the reference solutions' list adds those that only imply it (62, a
 * matrix's condition number, is numpy's).
 */
export function packagesOf(problem: Problem, official: boolean): string[] {
  const text = problem.prompts.join('\n');
  const named = MENTIONS.filter(([pattern]) => pattern.test(text)).map(([, name]) => name);
  const known = official ? (NEEDS_PACKAGES[problem.id] ?? []) : [];
  return [...new Set([...named, ...known])].sort();
}

/** A problem whose programs will end "unavailable", and the packages it misses. */
export interface UnavailableProblem {
  id: string;
  name: string;
  packages: string[];
}

/** The problems of `problems` that need a package in `missing`, in their order. */
export function unavailableProblems(
  problems: readonly Problem[],
  missing: ReadonlySet<string>,
  official: boolean,
): UnavailableProblem[] {
  return problems.flatMap((problem) => {
    const packages = packagesOf(problem, official).filter((name) => missing.has(name));
    return packages.length > 0 ? [{ id: problem.id, name: problem.name, packages }] : [];
  });
}

/** Whether a dataset is the published MTPB file, whose problems the reference list covers. */
export function isOfficialDataset(label: string): boolean {
  return /mtpb/i.test(label);
}

/** What a run must be told before it starts: nothing, or which problems lose what, and why. */
export type RunWarning = {
  problems: UnavailableProblem[];
  /** Why each missing package cannot be had. */
  missing: MissingPackage[];
  /** Set when the package list itself cannot be read (then nothing can be had). */
  noPackageList: string | null;
} | null;

/** The warning for a run of `selected`, given what the package check found for `packages`. */
export function runWarning(
  selected: readonly Problem[],
  packages: readonly string[],
  availability: PackageAvailability,
  official: boolean,
): RunWarning {
  const missing =
    availability.kind === 'checked'
      ? availability.missing
      : packages.map((name) => ({ name, reasons: [availability.why] }));
  const problems = unavailableProblems(selected, new Set(missing.map((m) => m.name)), official);
  if (problems.length === 0) return null;
  return availability.kind === 'checked'
    ? { problems, missing, noPackageList: null }
    : { problems, missing: [], noPackageList: availability.why };
}
