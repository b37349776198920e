import { OUTPUT_STREAM_LIMITS } from '../../python/core/output-stream.ts';
import type { OutputEvent } from '../../shared/contracts/python-worker.ts';

/** What the console holds of one run's printed text, as it streams in. */
export interface ConsoleOutput {
  stdout: string;
  stderr: string;
  /** Characters printed that the console does not hold. */
  droppedChars: number;
  /** The part of droppedChars the console cut itself (the rest the worker never sent). */
  cutChars: number;
}

export const NO_OUTPUT: ConsoleOutput = { stdout: '', stderr: '', droppedChars: 0, cutChars: 0 };

/**
 * Appends one streamed batch. The interpreter worker already stops streaming at the cap; the
 * console keeps to it as well, since the worker runs untrusted code.
 */
export function appendOutput(
  output: ConsoleOutput,
  event: OutputEvent,
  capChars: number = OUTPUT_STREAM_LIMITS.capChars,
): ConsoleOutput {
  let room = Math.max(0, capChars - output.stdout.length - output.stderr.length);
  const stdout = event.stdout.slice(0, room);
  room -= stdout.length;
  const stderr = event.stderr.slice(0, room);
  const cutChars =
    output.cutChars + event.stdout.length - stdout.length + event.stderr.length - stderr.length;
  return {
    stdout: output.stdout + stdout,
    stderr: output.stderr + stderr,
    // The worker's count is a running total for the run.
    droppedChars: event.droppedChars + cutChars,
    cutChars,
  };
}
