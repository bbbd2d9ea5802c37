import { describe, expect, it } from 'vitest';
import { ApiError, type ApiErrorCode } from '../../../lib/api-error';
import { describeLoginError } from './describe-login-error';

const error = (code: ApiErrorCode, extra: { retryAfterSeconds?: number; message?: string } = {}) =>
  new ApiError({
    code,
    message: extra.message ?? 'server wording',
    status: 400,
    retryAfterSeconds: extra.retryAfterSeconds,
  });

describe('describeLoginError', () => {
  it('says the same for an unknown user and a wrong password, whatever the server wrote', () => {
    const a = describeLoginError(error('INVALID_CREDENTIALS', { message: 'No such user' }));
    const b = describeLoginError(error('INVALID_CREDENTIALS', { message: 'Wrong password' }));
    expect(a).toEqual(b);
    expect(a.title).toBe('Wrong username or password.');
  });

  it('tells a disabled account so, and whom to ask', () => {
    const text = describeLoginError(error('ACCOUNT_DISABLED'));
    expect(`${text.title} ${text.subtitle}`).toBe('This account is disabled. Ask an administrator.');
  });

  it('sends a non-admin to the identity provider when password login is for admins only', () => {
    const text = describeLoginError(error('LOCAL_LOGIN_OFF'));
    expect(text.title).toBe('Password login is for administrators only.');
    expect(text.subtitle).toContain('identity provider');
  });

  it('tells a rate-limited user when to try again', () => {
    expect(describeLoginError(error('TOO_MANY_ATTEMPTS', { retryAfterSeconds: 90 })).subtitle).toBe('Try again in 2 minutes.');
    expect(describeLoginError(error('TOO_MANY_ATTEMPTS')).subtitle).toBe('Wait a while before you try again.');
  });

  it('does not show server internals for unexpected failures', () => {
    const text = describeLoginError(error('INTERNAL', { message: 'SQLITE_BUSY at line 3' }));
    expect(JSON.stringify(text)).not.toContain('SQLITE');
  });

  it('points at the username when the server rejects the shape', () => {
    expect(describeLoginError(error('VALIDATION_FAILED')).focus).toBe('username');
  });
});
