/**
 * The one piece of the benchmark's prefix the sandbox must recognize: a program that starts
 * with this text imports numpy only because the MTPB protocol says so (src/mtpb/protocol.ts
 * builds programs with the same text; a test there checks the two agree). When numpy cannot
 * be had, that import is guarded so programs that never use numpy still run.
 */
export const NUMPY_PRELUDE = '# Import libraries.\n\nimport numpy as np\n\n';

/** The same prelude when numpy cannot be had: the import may fail without stopping the program. */
export const GUARDED_PRELUDE =
  '# Import libraries.\n\ntry:\n    import numpy as np\nexcept ImportError:\n    pass\n\n';

/** Replaces the numpy prelude by its guarded form; other programs are returned as they are. */
export function guardNumpyPrelude(program: string): string {
  return program.startsWith(NUMPY_PRELUDE)
    ? GUARDED_PRELUDE + program.slice(NUMPY_PRELUDE.length)
    : program;
}
