import { describe, expect, it } from 'vitest';
import type { PythonPackagesStatus } from '../python/browser/offline-packages.ts';
import {
  packagesDetail,
  packagesReadiness,
  packagesShort,
  problemsNeeding,
} from './package-readiness.ts';

const WHEELS = ['joblib.whl', 'numpy.whl', 'pandas.whl', 'scikit_learn.whl'];

function status(missing: string[]): PythonPackagesStatus {
  const has = (file: string) => !missing.includes(file);
  const closure: Record<string, string[]> = {
    numpy: ['numpy.whl'],
    pandas: ['numpy.whl', 'pandas.whl'],
    'scikit-learn': ['joblib.whl', 'numpy.whl', 'scikit_learn.whl'],
  };
  return {
    needed: WHEELS,
    cached: WHEELS.filter(has),
    missing: WHEELS.filter((f) => !has(f)),
    packages: Object.entries(closure).map(([name, files]) => ({
      name,
      missing: files.filter((f) => !has(f)),
    })),
  };
}

describe('Python package readiness', () => {
  it('is ready only with every wheel stored', () => {
    const ready = packagesReadiness(status([]));
    expect(ready).toEqual({ kind: 'ready', needed: 4 });
    expect(packagesShort(ready)).toBe('ready offline (4 of 4 stored)');
    expect(packagesDetail(ready)).toContain('every MTPB problem can run offline');
  });

  it('with one dependency missing names the package it breaks and the problems that costs', () => {
    const partial = packagesReadiness(status(['joblib.whl']));
    expect(partial).toEqual({
      kind: 'partial',
      stored: 3,
      needed: 4,
      missingFiles: ['joblib.whl'],
      unusable: ['scikit-learn'],
      problems: ['14', '46'],
    });
    expect(packagesShort(partial)).toBe('3 of 4 stored');
    expect(packagesDetail(partial)).toBe(
      '3 of 4 wheels the benchmark needs are stored — scikit-learn is missing: offline, MTPB problems 14, 46 will be “unavailable”. Not stored: joblib.whl.',
    );
  });

  it('without numpy every package that builds on it is unusable', () => {
    const partial = packagesReadiness(status(['numpy.whl']));
    expect(partial.kind === 'partial' && partial.unusable).toEqual([
      'numpy',
      'pandas',
      'scikit-learn',
    ]);
    expect(partial.kind === 'partial' && partial.problems).toEqual([
      '6',
      '14',
      '23',
      '38',
      '46',
      '62',
      '76',
      '84',
      '85',
      '87',
      '88',
    ]);
  });

  it('says none when nothing is stored, and unknown without a package list', () => {
    const none = packagesReadiness(status(WHEELS));
    expect(none.kind).toBe('none');
    expect(packagesShort(none)).toBe('0 of 4 stored');
    const unknown = packagesReadiness(null);
    expect(unknown).toEqual({ kind: 'unknown' });
    expect(packagesDetail(unknown)).toContain('“unavailable”');
  });

  it('lists the problems that need a package in id order', () => {
    expect(problemsNeeding(['pandas'])).toEqual(['6', '38', '46']);
    expect(problemsNeeding([])).toEqual([]);
  });
});
