import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import { parseGenerationParams, resolveGenerationParams } from './params.ts';

describe('resolveGenerationParams', () => {
  it('defaults to the MTPB sampling setting', () => {
    const result = resolveGenerationParams();
    expect(result).toEqual({
      ok: true,
      params: {
        sampling: { kind: 'sample', temperature: 0.2, topP: 0.95, topK: 0 },
        maxNewTokens: 128,
        seed: 0,
        stopStrings: [],
      },
    });
  });

  it('ignores sampling fields in greedy mode', () => {
    const result = resolveGenerationParams({ mode: 'greedy', temperature: -3 });
    expect(result.ok && result.params.sampling).toEqual({ kind: 'greedy' });
  });

  it('reports every invalid field with a message naming it', () => {
    const result = resolveGenerationParams({
      temperature: 0,
      topP: 1.5,
      topK: 2.5,
      maxNewTokens: 0,
      seed: 0.5,
      stopStrings: ['\n\n', ''],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.field)).toEqual([
      'temperature',
      'topP',
      'topK',
      'maxNewTokens',
      'seed',
      'stopStrings',
    ]);
    for (const issue of result.issues)
      expect(issue.message).toContain(
        issue.field === 'stopStrings' ? 'stop string 2' : issue.field,
      );
  });

  it('accepts the boundaries: topP 1, topK 0, maxNewTokens 1, negative seeds', () => {
    const result = resolveGenerationParams({ topP: 1, topK: 0, maxNewTokens: 1, seed: -7 });
    expect(result.ok).toBe(true);
  });

  it('rejects NaN and infinities', () => {
    for (const input of [
      { temperature: Number.NaN },
      { temperature: Infinity },
      { topP: Number.NaN },
      { topP: 0 },
    ]) {
      expect(resolveGenerationParams(input).ok).toBe(false);
    }
  });
});

describe('parseGenerationParams', () => {
  it('throws a bad-input AppError listing the problems', () => {
    let caught: unknown;
    try {
      parseGenerationParams({ temperature: -1, maxNewTokens: 0 });
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught, 'bad-input')).toBe(true);
    expect(String(caught)).toMatch(/temperature.*maxNewTokens/);
  });
});
