import { describe, expect, it } from 'vitest';
import { sessionSchema } from '../../../../contract/session';
import { readSession } from './read-session';

const valid = {
  user: { id: 'u1', username: 'admin', displayName: 'Administrator', isAdmin: true },
  csrfToken: 'c',
  expiresAt: '2026-11-29T12:00:00.000Z',
  idleTimeoutSeconds: 1800,
  passwordChangeRequired: false,
};

describe('readSession', () => {
  it('accepts what the contract accepts, and returns the same value', () => {
    expect(readSession(valid)).toEqual(sessionSchema.parse(valid));
  });

  it('drops fields the contract does not know, as the schema does', () => {
    const extra = { ...valid, secret: 'x', user: { ...valid.user, passwordHash: 'y' } };
    expect(readSession(extra)).toEqual(sessionSchema.parse(extra));
  });

  it.each([
    ['null', null],
    ['no user', { ...valid, user: undefined }],
    ['no csrf token', { ...valid, csrfToken: undefined }],
    ['isAdmin as a string', { ...valid, user: { ...valid.user, isAdmin: 'true' } }],
    ['numeric id', { ...valid, user: { ...valid.user, id: 1 } }],
    ['no idle timeout', { ...valid, idleTimeoutSeconds: undefined }],
    ['an idle timeout of zero', { ...valid, idleTimeoutSeconds: 0 }],
    ['a fractional idle timeout', { ...valid, idleTimeoutSeconds: 1.5 }],
    ['no word on a required password change', { ...valid, passwordChangeRequired: undefined }],
    ['a password change required as a string', { ...valid, passwordChangeRequired: 'false' }],
  ])('rejects %s, as the contract does', (_name, value) => {
    expect(sessionSchema.safeParse(value).success).toBe(false);
    expect(() => readSession(value)).toThrow(expect.objectContaining({ code: 'INVALID_RESPONSE' }));
  });
});
