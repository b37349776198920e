import { AbortedError, AppError, isAppError, WorkerCrashedError } from '../../shared/errors.ts';
import { RpcClient } from '../../shared/rpc/index.ts';
import type { Endpoint } from '../../shared/rpc/index.ts';
import type {
  BootInfo,
  BootRequest,
  PythonWorkerContract,
  SandboxEvent,
} from '../../shared/contracts/python-worker.ts';
import { hostOutcome } from './outcome.ts';
import type { CaseOutcome } from './outcome.ts';
import { goldType } from './pyvalue.ts';
import type { PyValue } from './pyvalue.ts';
import { judge, judgeNoException } from './verdict.ts';
import type { CheckMode, Harness, Verdict } from './verdict.ts';
import { SIGNALS } from './watchdog.ts';

/** One started interpreter worker and its host (worker_threads, a sandboxed iframe). */
export interface WorkerHost {
  endpoint: Endpoint;
  /** Boot fields only this host can supply (under Node: the shared interrupt buffer). */
  boot?: Partial<Omit<BootRequest, 'kind'>>;
  /** Raises a signal in the running program now, where the host can (shared memory); null: it can only terminate. */
  interrupt: ((signal: number) => void) | null;
  terminate(): void;
  /** Called at most once, when the worker dies without being terminated. */
  onExit(listener: (reason: string) => void): void;
}

export type WorkerHostFactory = () => WorkerHost;

export interface SandboxOptions {
  boot: Omit<BootRequest, 'kind' | 'interruptBuffer'>;
  /** Per test case; the official harness uses 20 s. */
  timeLimitMs: number;
  /** After the time limit, the second signal for programs that catch the first. */
  hardStopMs: number;
  /** After the time limit, when the worker is terminated and the spare takes over. */
  killAfterMs: number;
  /** Time allowed for loading packages before the program starts. */
  packageLoadMs: number;
  /** A worker whose wasm heap has grown past this is replaced after the case. */
  recycleHeapBytes: number;
  /**
   * How many problems share a worker. 1 (the default) isolates problems from each other's
   * module patches; trusted programs (our reference solutions) may share to save boots.
   */
  problemsPerWorker: number;
  mode: CheckMode;
}

export const DEFAULT_SANDBOX_OPTIONS: Omit<SandboxOptions, 'boot'> = {
  timeLimitMs: 20_000,
  hardStopMs: 1_000,
  killAfterMs: 2_500,
  packageLoadMs: 120_000,
  recycleHeapBytes: 512 * 2 ** 20,
  problemsPerWorker: 1,
  mode: 'official',
};

export interface CaseRequest {
  program: string;
  /** The gold output; null for a plain run that only shows what the program printed. */
  expected: PyValue | null;
  /** 'humaneval': run as human_eval does, judged on whether it raised (`expected` unused). */
  harness?: Harness;
  /** This program's time limit, where its benchmark has its own (default: the sandbox's). */
  timeLimitMs?: number;
  signal?: AbortSignal;
  /** Stream what the program prints as `output` events (RunProgramRequest.stream). */
  stream?: boolean;
  onEvent?: (event: SandboxEvent) => void;
}

export interface CaseResult {
  outcome: CaseOutcome;
  verdict: Verdict | null;
  /** Round trip as the host saw it, package loading included. */
  wallMs: number;
}

interface Slot {
  host: WorkerHost;
  rpc: RpcClient<PythonWorkerContract>;
  info: BootInfo;
}

/**
 * The Python sandbox: runs programs one at a time on an active interpreter worker, with a
 * booted spare ready. A worker that is killed, crashes or grows too large is replaced by the
 * spare at once, and so is the worker of every finished problem, since module state
 * (`math.pi = 3`) survives fresh namespaces. Hosted by browser/browser-sandbox.ts (sandboxed
 * iframes) or node/node-sandbox.node.ts (worker_threads).
 */
export class PythonSandbox {
  private readonly options: SandboxOptions;
  private active: Promise<Slot>;
  private spare: Promise<Slot>;
  /** Whether the active worker has run anything since it booted. */
  private used = false;
  /** Problems ended on the active worker. */
  private problems = 0;
  private readonly unavailable = new Set<string>();
  private disposed = false;

  constructor(
    private readonly hosts: WorkerHostFactory,
    options: Partial<Omit<SandboxOptions, 'boot'>> & Pick<SandboxOptions, 'boot'>,
  ) {
    this.options = { ...DEFAULT_SANDBOX_OPTIONS, ...options };
    this.active = this.bootSlot();
    // The spare boots after the first worker, which then has the CPU to itself.
    const afterActive = (): Promise<Slot> => this.bootSlot();
    this.spare = this.active.then(afterActive, afterActive);
  }

  /** Resolves once the active worker has booted. */
  async ready(): Promise<BootInfo> {
    return (await this.active).info;
  }

  async runCase(request: CaseRequest): Promise<CaseResult> {
    if (request.signal?.aborted) throw new AbortedError();
    const slot = await this.active;
    this.used = true;
    const started = performance.now();
    const { hardStopMs, killAfterMs, packageLoadMs } = this.options;
    const timeLimitMs = request.timeLimitMs ?? this.options.timeLimitMs;
    let killed: 'time' | 'cancel' | null = null;
    const kill = (why: 'time' | 'cancel'): void => {
      killed = why;
      slot.host.terminate();
      slot.rpc.fail(new AppError('python-timeout', 'The Python worker was stopped.'));
    };
    let timer = setTimeout(() => kill('time'), packageLoadMs);
    const onAbort = (): void => {
      const interrupt = slot.host.interrupt;
      if (!interrupt) return kill('cancel');
      interrupt(SIGNALS.cancel);
      clearTimeout(timer);
      timer = setTimeout(() => kill('cancel'), hardStopMs);
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });
    let outcome: CaseOutcome;
    try {
      outcome = await slot.rpc.call(
        {
          kind: 'run',
          program: request.program,
          expected:
            request.expected === null || request.harness === 'humaneval'
              ? null
              : goldType(request.expected),
          ...(request.harness ? { harness: request.harness } : {}),
          timeLimitMs,
          hardStopMs,
          unavailable: [...this.unavailable],
          ...(request.stream ? { stream: true } : {}),
        },
        {
          onEvent: (event) => {
            if (event.kind === 'phase' && event.phase === 'running' && !request.signal?.aborted) {
              clearTimeout(timer);
              timer = setTimeout(() => kill('time'), timeLimitMs + killAfterMs);
            }
            request.onEvent?.(event);
          },
        },
      );
    } catch (error) {
      if (killed === null && !isAppError(error, 'worker-crashed')) throw error;
      outcome = killed
        ? hostOutcome('killed', 'Stopped after the time limit.')
        : hostOutcome('crashed', error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    }
    for (const name of outcome.missingPackages) this.unavailable.add(name);
    if (killed !== null || this.spent(outcome)) this.recycle();
    if (killed === 'cancel' || request.signal?.aborted) throw new AbortedError();
    const verdict =
      request.harness === 'humaneval'
        ? judgeNoException(outcome)
        : request.expected === null
          ? null
          : judge(outcome, request.expected, this.options.mode);
    return { outcome, verdict, wallMs: performance.now() - started };
  }

  /** Whether a worker is no use after this outcome: dead, or its heap (which never shrinks) too big. */
  private spent(outcome: CaseOutcome): boolean {
    const { recycleHeapBytes, boot } = this.options;
    return (
      outcome.status === 'crashed' ||
      outcome.status === 'memory' ||
      outcome.heapBytes > Math.min(recycleHeapBytes, boot.memoryLimitBytes * 0.75)
    );
  }

  /** Call between problems: the next problem starts on a fresh worker. */
  endProblem(): void {
    if (!this.used) return;
    this.problems += 1;
    if (this.problems >= this.options.problemsPerWorker) this.recycle();
  }

  /** The next program starts on an interpreter nothing has run on yet. */
  startFresh(): void {
    if (this.used) this.recycle();
  }

  /** Replaces the active worker by the spare and boots a new spare. */
  recycle(): void {
    const old = this.active;
    this.active = this.spare;
    this.spare = this.bootSlot();
    this.used = false;
    this.problems = 0;
    void old.then(
      (slot) => retire(slot),
      () => {},
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const slot of [this.active, this.spare]) void slot.then(retire, () => {});
  }

  private bootSlot(): Promise<Slot> {
    const host = this.hosts();
    const rpc = new RpcClient<PythonWorkerContract>(host.endpoint);
    host.onExit((reason) => rpc.fail(new WorkerCrashedError('Python', reason)));
    const booted = rpc.call({ kind: 'boot', ...this.options.boot, ...host.boot }).then(
      (info): Slot => ({ host, rpc, info }),
      (error: unknown) => {
        host.terminate();
        throw error;
      },
    );
    booted.catch(() => {}); // a spare's failure surfaces when it becomes active
    return booted;
  }
}

function retire(slot: Slot): void {
  slot.rpc.dispose();
  slot.host.terminate();
}
