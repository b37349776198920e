import type { TypedArray } from 'pyodide';

/**
 * Signal numbers harness.py installs handlers for. Pyodide raises the Python signal whose
 * number it reads from its interrupt buffer.
 */
export const SIGNALS = {
  /** The time limit: harness.py raises its Exception, as the official SIGALRM handler does. */
  timeout: 14, // SIGALRM
  /** The program swallowed the time limit: a BaseException it is unlikely to catch. */
  hardStop: 12, // SIGUSR2
  /** The wasm heap passed the limit: a MemoryError. */
  memory: 10, // SIGUSR1
  /** The user pressed Stop: KeyboardInterrupt. */
  cancel: 2, // SIGINT
} as const;

export interface WatchdogLimits {
  timeLimitMs: number;
  /** After the time limit, when to send the second, harder signal. */
  hardStopMs: number;
  memoryLimitBytes: number;
}

/**
 * Pyodide's interrupt buffer, read by the interpreter every few bytecodes. Pyodide expects an
 * Int32Array that another thread writes; this object answers the read itself, from the
 * worker's own clock and heap size, so time and memory limits work without SharedArrayBuffer
 * (a page that is not cross-origin isolated). When the host did share a buffer, signals it
 * writes there (Stop) are passed on too. Each limit fires once per run, like the official
 * one-shot SIGALRM timer.
 */
export class Watchdog {
  private limits: WatchdogLimits | null = null;
  private startedAt = 0;
  private fired = new Set<number>();

  constructor(
    private readonly now: () => number,
    private readonly heapBytes: () => number,
    private readonly shared: Int32Array | null = null,
  ) {}

  arm(limits: WatchdogLimits): void {
    this.limits = limits;
    this.startedAt = this.now();
    this.fired.clear();
    if (this.shared) Atomics.store(this.shared, 0, 0);
  }

  disarm(): void {
    this.limits = null;
  }

  /** The signal to raise now, or 0. */
  poll(): number {
    if (this.shared) {
      const signal = Atomics.exchange(this.shared, 0, 0);
      if (signal !== 0) return signal;
    }
    const limits = this.limits;
    if (!limits) return 0;
    const elapsed = this.now() - this.startedAt;
    if (elapsed > limits.timeLimitMs + limits.hardStopMs) return this.once(SIGNALS.hardStop);
    if (elapsed > limits.timeLimitMs) return this.once(SIGNALS.timeout);
    if (this.heapBytes() > limits.memoryLimitBytes) return this.once(SIGNALS.memory);
    return 0;
  }

  /**
   * What to hand to pyodide.setInterruptBuffer. `onRead` runs on each read, which makes it the
   * one hook a busy interpreter offers for work that must happen while a program runs.
   */
  interruptBuffer(onRead: () => void = () => {}): TypedArray {
    const poll = (): number => {
      onRead();
      return this.poll();
    };
    const buffer = {
      get 0() {
        return poll();
      },
      set 0(_ignored: number) {
        // Pyodide zeroes the slot after reading a signal; there is nothing to reset.
      },
    };
    // Pyodide only indexes [0] (see _Py_CheckEmscriptenSignals_Helper in pyodide.asm.mjs).
    return buffer as unknown as TypedArray;
  }

  private once(signal: number): number {
    if (this.fired.has(signal)) return 0;
    this.fired.add(signal);
    return signal;
  }
}
