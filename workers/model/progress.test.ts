import { describe, expect, it } from 'vitest';
import type { GenerateProgress } from '../../src/shared/contracts/model-worker.ts';
import { ProgressThrottle } from './progress.ts';

describe('ProgressThrottle', () => {
  it('reports running counts per row at most once per interval, and the final counts once', () => {
    let clock = 0;
    const sent: GenerateProgress[] = [];
    const throttle = new ProgressThrottle(
      3,
      (e) => sent.push(e),
      () => clock,
      100,
    );
    // 2 rows × 50 tokens, one token each 5 ms per row (row 1 did not run: overflow).
    for (let step = 0; step < 50; step++) {
      clock += 5;
      throttle.count(0);
      throttle.count(2);
    }
    throttle.flush();
    // A report goes out with the token that crosses the interval (row 0's, here).
    expect(sent.map((e) => e.tokens)).toEqual([
      [20, 0, 19],
      [40, 0, 39],
      [50, 0, 50],
    ]);
    throttle.flush(); // nothing new: nothing sent
    expect(sent).toHaveLength(3);
  });

  it('sends nothing when no token came', () => {
    const sent: GenerateProgress[] = [];
    new ProgressThrottle(2, (e) => sent.push(e)).flush();
    expect(sent).toEqual([]);
  });
});
