/**
 * A live run's timeline: when each turn generated and each case executed, in milliseconds
 * since the run's session started. Generation of problem k+1 overlaps execution of problem k
 * (runner.ts), so the two kinds of span may overlap; time covered by neither is idle.
 */
export interface TimelineSpan {
  kind: 'generate' | 'execute';
  problemId: string;
  start: number;
  end: number;
  /** Tokens generated in the span (0 for execution). */
  tokens: number;
}

export interface TimelineSummary {
  wallMs: number;
  generateMs: number;
  executeMs: number;
  /** Time both generating and executing. */
  overlapMs: number;
  /** Time doing neither (waiting: the sandbox booting, the UI, a pause). */
  idleMs: number;
  tokens: number;
  /** Tokens per second of generation time. */
  tokensPerSecond: number;
}

/** The length of the union of intervals. */
function unionMs(spans: ReadonlyArray<{ start: number; end: number }>): number {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  let total = 0;
  let from = -Infinity;
  let to = -Infinity;
  for (const { start, end } of sorted) {
    if (start > to) {
      if (to > from) total += to - from;
      from = start;
      to = end;
    } else to = Math.max(to, end);
  }
  if (to > from) total += to - from;
  return total;
}

/**
 * Busy and idle time of one or more lanes' spans over [0, wallMs] (wallMs defaults to the
 * last span's end). Overlap = generate + execute − their union.
 */
export function summarizeTimeline(
  spans: readonly TimelineSpan[],
  wallMs = Math.max(0, ...spans.map((s) => s.end)),
): TimelineSummary {
  const generate = spans.filter((s) => s.kind === 'generate');
  const execute = spans.filter((s) => s.kind === 'execute');
  const generateMs = unionMs(generate);
  const executeMs = unionMs(execute);
  const busyMs = unionMs(spans);
  const tokens = generate.reduce((n, s) => n + s.tokens, 0);
  return {
    wallMs,
    generateMs,
    executeMs,
    overlapMs: Math.max(0, generateMs + executeMs - busyMs),
    idleMs: Math.max(0, wallMs - busyMs),
    tokens,
    tokensPerSecond: generateMs > 0 ? tokens / (generateMs / 1000) : 0,
  };
}

/**
 * Tokens per second over time: each generate span's rate spread over its own duration, summed
 * into windows of `windowMs`. For the timeline chart's rate line.
 */
export function tokenRate(
  spans: readonly TimelineSpan[],
  windowMs: number,
): Array<{ at: number; tokensPerSecond: number }> {
  const end = Math.max(0, ...spans.map((s) => s.end));
  const windows = Math.max(1, Math.ceil(end / windowMs));
  const tokens = new Array<number>(windows).fill(0);
  for (const span of spans) {
    if (span.kind !== 'generate' || span.end <= span.start) continue;
    const perMs = span.tokens / (span.end - span.start);
    for (let w = Math.floor(span.start / windowMs); w * windowMs < span.end && w < windows; w++) {
      const overlap = Math.min(span.end, (w + 1) * windowMs) - Math.max(span.start, w * windowMs);
      if (overlap > 0) tokens[w] = (tokens[w] ?? 0) + perMs * overlap;
    }
  }
  return tokens.map((t, w) => ({
    at: (w + 0.5) * windowMs,
    tokensPerSecond: t / (windowMs / 1000),
  }));
}
