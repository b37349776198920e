import type { OutputEvent } from '../../shared/contracts/python-worker.ts';

export type OutputStreamName = 'stdout' | 'stderr';

export interface OutputStreamLimits {
  /** At most one event per this many milliseconds (the last one, at the end, excepted). */
  intervalMs: number;
  /** Characters streamed per run, stdout and stderr together; the rest is only counted. */
  capChars: number;
}

/**
 * 80 ms is live to the eye and 12 events a second at most; 1 M characters is far more than
 * anyone reads in a console and small enough that the page never chokes on a print loop.
 */
export const OUTPUT_STREAM_LIMITS: OutputStreamLimits = {
  intervalMs: 80,
  capChars: 1_000_000,
};

/**
 * What a running program prints, batched into `output` events for the page. It lives in the
 * interpreter worker, whose thread is busy running the program, so nothing here can wait on a
 * timer: batches go out from `write()` (each print) and from `poll()`, which the interpreter
 * calls every few bytecodes, so a program that prints once and then sleeps is not held back.
 * Whatever was sent before a Stop that kills the worker has reached the page.
 */
export class OutputStream {
  private stdout: string[] = [];
  private stderr: string[] = [];
  private pending = false;
  /** When the oldest waiting text was written, and whether the newest ends a line. */
  private pendingSince = 0;
  private lineEnded = false;
  /** Characters accepted (sent or pending) in this run, against the cap. */
  private accepted = 0;
  private dropped = 0;
  private droppedSent = 0;
  private lastEmit = -Infinity;
  private closed = false;

  constructor(
    private readonly emit: (event: OutputEvent) => void,
    private readonly now: () => number,
    private readonly limits: OutputStreamLimits = OUTPUT_STREAM_LIMITS,
  ) {}

  write(stream: OutputStreamName, text: string): void {
    if (this.closed || text.length === 0) return;
    const kept = cut(text, this.limits.capChars - this.accepted);
    this.dropped += text.length - kept.length;
    if (kept.length > 0) {
      if (!this.pending) this.pendingSince = this.now();
      this.accepted += kept.length;
      (stream === 'stdout' ? this.stdout : this.stderr).push(kept);
      this.pending = true;
      this.lineEnded = kept.endsWith('\n');
    }
    this.poll();
  }

  /**
   * Sends what is waiting once the interval since the last event has passed. Text that ends
   * mid-line waits an interval of its own first: print() writes its arguments, separators and
   * the newline one by one, and a line should arrive whole.
   */
  poll(): void {
    if (this.closed || !this.waiting()) return;
    const now = this.now();
    if (now - this.lastEmit < this.limits.intervalMs) return;
    if (!this.pending || this.lineEnded || now - this.pendingSince >= this.limits.intervalMs)
      this.flush();
  }

  /** The run is over: sends what is left, and ignores later writes (a program's leftovers). */
  finish(): void {
    if (this.closed) return;
    if (this.waiting()) this.flush();
    this.closed = true;
  }

  private waiting(): boolean {
    return this.pending || this.dropped !== this.droppedSent;
  }

  private flush(): void {
    const event: OutputEvent = {
      kind: 'output',
      stdout: this.stdout.join(''),
      stderr: this.stderr.join(''),
      droppedChars: this.dropped,
    };
    this.stdout = [];
    this.stderr = [];
    this.pending = false;
    this.droppedSent = this.dropped;
    this.lastEmit = this.now();
    this.emit(event);
  }
}

/** The first `room` characters of `text`, not ending inside a surrogate pair. */
function cut(text: string, room: number): string {
  if (room <= 0) return '';
  if (text.length <= room) return text;
  const last = text.charCodeAt(room - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? room - 1 : room);
}
