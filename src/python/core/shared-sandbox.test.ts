import { describe, expect, it } from 'vitest';
import type { BootInfo } from '../../shared/contracts/python-worker.ts';
import { AbortedError, AppError } from '../../shared/errors.ts';
import { hostOutcome } from './outcome.ts';
import type { CaseRequest, CaseResult } from './sandbox.ts';
import { SharedSandbox } from './shared-sandbox.ts';
import type { SandboxCore, SandboxProgress } from './shared-sandbox.ts';

const INFO: BootInfo = { pyodideVersion: '0', pythonVersion: '3', bootMs: 1, heapBytes: 1 };

/** A sandbox whose programs finish when the test says so, and that logs what it was asked. */
class ScriptedSandbox implements SandboxCore {
  readonly log: string[] = [];
  private readonly finishers = new Map<string, () => void>();

  ready(): Promise<BootInfo> {
    return Promise.resolve(INFO);
  }
  runCase(request: CaseRequest): Promise<CaseResult> {
    this.log.push(`run ${request.program}`);
    return new Promise((resolve) => {
      this.finishers.set(request.program, () =>
        resolve({ outcome: hostOutcome('crashed', request.program), verdict: null, wallMs: 0 }),
      );
    });
  }
  finish(program: string): void {
    this.finishers.get(program)?.();
  }
  endProblem(): void {
    this.log.push('endProblem');
  }
  startFresh(): void {
    this.log.push('startFresh');
  }
  dispose(): void {}
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function shared(): { sandbox: ScriptedSandbox; page: SharedSandbox; boots: () => number } {
  const sandbox = new ScriptedSandbox();
  let boots = 0;
  const page = new SharedSandbox(() => {
    boots += 1;
    return Promise.resolve(sandbox);
  });
  return { sandbox, page, boots: () => boots };
}

describe('the page’s shared sandbox', () => {
  it('starts once, on first need, for two users asking at the same time', async () => {
    const { sandbox, page, boots } = shared();
    const playground = page.user('playground');
    const benchmark = page.user('benchmark');
    expect(page.started).toBe(false);
    expect(boots()).toBe(0);
    const first = playground.run('a');
    const ready = benchmark.ready();
    const second = benchmark.run('b');
    await ready;
    await settle();
    sandbox.finish('a');
    await first;
    await settle();
    sandbox.finish('b');
    await second;
    expect(boots()).toBe(1);
  });

  it('queues a playground Run behind the benchmark case that runs, on a fresh interpreter', async () => {
    const { sandbox, page } = shared();
    const playground = page.user('playground');
    const benchmark = page.user('benchmark');
    const case1 = benchmark.run('case 1');
    await settle();
    const progress: SandboxProgress[] = [];
    const run = playground.run('mine', { onProgress: (p) => progress.push(p) });
    const case2 = benchmark.run('case 2');
    await settle();
    expect(progress).toEqual([{ kind: 'waiting', holder: 'benchmark' }]);
    expect(sandbox.log).toEqual(['startFresh', 'run case 1']);

    sandbox.finish('case 1');
    await case1;
    await settle();
    expect(progress.at(-1)).toEqual({ kind: 'running' });
    playground.endProblem();
    sandbox.finish('mine');
    await run;
    await settle();
    sandbox.finish('case 2');
    await case2;
    // The playground got an interpreter the benchmark had not touched, and so did the
    // benchmark's next case. The playground's endProblem waited in line (never mid-program)
    // and then had nothing to end: the interpreter was the benchmark's by then.
    expect(sandbox.log).toEqual([
      'startFresh',
      'run case 1',
      'startFresh',
      'run mine',
      'startFresh',
      'run case 2',
    ]);
    benchmark.endProblem();
    await settle();
    expect(sandbox.log.at(-1)).toBe('endProblem');
  });

  it('drops a program stopped while it waits, at once, and never runs it', async () => {
    const { sandbox, page } = shared();
    const running = page.user('benchmark').run('case');
    await settle();
    const stop = new AbortController();
    const waiting = page.user('playground').run('mine', { signal: stop.signal });
    stop.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortedError);
    sandbox.finish('case');
    await running;
    await settle();
    expect(sandbox.log).not.toContain('run mine');
    // The line moves on: the next program runs.
    const next = page.user('playground').run('next');
    await settle();
    sandbox.finish('next');
    await expect(next).resolves.toMatchObject({ outcome: { error: 'next' } });
  });

  it('tries to start again after a failed start', async () => {
    let attempts = 0;
    const sandbox = new ScriptedSandbox();
    const page = new SharedSandbox(() => {
      attempts += 1;
      return attempts === 1
        ? Promise.reject(new AppError('download', 'no core'))
        : Promise.resolve(sandbox);
    });
    const user = page.user('playground');
    await expect(user.run('a')).rejects.toMatchObject({ code: 'download' });
    expect(page.started).toBe(false);
    const again = user.run('b');
    await settle();
    sandbox.finish('b');
    await again;
    expect(attempts).toBe(2);
  });
});
