import type { ErrorCode } from '../contract/error-codes';

/** An error meant for the API caller: its status, code and message are sent as they are. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly extra: { retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
}

/** The catalogue: every error a route can answer with is made here, so codes and wording stay consistent. */
export const ERRORS = {
  BadRequest: (message: string) => new AppError(400, 'BAD_REQUEST', message),
  Validation: (message: string) => new AppError(400, 'VALIDATION_FAILED', message),
  PayloadTooLarge: (limitBytes: number) => new AppError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${limitBytes} bytes.`),
  UnsupportedMediaType: () => new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.'),
  Unauthenticated: () => new AppError(401, 'UNAUTHENTICATED', 'You are not logged in.'),
  SessionExpired: () => new AppError(401, 'SESSION_EXPIRED', 'Your session expired. Please log in again.'),
  // One message for an unknown user and a wrong password, so a login form does not reveal who has an account.
  InvalidCredentials: () => new AppError(401, 'INVALID_CREDENTIALS', 'Wrong username or password.'),
  // One answer for a token never issued, revoked, or whose user is gone or disabled: nothing to probe.
  TokenUnknown: () => new AppError(401, 'UNAUTHENTICATED', 'The API token is not valid: it is unknown or was revoked.'),
  TokenExpired: () => new AppError(401, 'TOKEN_EXPIRED', 'The API token has expired. Create a new one in your profile.'),
  TokenScope: (need: 'read' | 'transfer' | 'admin' | 'session', scopes: readonly string[]) =>
    new AppError(
      403,
      'FORBIDDEN',
      need === 'session'
        ? 'An API token cannot do this: sign in to the portal instead.'
        : `This API token's scopes (${scopes.join(', ')}) do not allow this request: it needs the ${need} scope.`,
    ),
  LocalLoginOff: () =>
    new AppError(403, 'LOCAL_LOGIN_OFF', "Password login is for administrators only: sign in with your organisation's identity provider."),
  AccountDisabled: () => new AppError(403, 'ACCOUNT_DISABLED', 'This account is disabled. Ask an administrator.'),
  // 400, not 401: the session is fine, only the password typed to confirm a change is not.
  WrongPassword: () => new AppError(400, 'WRONG_PASSWORD', 'The current password is wrong.'),
  PasswordChangeRequired: () =>
    new AppError(403, 'PASSWORD_CHANGE_REQUIRED', 'Your password was set by an administrator: choose a new one before anything else.'),
  TooManyAttempts: (retryAfterSeconds: number) =>
    new AppError(429, 'TOO_MANY_ATTEMPTS', `Too many failed login attempts. Try again in ${formatWait(retryAfterSeconds)}.`, {
      retryAfterSeconds,
    }),
  // Retry-After 2: the hash queue drains in well under that (a hash takes ~50 ms, two at once).
  ServerBusy: () =>
    new AppError(503, 'SERVER_BUSY', 'The server is handling many logins at once. Try again in a few seconds.', { retryAfterSeconds: 2 }),
  CsrfFailed: () =>
    new AppError(403, 'CSRF_FAILED', 'The request was refused because its CSRF token is missing or wrong. Reload the page and try again.'),
  CrossSite: () => new AppError(403, 'CSRF_FAILED', 'Cross-site requests are not allowed.'),
  Forbidden: (what = 'do this') => new AppError(403, 'FORBIDDEN', `You are not allowed to ${what}.`),
  NotFound: (what = 'This resource') => new AppError(404, 'NOT_FOUND', `${what} was not found.`),
  InvalidPath: (path: string, why: string) => new AppError(400, 'INVALID_PATH', `The path ${JSON.stringify(path.slice(0, 200))} ${why}.`),
  InvalidName: (name: string, why = 'may not be empty, "." or "..", or contain "/", "\\" or control characters') =>
    new AppError(400, 'INVALID_NAME', `${JSON.stringify(name.slice(0, 200))} is not a valid name: it ${why}.`),
  SpaceNotFound: () => new AppError(404, 'SPACE_NOT_FOUND', 'This space does not exist or you are not a member of it.'),
  FolderNotFound: (path: string) => new AppError(404, 'FOLDER_NOT_FOUND', `The folder ${path} does not exist.`),
  PathNotFound: (path: string) => new AppError(404, 'PATH_NOT_FOUND', `${path} does not exist.`),
  NameTaken: (path: string) => new AppError(409, 'NAME_TAKEN', `${path} already exists.`),
  NodeUnavailable: (nodeName: string) =>
    new AppError(502, 'NODE_UNAVAILABLE', `The transfer node "${nodeName}" is not reachable right now. Try again in a moment.`),
  NodeRefused: (nodeName: string, message: string) =>
    new AppError(502, 'NODE_ERROR', `The transfer node "${nodeName}" refused the request: ${message}`),
  // The node refused this input (4xx), not the portal's credentials: the caller's to change.
  NodeDeclined: (nodeName: string, status: 400 | 403, message: string) =>
    new AppError(status, status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST', `The transfer node "${nodeName}" refused the request: ${message}`),
  NodeNotFound: () => new AppError(404, 'NODE_NOT_FOUND', 'This transfer node is not registered.'),
  Conflict: (message: string) => new AppError(409, 'CONFLICT', message),
  // docs/api.md §8: the Idempotency-Key draft's 422 and 409.
  IdempotencyKeyReused: () =>
    new AppError(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for a different request: send a new key with each new request.',
    ),
  IdempotencyKeyInUse: () =>
    new AppError(409, 'IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still being processed. Try again in a second.', {
      retryAfterSeconds: 1,
    }),
  SpaceNameTaken: (existing: string) =>
    new AppError(409, 'NAME_TAKEN', `A space named ${JSON.stringify(existing)} exists; choose another name.`),
  /** `other` names the space already there, e.g. `the space "Alpha" (/projects/alpha)`. */
  SpaceRootOverlaps: (rootPath: string, relation: 'same' | 'inside' | 'contains', other: string) =>
    new AppError(
      409,
      'SPACE_ROOT_OVERLAPS',
      `The folder ${JSON.stringify(rootPath.slice(0, 200))} ${RELATION_WORDS[relation]} the folder of ${other} on this node; each space needs a folder of its own.`,
    ),
  RequestClosed: () => new AppError(410, 'REQUEST_CLOSED', 'This file request was closed by the person who made it.'),
  RequestExpired: (deadline: string) => new AppError(410, 'REQUEST_EXPIRED', `This file request's deadline (${deadline}) has passed.`),
  PasswordRequired: () => new AppError(401, 'PASSWORD_REQUIRED', 'This file request needs its password first.'),
  WrongRequestPassword: () => new AppError(403, 'WRONG_PASSWORD', 'The password is wrong.'),
  TooManyPasswordAttempts: (retryAfterSeconds: number) =>
    new AppError(429, 'TOO_MANY_ATTEMPTS', `Too many wrong passwords. Try again in ${formatWait(retryAfterSeconds)}.`, {
      retryAfterSeconds,
    }),
  LimitExceeded: (message: string) => new AppError(413, 'LIMIT_EXCEEDED', message),
  // A share link's answers (docs/sharing.md §3): 401 until its password is given, 410 once it is over.
  SharePasswordRequired: () => new AppError(401, 'SHARE_PASSWORD_REQUIRED', 'This link is protected by a password.'),
  SharePasswordWrong: () => new AppError(401, 'WRONG_PASSWORD', 'The password is wrong.'),
  SharePasswordAttempts: (retryAfterSeconds: number) =>
    new AppError(429, 'TOO_MANY_ATTEMPTS', `Too many wrong passwords. Try again in ${formatWait(retryAfterSeconds)}.`, {
      retryAfterSeconds,
    }),
  ShareExpired: () => new AppError(410, 'SHARE_EXPIRED', 'This link has expired.'),
  ShareRevoked: () => new AppError(410, 'SHARE_REVOKED', 'This link was revoked by the person who shared it.'),
  ShareUsedUp: () => new AppError(410, 'SHARE_USED_UP', 'This link has reached its download limit.'),
  ShareUnavailable: () =>
    new AppError(410, 'SHARE_UNAVAILABLE', 'This link no longer works: the person who shared it no longer has access to these files.'),
  // An external recipient's personal link (docs/packages.md §7).
  PackageCodeRequired: () =>
    new AppError(401, 'PACKAGE_CODE_REQUIRED', 'This package needs the one-time code sent to your email address first.'),
  PackageCodeWrong: (left: number) =>
    new AppError(
      401,
      'WRONG_CODE',
      left > 0
        ? `The code is wrong or has expired. ${left} ${left === 1 ? 'try' : 'tries'} left.`
        : 'The code is wrong or has expired, and has no tries left: ask for a new code.',
    ),
  PackageCodeWait: (retryAfterSeconds: number) =>
    new AppError(429, 'TOO_MANY_ATTEMPTS', `A code was just sent. Ask for another in ${formatWait(retryAfterSeconds)}.`, {
      retryAfterSeconds,
    }),
  PackageCodesUsedUp: (retryAfterSeconds: number) =>
    new AppError(
      429,
      'TOO_MANY_ATTEMPTS',
      `This link has asked for as many codes as it may in a day. Ask for another in ${formatWait(retryAfterSeconds)}.`,
      { retryAfterSeconds },
    ),
  Internal: () => new AppError(500, 'INTERNAL', 'Something went wrong on our side. Please try again.'),
};

const RELATION_WORDS = { same: 'is', inside: 'lies inside', contains: 'contains' } as const;

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
