import type { Session } from '../../../../contract/session';
import { ApiError } from '../../../lib/api-error';

const isString = (value: unknown): value is string => typeof value === 'string';

/**
 * A structural check of `GET /api/session`'s answer against contract/session.ts. Hand-written
 * because this runs on every page load and zod would triple the first chunk; the test beside
 * it keeps it in step with the contract's schema.
 */
export function readSession(value: unknown): Session {
  const candidate = value as {
    user?: Record<string, unknown>;
    csrfToken?: unknown;
    expiresAt?: unknown;
    idleTimeoutSeconds?: unknown;
    passwordChangeRequired?: unknown;
  } | null;
  const user = candidate?.user;
  if (
    candidate &&
    user &&
    isString(user.id) &&
    isString(user.username) &&
    isString(user.displayName) &&
    typeof user.isAdmin === 'boolean' &&
    isString(candidate.csrfToken) &&
    isString(candidate.expiresAt) &&
    typeof candidate.idleTimeoutSeconds === 'number' &&
    Number.isInteger(candidate.idleTimeoutSeconds) &&
    candidate.idleTimeoutSeconds > 0 &&
    typeof candidate.passwordChangeRequired === 'boolean'
  ) {
    return {
      user: {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        isAdmin: user.isAdmin,
      },
      csrfToken: candidate.csrfToken,
      expiresAt: candidate.expiresAt,
      idleTimeoutSeconds: candidate.idleTimeoutSeconds,
      passwordChangeRequired: candidate.passwordChangeRequired,
    };
  }
  throw new ApiError({
    code: 'INVALID_RESPONSE',
    message: 'The server sent a session Courier could not read.',
    status: 200,
  });
}
