/** The command line's exit codes, documented in every usage text and in the README. */
export const EXIT = {
  /** The command completed (for `mtpb`: the run finished; verdicts are data, not errors). */
  ok: 0,
  /** Bad input: a missing or invalid option, an unreadable file, an unknown model or dtype. */
  badInput: 1,
  /** Interrupted (Ctrl+C): the run stopped and what finished was written. */
  interrupted: 2,
} as const;

export const EXIT_CODES_USAGE = `  Exit codes: 0 completed, 1 bad input (or another failure, with its message),
  2 interrupted (Ctrl+C: the run stops and what finished is written).`;
