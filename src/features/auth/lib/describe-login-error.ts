import type { ApiError } from '../../../lib/api-error';
import { formatWait } from '../../../lib/format-wait';

export interface LoginErrorText {
  title: string;
  subtitle: string;
  /** The field that should get focus so the user can correct it. */
  focus: 'username' | 'password';
}

/** What the login form says for a failed attempt, by code: never by the server's wording. */
export function describeLoginError(error: ApiError): LoginErrorText {
  switch (error.code) {
    case 'INVALID_CREDENTIALS':
      // One message for an unknown user and a wrong password, so the form does not reveal
      // which accounts exist.
      return {
        title: 'Wrong username or password.',
        subtitle: 'Check both and try again.',
        focus: 'password',
      };
    case 'ACCOUNT_DISABLED':
      return { title: 'This account is disabled.', subtitle: 'Ask an administrator.', focus: 'username' };
    case 'LOCAL_LOGIN_OFF':
      // docs/oidc.md §5: the form is kept for admins; everyone else signs in with the provider.
      return {
        title: 'Password login is for administrators only.',
        subtitle: "Sign in with your organisation's identity provider instead.",
        focus: 'username',
      };
    case 'TOO_MANY_ATTEMPTS':
      return {
        title: 'Too many login attempts.',
        subtitle:
          error.retryAfterSeconds === undefined
            ? 'Wait a while before you try again.'
            : `Try again in ${formatWait(error.retryAfterSeconds)}.`,
        focus: 'password',
      };
    case 'VALIDATION_FAILED':
    case 'BAD_REQUEST':
      return {
        title: 'Courier could not accept these details.',
        subtitle: 'Check the username and password and try again.',
        focus: 'username',
      };
    case 'NETWORK_ERROR':
      return {
        title: 'Courier could not be reached.',
        subtitle: 'Check your connection and try again.',
        focus: 'password',
      };
    default:
      return {
        title: 'Logging in failed.',
        subtitle: 'Something went wrong on our side. Try again in a moment.',
        focus: 'password',
      };
  }
}
