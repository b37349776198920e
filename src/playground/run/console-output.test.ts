import { describe, expect, it } from 'vitest';
import type { OutputEvent } from '../../shared/contracts/python-worker.ts';
import { appendOutput, NO_OUTPUT } from './console-output.ts';

const batch = (stdout: string, stderr = '', droppedChars = 0): OutputEvent => ({
  kind: 'output',
  stdout,
  stderr,
  droppedChars,
});

describe('appendOutput', () => {
  it('appends each stream in order', () => {
    const output = [batch('a\n'), batch('b\n', 'warn\n'), batch('c\n')].reduce(
      (o, e) => appendOutput(o, e),
      NO_OUTPUT,
    );
    expect(output).toMatchObject({ stdout: 'a\nb\nc\n', stderr: 'warn\n', droppedChars: 0 });
  });

  it('keeps the worker’s running count of what it did not send', () => {
    let output = appendOutput(NO_OUTPUT, batch('x', '', 5));
    output = appendOutput(output, batch('', '', 12));
    expect(output.droppedChars).toBe(12);
  });

  it('holds no more than the cap, whatever the worker sends, and counts the rest', () => {
    let output = appendOutput(NO_OUTPUT, batch('12345', 'ab'), 8);
    output = appendOutput(output, batch('6789', 'cd', 3), 8);
    expect(output).toMatchObject({ stdout: '123456', stderr: 'ab' });
    expect(output.droppedChars).toBe(3 + 3 + 2);
    output = appendOutput(output, batch('more', '', 4), 8);
    expect(output.droppedChars).toBe(4 + 3 + 2 + 4);
  });
});
