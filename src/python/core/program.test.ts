import { describe, expect, it } from 'vitest';
import { guardNumpyPrelude, NUMPY_PRELUDE } from './program.ts';

describe('guardNumpyPrelude', () => {
  it('guards the numpy prelude only', () => {
    expect(guardNumpyPrelude(`${NUMPY_PRELUDE}print(1)`)).toContain(
      'except ImportError:\n    pass\n\nprint(1)',
    );
    expect(guardNumpyPrelude('print(1)')).toBe('print(1)');
  });
});
