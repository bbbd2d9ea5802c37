import type { FastifyRequest } from 'fastify';
import type { User } from '../../../contract/session';
import { ERRORS } from '../../errors';
import { requireSession } from '../auth/auth-plugin';
import type { AuditLog } from './audit-log';

/** The admin behind the request; anyone else is refused 403, and the refusal goes to the audit log. */
export async function requireAdmin(request: FastifyRequest, audit: AuditLog, action: string, target?: string): Promise<User> {
  const { user } = requireSession(request);
  if (!user.isAdmin) {
    await audit.record({ userId: user.id, action, target: target ?? null, decision: 'deny', reason: 'not an admin' });
    throw ERRORS.Forbidden('use the admin console');
  }
  return user;
}
