import { describe, expect, it } from 'vitest';
import { ProgressTracker } from './progress.ts';

const file = (
  path: string,
  loaded: number,
  total: number | null,
  extra: { fromCache?: boolean; done?: boolean } = {},
) => ({
  path,
  loaded,
  total,
  fromCache: extra.fromCache ?? false,
  done: extra.done ?? false,
});

describe('ProgressTracker', () => {
  it('sums files and estimates speed and ETA from recent samples', () => {
    const tracker = new ProgressTracker();
    tracker.update(file('config.json', 1000, 1000, { done: true }), 0);
    tracker.update(file('onnx/model.onnx', 0, 10_000_000), 0);
    const s = tracker.update(file('onnx/model.onnx', 2_000_000, 10_000_000), 1000);
    expect(s.loaded).toBe(2_001_000);
    expect(s.total).toBe(10_001_000);
    expect(s.bytesPerSecond).toBeCloseTo(2_000_000, -3);
    expect(s.etaSeconds).toBeCloseTo(4, 1);
  });

  it('has no total or ETA while a size is unknown', () => {
    const tracker = new ProgressTracker();
    const s = tracker.update(file('a', 10, null), 0);
    expect(s.total).toBeNull();
    expect(s.etaSeconds).toBeNull();
  });

  it('does not count cached files as download speed', () => {
    const tracker = new ProgressTracker();
    tracker.update(file('a', 0, 5_000_000), 0);
    const s = tracker.update(
      file('a', 5_000_000, 5_000_000, { fromCache: true, done: true }),
      1000,
    );
    expect(s.bytesPerSecond).toBe(0);
    expect(s.etaSeconds).toBe(0);
  });
});
