import { describe, expect, it } from 'vitest';
import { loadMtpbDataset } from '../dataset.node.ts';
import type { Problem } from '../dataset.ts';
import { NEEDS_PACKAGES } from '../reference-solutions/expectations.ts';
import { isOfficialDataset, packagesOf, runWarning, unavailableProblems } from './package-needs.ts';

const mtpb = loadMtpbDataset();

const problem = (id: string, prompts: string[]): Problem => ({
  id,
  name: `p${id}`,
  description: '',
  category: [],
  prompts,
  inputs: [],
  outputs: [],
  maxGenLength: 16,
});

describe('which packages a problem needs', () => {
  it.skipIf(!mtpb)('finds exactly the reference list’s problems in the published file', () => {
    const problems = mtpb ?? [];
    const found = Object.fromEntries(
      problems.flatMap((p) => {
        const packages = packagesOf(p, true);
        return packages.length > 0 ? [[p.id, packages]] : [];
      }),
    );
    const expected = Object.fromEntries(
      Object.entries(NEEDS_PACKAGES).map(([id, names]) => [id, [...names].sort()]),
    );
    expect(found).toEqual(expected);
    // From the prompts alone, all but 62 (a condition number: numpy, unsaid).
    const fromPrompts = problems.filter((p) => packagesOf(p, false).length > 0).map((p) => p.id);
    expect(fromPrompts).toEqual(Object.keys(NEEDS_PACKAGES).filter((id) => id !== '62'));
  });

  it('reads the prompts of any file', () => {
    expect(packagesOf(problem('1', ['Import numpy.', 'Make a DataFrame.']), false)).toEqual([
      'numpy',
      'pandas',
    ]);
    expect(packagesOf(problem('2', ['from sklearn import svm']), false)).toEqual(['scikit-learn']);
    expect(packagesOf(problem('3', ['Print the numbers.']), false)).toEqual([]);
    // An id of the published file means nothing in another file.
    expect(packagesOf(problem('62', ['Print it.']), false)).toEqual([]);
    expect(packagesOf(problem('62', ['Print it.']), true)).toEqual(['numpy']);
  });

  it('lists the problems a missing package makes unavailable, with what each misses', () => {
    const problems = [
      problem('1', ['Print 1.']),
      problem('6', ['Import the pandas library.']),
      problem('14', ['Import LinearRegression from sklearn.', 'Create a numpy array.']),
    ];
    expect(unavailableProblems(problems, new Set(['numpy']), false)).toEqual([
      { id: '14', name: 'p14', packages: ['numpy'] },
    ]);
    expect(
      unavailableProblems(problems, new Set(['numpy', 'pandas', 'scikit-learn']), false),
    ).toEqual([
      { id: '6', name: 'p6', packages: ['pandas'] },
      { id: '14', name: 'p14', packages: ['numpy', 'scikit-learn'] },
    ]);
    expect(unavailableProblems(problems, new Set(), false)).toEqual([]);
  });

  it('knows the published file by its name', () => {
    expect(isOfficialDataset('mtpb.jsonl (served by this app)')).toBe(true);
    expect(isOfficialDataset('my-problems.jsonl')).toBe(false);
  });
});

describe('the warning before a run', () => {
  const selected = [
    problem('1', ['Print 1.']),
    problem('6', ['Import the pandas library.']),
    problem('23', ['Create a numpy array.']),
  ];
  const packages = ['numpy', 'pandas'];

  it('is none when every package can be had', () => {
    expect(runWarning(selected, packages, { kind: 'checked', missing: [] }, true)).toBeNull();
  });

  it('names the problems a missing package costs, and why', () => {
    const missing = [
      { name: 'pandas', reasons: ['pandas.whl is not stored, and the browser is offline'] },
    ];
    expect(runWarning(selected, packages, { kind: 'checked', missing }, true)).toEqual({
      problems: [{ id: '6', name: 'p6', packages: ['pandas'] }],
      missing,
      noPackageList: null,
    });
  });

  it('without a package list, every problem that needs a package is lost', () => {
    const warning = runWarning(
      selected,
      packages,
      { kind: 'no-package-list', why: 'HTTP 404' },
      true,
    );
    expect(warning?.problems.map((p) => p.id)).toEqual(['6', '23']);
    expect(warning?.noPackageList).toBe('HTTP 404');
  });
});
