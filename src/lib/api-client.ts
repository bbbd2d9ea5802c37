import { CSRF_HEADER, SESSION_ENDS_IN_HEADER } from '../../contract/session-header';
import { ApiError, isErrorCode, isSessionLostError, type ApiErrorCode } from './api-error';

export { ApiError, isSessionLostError, type ApiErrorCode } from './api-error';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal | undefined;
  /**
   * This request itself asks "who am I?" (or ends the session), so a 401 is an answer, not a sign
   * that the session was lost behind the user's back.
   */
  ownsSession?: boolean;
  /** Sent even if the page goes away meanwhile (a report as the page closes). */
  keepalive?: boolean;
  /** Request headers besides the ones every call sends (an Idempotency-Key). */
  headers?: Record<string, string>;
}

/** What any answer says about the session: how long it has left, or that it is gone. */
export type SessionSignal = { kind: 'ends-in'; ms: number } | { kind: 'lost' };

let sessionListener: ((signal: SessionSignal) => void) | null = null;

/**
 * One listener for the page (src/app/query-client.ts). Every request counts here, not only
 * TanStack Query's: a transfer's authorization that meets an expired session must send the user
 * to log in too, not show SESSION_EXPIRED as a failure.
 */
export function setSessionListener(listener: ((signal: SessionSignal) => void) | null): void {
  sessionListener = listener;
}

/**
 * The session's CSRF token. The session cookie is HttpOnly, so the token arrives in the session
 * body and the auth feature hands it over here; it is not secret from this page, only from others.
 */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Codes for answers that did not carry a `{ code, message }` body (a proxy, a crash). */
function codeForStatus(status: number): ApiErrorCode {
  if (status === 400) return 'BAD_REQUEST';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 429) return 'TOO_MANY_ATTEMPTS';
  return 'INTERNAL';
}

function parseRetryAfter(body: Record<string, unknown>, header: string | null): number | undefined {
  const fromBody = body.retryAfterSeconds;
  if (typeof fromBody === 'number' && Number.isFinite(fromBody) && fromBody >= 0) return Math.ceil(fromBody);
  // Retry-After may also be an HTTP date (RFC 9110 §10.2.3); seconds are what servers send here.
  if (header !== null && /^\d+$/.test(header.trim())) return Number(header.trim());
  return undefined;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  return JSON.parse(text) as unknown;
}

export async function toApiError(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    const parsed = await readJson(response);
    if (parsed !== null && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (an HTML error page from a proxy): fall back to the status below.
  }
  const code = isErrorCode(body.code) ? body.code : codeForStatus(response.status);
  const message =
    typeof body.message === 'string' && body.message !== ''
      ? body.message
      : `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`;
  return new ApiError({
    code,
    message,
    status: response.status,
    retryAfterSeconds: parseRetryAfter(body, response.headers.get('retry-after')),
  });
}

export async function request<T = unknown>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers = new Headers({ ...options.headers, accept: 'application/json' });
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  if (method !== 'GET' && csrfToken !== null) headers.set(CSRF_HEADER, csrfToken);

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
      ...(options.keepalive ? { keepalive: true } : {}),
    });
  } catch (error) {
    // Cancellation is TanStack Query's business, not an error to show.
    if (options.signal?.aborted) throw error;
    throw new ApiError({
      code: 'NETWORK_ERROR',
      message: 'Courier could not be reached. Check your connection and try again.',
      status: 0,
      cause: error,
    });
  }

  const endsIn = response.headers.get(SESSION_ENDS_IN_HEADER);
  if (endsIn !== null && /^\d+$/.test(endsIn)) sessionListener?.({ kind: 'ends-in', ms: Number(endsIn) });
  if (!response.ok) {
    const error = await toApiError(response);
    if (isSessionLostError(error) && !options.ownsSession) sessionListener?.({ kind: 'lost' });
    throw error;
  }
  if (response.status === 204) return undefined as T;
  try {
    return (await readJson(response)) as T;
  } catch (error) {
    throw new ApiError({
      code: 'INVALID_RESPONSE',
      message: 'The server sent an answer Courier could not read.',
      status: response.status,
      cause: error,
    });
  }
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};
