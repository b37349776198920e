import type { OrtSession } from './ort-types.ts';
import { logitsElementBytes } from './logits.ts';

/** What a session's runs produced as logits, observed by wrapping `session.run`. */
export interface LogitsProbe {
  /** Session runs since the probe was attached. */
  runs: number;
  /** The largest logits tensor one run returned, in bytes (its dims × element size). */
  peakLogitsBytes: number;
  /** The logits shape of each run, in order. */
  shapes: number[][];
  /** Puts the session's own `run` back. */
  detach: () => void;
}

/**
 * Counts every logits tensor a session returns, for the memory tests and the prefill
 * benchmark: the real session runs unchanged, the wrapper only reads each output's dims
 * and type. `afterRun` is called while the run's outputs are still alive (e.g. to sample
 * process memory at its high point).
 */
export function probeLogits(session: OrtSession, afterRun: () => void = () => {}): LogitsProbe {
  const own = session.run.bind(session);
  const probe: LogitsProbe = {
    runs: 0,
    peakLogitsBytes: 0,
    shapes: [],
    detach: () => {
      session.run = own;
    },
  };
  const wrapped = async (...args: Parameters<typeof own>): ReturnType<typeof own> => {
    const outputs = await own(...args);
    const logits = outputs.logits;
    probe.runs++;
    if (logits) {
      const dims = logits.dims.map(Number);
      const bytes = dims.reduce((n, d) => n * d, 1) * (logitsElementBytes(logits.type) ?? 4);
      probe.peakLogitsBytes = Math.max(probe.peakLogitsBytes, bytes);
      probe.shapes.push(dims);
    }
    afterRun();
    return outputs;
  };
  session.run = wrapped as OrtSession['run'];
  return probe;
}
