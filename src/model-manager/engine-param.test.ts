import { describe, expect, it } from 'vitest';
import { engineChoiceOf } from './engine-param.ts';

describe('?engine=', () => {
  it('picks the Engine menu’s first choice, Auto without one or for an unknown value', () => {
    expect(engineChoiceOf('?engine=wgsl')).toBe('wgsl');
    expect(engineChoiceOf('?hub=http%3A%2F%2Flocalhost&engine=ort')).toBe('ort');
    expect(engineChoiceOf('?engine=auto')).toBe('auto');
    expect(engineChoiceOf('')).toBe('auto');
    expect(engineChoiceOf('?engine=gpu')).toBe('auto');
  });
});
