import { ERROR_CODES, type ErrorCode } from '../../contract/error-codes';

/**
 * Failures that never reach the portal's error handler: the request did not get an answer
 * (offline, portal down) or the answer did not have the shape the contract promises.
 */
export type ClientErrorCode = 'NETWORK_ERROR' | 'INVALID_RESPONSE';

export type ApiErrorCode = ErrorCode | ClientErrorCode;

/** The one error type every query and mutation rejects with; components branch on `code`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;

  constructor(init: { code: ApiErrorCode; message: string; status: number; retryAfterSeconds?: number | undefined; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

const knownCodes: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && knownCodes.has(value);
}

/** The session is gone (never was, timed out, or was revoked): the user has to log in again. */
export function isSessionLostError(error: unknown): error is ApiError {
  return error instanceof ApiError && (error.code === 'UNAUTHENTICATED' || error.code === 'SESSION_EXPIRED');
}
