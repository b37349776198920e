import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { asAppError } from './as-app-error.ts';

describe('asAppError (what the Python stage may throw)', () => {
  it('keeps AppErrors and names a full quota and a cancel', () => {
    const quota = new AppError('storage-quota', 'full');
    expect(asAppError(quota)).toBe(quota);
    expect(asAppError(new DOMException('no room', 'QuotaExceededError')).code).toBe(
      'storage-quota',
    );
    expect(asAppError(new DOMException('stop', 'AbortError')).code).toBe('aborted');
    expect(asAppError(new TypeError('boom'))).toMatchObject({ code: 'internal', message: 'boom' });
  });
});
