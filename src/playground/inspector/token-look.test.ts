import { describe, expect, it } from 'vitest';
import { confidenceWord, doubtAlpha, formatProb, visibleToken } from './token-look.ts';

describe('token look', () => {
  it('shows spaces, tabs and newlines', () => {
    expect(visibleToken('    ')).toBe('····');
    expect(visibleToken('\t\treturn')).toBe('→→return');
    expect(visibleToken(':\n')).toBe(':↵');
    expect(visibleToken('\r\n')).toBe('↵');
    expect(visibleToken('')).toBe('∅');
  });

  it('prints probabilities with useful precision', () => {
    expect(formatProb(0.9312)).toBe('93.1%');
    expect(formatProb(0.0042)).toBe('0.42%');
    expect(formatProb(1e-7)).toBe('<0.01%');
    expect(formatProb(NaN)).toBe('—');
  });

  it('shades doubt, not confidence', () => {
    expect(doubtAlpha(1)).toBe(0);
    expect(doubtAlpha(0)).toBe(0.85);
    expect(doubtAlpha(0.5)).toBeCloseTo(0.43, 2);
    expect(confidenceWord(0.95)).toBe('sure');
    expect(confidenceWord(0.05)).toBe('unlikely');
  });
});
