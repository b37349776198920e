import { describe, expect, it } from 'vitest';
import { formatBytes, formatEta, formatMs } from './format.ts';

describe('formatBytes', () => {
  it('uses binary units with sensible precision', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(1024 ** 3 * 12.5)).toBe('12.5 GB');
    expect(formatBytes(1024 ** 2 * 350)).toBe('350 MB');
    expect(formatBytes(-1)).toBe('—');
  });
});

describe('formatMs', () => {
  it('switches to seconds past one second', () => {
    expect(formatMs(0.5)).toBe('0.50 ms');
    expect(formatMs(15)).toBe('15 ms');
    expect(formatMs(2500)).toBe('2.50 s');
    expect(formatMs(Number.NaN)).toBe('—');
  });
});

describe('formatEta', () => {
  it('says nothing until it knows, then seconds, then minutes and seconds, then hours', () => {
    expect(formatEta(null)).toBe('');
    expect(formatEta(0.2)).toBe(' · less than a second left');
    expect(formatEta(12.4)).toBe(' · about 12 s left');
    expect(formatEta(600)).toBe(' · about 10 min left');
    expect(formatEta(261)).toBe(' · about 4 min 20 s left');
    expect(formatEta(1020.1)).toBe(' · about 17 min left');
    expect(formatEta(1742)).toBe(' · about 29 min left');
    expect(formatEta(1747)).toBe(' · about 29 min 5 s left');
    expect(formatEta(3900)).toBe(' · about 1 h 5 min left');
    expect(formatEta(7200)).toBe(' · about 2 h left');
  });
});
