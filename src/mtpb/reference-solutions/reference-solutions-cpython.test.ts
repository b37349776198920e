import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseHarnessOutcome } from '../../python/core/outcome.ts';
import { goldType } from '../../python/core/pyvalue.ts';
import { judge } from '../../python/core/verdict.ts';
import { referenceProgram } from './assemble.ts';
import { isQuirk, NEEDS_PACKAGES } from './expectations.ts';
import { referenceSolutions } from './index.ts';
import { loadMtpbDataset } from '../dataset.node.ts';

/**
 * The solutions Pyodide cannot run offline (they need numpy and friends), checked instead by
 * the same harness.py under a local CPython that has the packages. No sandbox here: these are
 * our own programs. Skipped where python3 or a package is missing.
 */
const HARNESS = fileURLToPath(new URL('../../python/core/harness.py', import.meta.url));
const DRIVER = `
import json, sys
ns = {}
exec(open(sys.argv[1]).read(), ns)
ns["prepare"]()
for job in json.load(sys.stdin):
    print(ns["run_case"](job["program"], job["expected"]))
`;

function importable(module: string): boolean {
  return spawnSync('python3', ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

const problems = loadMtpbDataset() ?? [];
const runnable = problems.filter((p) =>
  (NEEDS_PACKAGES[p.id] ?? []).every((pkg) => importable(pkg === 'scikit-learn' ? 'sklearn' : pkg)),
);
const targets = runnable.filter((p) => NEEDS_PACKAGES[p.id] !== undefined);

describe.skipIf(targets.length === 0)(
  'reference solutions that need packages, under CPython',
  () => {
    it.each(targets.map((p) => [p.id, p] as const))('problem %s passes', (id, problem) => {
      const solution = referenceSolutions[id];
      if (!solution) throw new Error(`No reference solution for ${id}`);
      const jobs = problem.outputs.map((output, i) => ({
        program: referenceProgram(problem, i, solution),
        expected: goldType(output),
      }));
      const out = execFileSync('python3', ['-c', DRIVER, HARNESS], {
        input: JSON.stringify(jobs),
        encoding: 'utf8',
      });
      out
        .trim()
        .split('\n')
        .forEach((line, i) => {
          const verdict = judge(parseHarnessOutcome(line, 0), problem.outputs[i] ?? { t: 'none' });
          const label = `problem ${id}, case ${i}: ${JSON.stringify(verdict)}`;
          if (isQuirk(id, i)) expect(verdict.state, label).toBe('fail');
          else expect(verdict, label).toEqual({ state: 'pass', note: null });
        });
    });
  },
);
