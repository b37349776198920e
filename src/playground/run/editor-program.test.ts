import { afterAll, describe, expect, it } from 'vitest';
import { MTPB_PREFIX } from '../../mtpb/protocol.ts';
import { createNodeRunner } from '../../python/node/test-runner.node.ts';
import { hostOutcome } from '../../python/core/outcome.ts';
import { appendOutput, NO_OUTPUT } from './console-output.ts';
import { importedModules, readOutcome, wrapForRun } from './editor-program.ts';
import type { RunReport } from './editor-program.ts';

describe('importedModules', () => {
  it('finds top-level modules, even in code that does not parse', () => {
    expect(
      importedModules(
        'import os, sys as s\nfrom pandas.io import x\n  import numpy as np\ndef f(:',
      ),
    ).toEqual(['os', 'sys', 'pandas', 'numpy']);
  });
});

// The wrapper runs in the real sandbox under Node (Pyodide, no package index).
describe('running the editor text', () => {
  const sandbox = createNodeRunner({ timeLimitMs: 5000 });
  afterAll(() => sandbox.dispose());
  const run = async (source: string): Promise<RunReport> =>
    readOutcome((await sandbox.runCase({ program: wrapForRun(source), expected: null })).outcome);

  it('prints stdout and the value of the last expression', async () => {
    const report = await run('x = 20\nprint("x is", x)\nx + 22\n');
    expect(report).toMatchObject({
      status: 'ok',
      stdout: 'x is 20\n',
      value: '42',
      errorLine: null,
    });
    expect(report.stderr).toBe('');
  });

  it('reports no value after a print, or for None', async () => {
    expect((await run('print(1)')).value).toBeNull();
    expect((await run('None')).value).toBeNull();
    expect((await run("'a\\nb'")).value).toBe("'a\\nb'");
  });

  it('points a runtime error at its editor line, innermost frame', async () => {
    const report = await run('def f(d):\n    return 1 / d\n\nprint("before")\nf(0)\n');
    expect(report.status).toBe('error');
    expect(report.stdout).toBe('before\n');
    expect(report.errorLine).toBe(2);
    expect(report.stderr).toContain('ZeroDivisionError');
    expect(report.stderr).toContain('return 1 / d');
    expect(report.stderr).not.toContain('__playground_run');
  });

  it('points a syntax error at its line', async () => {
    const report = await run('a = 1\nb = (\nc = 3\n');
    expect(report.status).toBe('error');
    expect(report.errorLine).toBeGreaterThanOrEqual(2);
    expect(report.stderr).toContain('SyntaxError');
  });

  it('keeps the MTPB prefix in front and counts its lines', async () => {
    const report = await run(
      `${MTPB_PREFIX}# Assign 3 to a.\na = 3\n\n# Fail.\nraise ValueError(a)\n`,
    );
    // numpy is not available here: the prefix import is guarded, the rest runs.
    expect(report.status).toBe('error');
    expect(report.errorLine).toBe(9);
  });

  it('uses the streamed text, value line taken out, when it has everything the outcome has', async () => {
    let streamed = NO_OUTPUT;
    const result = await sandbox.runCase({
      program: wrapForRun('print("a" * 70000)\n6 * 7\n'),
      expected: null,
      stream: true,
      onEvent: (event) => {
        if (event.kind === 'output') streamed = appendOutput(streamed, event);
      },
    });
    const report = readOutcome(result.outcome, streamed);
    // The sandbox's outcome keeps 64 K characters; the console keeps what streamed.
    expect(result.outcome.stdout.length).toBeLessThan(70001);
    expect(report.stdout).toBe(`${'a'.repeat(70000)}\n`);
    expect(report.value).toBe('42');
    expect(report.stderr).toBe('');
    expect(report.summary).toBeNull();
  });

  it('says when a package the program imports cannot be had', async () => {
    const report = await run('import numpy as np\nnp.arange(3)\n');
    expect(report.status).toBe('unavailable');
    expect(report.summary).toContain('numpy');
  });
});

describe('the report of a run whose output streamed', () => {
  it('keeps what streamed when the worker was killed at the time limit', () => {
    const streamed = appendOutput(NO_OUTPUT, {
      kind: 'output',
      stdout: 'tick\n',
      stderr: '',
      droppedChars: 0,
    });
    const report = readOutcome(hostOutcome('killed', 'Stopped after the time limit.'), streamed);
    expect(report.stdout).toBe('tick\n');
    expect(report.summary).toMatch(/^Timed out/);
  });

  it('says how much the console did not keep', () => {
    const streamed = appendOutput(NO_OUTPUT, {
      kind: 'output',
      stdout: 'x'.repeat(10),
      stderr: '',
      droppedChars: 2500,
    });
    const report = readOutcome(hostOutcome('timeout', 'Timed out!'), streamed);
    expect(report.summary).toBe(
      'Timed out: stopped at the time limit. Output truncated: 2,500 more characters were printed than the console keeps.',
    );
  });
});
