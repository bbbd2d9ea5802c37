import { describe, expect, it } from 'vitest';
import { expiresAtOf } from './expiry-choice';

describe('expiresAtOf', () => {
  it('leaves the default to the portal, says never as null, and counts days from now', () => {
    const now = Date.UTC(2026, 11, 1, 20, 0);
    expect(expiresAtOf('default', now)).toBeUndefined();
    expect(expiresAtOf('never', now)).toBeNull();
    expect(expiresAtOf('30', now)).toBe('2026-12-31T20:00:00.000Z');
  });
});
