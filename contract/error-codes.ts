/**
 * Every error the portal API returns is `{ code, message }` with a code from this list.
 * The SPA branches on `code`, never on `message`, so codes are a stable contract: add, never rename.
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAUTHENTICATED',
  'SESSION_EXPIRED',
  'TOKEN_EXPIRED',
  'INVALID_CREDENTIALS',
  'ACCOUNT_DISABLED',
  // Password login is for admins only while the identity provider signs everyone in (docs/oidc.md §5).
  'LOCAL_LOGIN_OFF',
  'WRONG_PASSWORD',
  'PASSWORD_CHANGE_REQUIRED',
  'TOO_MANY_ATTEMPTS',
  'SERVER_BUSY',
  'CSRF_FAILED',
  'FORBIDDEN',
  'NOT_FOUND',
  'INVALID_PATH',
  'INVALID_NAME',
  'SPACE_NOT_FOUND',
  'FOLDER_NOT_FOUND',
  'PATH_NOT_FOUND',
  'NAME_TAKEN',
  'CONFLICT',
  'SPACE_ROOT_OVERLAPS',
  'NODE_NOT_FOUND',
  'NODE_UNAVAILABLE',
  'NODE_ERROR',
  'INTERNAL',
  // File requests (issue 14): a closed or past-deadline request answers 410 with which.
  'REQUEST_CLOSED',
  'REQUEST_EXPIRED',
  'PASSWORD_REQUIRED',
  'LIMIT_EXCEEDED',
  'SHARE_PASSWORD_REQUIRED',
  'SHARE_EXPIRED',
  'SHARE_REVOKED',
  'SHARE_USED_UP',
  'SHARE_UNAVAILABLE',
  // A package's personal link (docs/packages.md §7): 401 until its one-time code is given.
  'PACKAGE_CODE_REQUIRED',
  'WRONG_CODE',
  // An Idempotency-Key reused for another request (422), or whose first request still runs (409,
  // Retry-After): docs/api.md §8.
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_KEY_IN_USE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
