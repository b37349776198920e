import { describe, expect, it } from 'vitest';
import { SIGNALS, Watchdog } from './watchdog.ts';

function setup(shared: Int32Array | null = null) {
  const clock = { now: 0, heap: 0 };
  const dog = new Watchdog(
    () => clock.now,
    () => clock.heap,
    shared,
  );
  const buffer = dog.interruptBuffer();
  return { clock, dog, read: () => buffer[0] };
}

describe('Watchdog', () => {
  const limits = { timeLimitMs: 100, hardStopMs: 50, memoryLimitBytes: 1000 };

  it('signals the time limit once, then the hard stop once', () => {
    const { clock, dog, read } = setup();
    dog.arm(limits);
    expect(read()).toBe(0);
    clock.now = 101;
    expect(read()).toBe(SIGNALS.timeout);
    expect(read()).toBe(0);
    clock.now = 151;
    expect(read()).toBe(SIGNALS.hardStop);
    expect(read()).toBe(0);
  });

  it('signals the memory limit', () => {
    const { clock, dog, read } = setup();
    dog.arm(limits);
    clock.heap = 1001;
    expect(read()).toBe(SIGNALS.memory);
    expect(read()).toBe(0);
  });

  it('is silent when disarmed and passes on what the host writes', () => {
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const { clock, dog, read } = setup(shared);
    clock.now = 1e9;
    expect(read()).toBe(0);
    Atomics.store(shared, 0, SIGNALS.cancel);
    expect(read()).toBe(SIGNALS.cancel);
    expect(Atomics.load(shared, 0)).toBe(0);
    dog.arm(limits);
    expect(read()).toBe(0);
  });

  it('runs the read hook on every read, armed or not (the live output’s flush)', () => {
    const dog = new Watchdog(
      () => 0,
      () => 0,
    );
    let reads = 0;
    const buffer = dog.interruptBuffer(() => (reads += 1));
    void buffer[0];
    dog.arm(limits);
    void buffer[0];
    expect(reads).toBe(2);
  });
});
