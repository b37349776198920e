import { describe, expect, it } from 'vitest';
import type { OutputEvent } from '../../shared/contracts/python-worker.ts';
import { OutputStream } from './output-stream.ts';

function setup(capChars = 1000) {
  const clock = { now: 0 };
  const events: OutputEvent[] = [];
  const stream = new OutputStream(
    (event) => events.push(event),
    () => clock.now,
    { intervalMs: 100, capChars },
  );
  return { clock, events, stream };
}

describe('OutputStream', () => {
  it('sends the first write at once, then at most one batch per interval', () => {
    const { clock, events, stream } = setup();
    stream.write('stdout', 'a\n');
    expect(events).toEqual([{ kind: 'output', stdout: 'a\n', stderr: '', droppedChars: 0 }]);
    clock.now = 30;
    stream.write('stdout', 'b\n');
    stream.write('stderr', 'warn\n');
    clock.now = 99;
    stream.write('stdout', 'c\n');
    expect(events).toHaveLength(1);
    clock.now = 100;
    stream.write('stdout', 'd\n');
    expect(events).toHaveLength(2);
    expect(events[1]).toEqual({
      kind: 'output',
      stdout: 'b\nc\nd\n',
      stderr: 'warn\n',
      droppedChars: 0,
    });
  });

  it('holds a part of a line back for an interval, to send it whole', () => {
    const { clock, events, stream } = setup();
    stream.write('stdout', 'line');
    stream.write('stdout', ' ');
    clock.now = 5;
    stream.poll();
    expect(events).toEqual([]);
    stream.write('stdout', '0');
    stream.write('stdout', '\n');
    expect(events.map((e) => e.stdout)).toEqual(['line 0\n']);
    clock.now = 200;
    stream.write('stdout', '...');
    clock.now = 299;
    stream.poll();
    expect(events).toHaveLength(1);
    clock.now = 300;
    stream.poll(); // a line that never ends (progress dots) still shows
    expect(events.map((e) => e.stdout)).toEqual(['line 0\n', '...']);
  });

  it('sends a waiting batch from poll(), for a program that printed and then went quiet', () => {
    const { clock, events, stream } = setup();
    stream.write('stdout', 'first\n');
    clock.now = 10;
    stream.write('stdout', 'second\n');
    stream.poll();
    expect(events).toHaveLength(1);
    clock.now = 150;
    stream.poll();
    expect(events.map((e) => e.stdout)).toEqual(['first\n', 'second\n']);
    clock.now = 400;
    stream.poll(); // nothing waiting: no empty event
    expect(events).toHaveLength(2);
  });

  it('sends the rest on finish() and nothing after it', () => {
    const { clock, events, stream } = setup();
    stream.write('stdout', 'x\n');
    clock.now = 1;
    stream.write('stderr', 'y');
    stream.finish();
    expect(events.map((e) => [e.stdout, e.stderr])).toEqual([
      ['x\n', ''],
      ['', 'y'],
    ]);
    clock.now = 1000;
    stream.write('stdout', 'late');
    stream.poll();
    stream.finish();
    expect(events).toHaveLength(2);
  });

  it('streams up to the cap and counts the rest, in throttled events', () => {
    const { clock, events, stream } = setup(10);
    stream.write('stdout', '12345\n');
    stream.write('stdout', '7890abc'); // 3 over
    for (let i = 0; i < 1000; i++) stream.write('stdout', 'flood');
    expect(events).toHaveLength(1); // the flood did not add events within the interval
    clock.now = 100;
    stream.poll(); // only the count changed: still worth telling
    stream.finish();
    const text = events.map((e) => e.stdout).join('');
    expect(text).toBe('12345\n7890');
    expect(events.at(-1)?.droppedChars).toBe(3 + 5000);
    expect(events).toHaveLength(2);
  });

  it('does not split a surrogate pair at the cap', () => {
    const { events, stream } = setup(3);
    stream.write('stdout', 'ab😀');
    expect(events).toEqual([]); // mid-line: held back
    stream.finish();
    expect(events.map((e) => e.stdout).join('')).toBe('ab');
    expect(events.at(-1)?.droppedChars).toBe(2);
  });
});
