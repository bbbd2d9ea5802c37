import { createHash } from 'node:crypto';
import type { Profile, ProfileSession, UpdateProfileRequest } from '../../../contract/profile';
import type { User } from '../../../contract/session';
import type { Db } from '../../db/database';
import { ERRORS } from '../../errors';
import type { ConcurrencyLimiter } from '../../lib/concurrency-limiter';
import type { AuditLog } from '../audit/audit-log';
import type { AuthService } from '../auth/auth-service';
import type { LoginThrottle } from '../auth/login-throttle';
import { hashPassword, verifyPassword } from '../auth/password';
import { usernameKey } from '../auth/users-repository';

/**
 * A session's reference for the browser: a hash of the stored hash, so neither the cookie's token
 * nor the database key ever leaves the portal, and the reference opens nothing.
 */
export function sessionRef(idHash: string): string {
  return createHash('sha256').update(`courier-session-ref\0${idHash}`).digest('base64url').slice(0, 32);
}

/** What a person changes about themselves: display name, password, their own sessions. */
export function createProfileService(deps: {
  db: Db;
  auth: AuthService;
  audit: AuditLog;
  hashing: ConcurrencyLimiter;
  /** The login throttle: a wrong current password is a password guess like a failed login, counted against the same limits. */
  throttle: LoginThrottle;
}) {
  const { db, auth, audit, hashing, throttle } = deps;

  async function sessionsOf(userId: string) {
    return db
      .selectFrom('sessions')
      .select(['id_hash', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
      .where('user_id', '=', userId)
      .where('expires_at', '>', Date.now())
      .orderBy('last_seen_at', 'desc')
      .execute();
  }

  async function endOthers(userId: string, currentIdHash: string): Promise<number> {
    const others = (await sessionsOf(userId)).filter((s) => s.id_hash !== currentIdHash);
    for (const s of others) await auth.endByHash(s.id_hash);
    return others.length;
  }

  return {
    async get(user: User): Promise<Profile> {
      const row = await db.selectFrom('users').select(['display_name', 'email']).where('id', '=', user.id).executeTakeFirst();
      if (!row) throw ERRORS.Unauthenticated();
      return { displayName: row.display_name, email: row.email };
    },

    async update(user: User, changes: UpdateProfileRequest): Promise<User> {
      const set = {
        ...(changes.displayName === undefined ? {} : { display_name: changes.displayName }),
        ...(changes.email === undefined ? {} : { email: changes.email === '' ? null : changes.email }),
      };
      await db.updateTable('users').set(set).where('id', '=', user.id).execute();
      await audit.record({ userId: user.id, action: 'profile-update', target: Object.keys(changes).sort().join(','), decision: 'allow' });
      return { ...user, displayName: changes.displayName ?? user.displayName };
    },

    /** With the current password; every other session of the person ends, this one stays. */
    async changePassword(
      user: User,
      currentIdHash: string,
      input: { currentPassword: string; newPassword: string },
      ip: string,
    ): Promise<number> {
      const row = await db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirst();
      if (!row) throw ERRORS.Unauthenticated();
      // A stolen session must not become a way to guess the password: each check counts as a login
      // attempt on the account (per account, per address, both), and is refused once over the limit.
      const reserved = await throttle.reserve(usernameKey(user.username), ip);
      if ('retryAfterSeconds' in reserved) throw ERRORS.TooManyAttempts(reserved.retryAfterSeconds);
      // The same bounded pool as logins: a burst of password changes cannot take every hashing thread.
      const check = hashing.tryRun(() => verifyPassword(input.currentPassword, row.password_hash));
      if (!check) {
        await reserved.reservation.cancel();
        throw ERRORS.ServerBusy();
      }
      if (!(await check)) {
        await reserved.reservation.failed();
        await audit.record({ userId: user.id, action: 'password-change', decision: 'deny', reason: 'wrong current password' });
        throw ERRORS.WrongPassword();
      }
      await reserved.reservation.succeeded();
      if (input.newPassword === input.currentPassword) throw ERRORS.BadRequest('Choose a password different from the current one.');
      const hashed = hashing.tryRun(() => hashPassword(input.newPassword));
      if (!hashed) throw ERRORS.ServerBusy();
      await db
        .updateTable('users')
        .set({ password_hash: await hashed, must_change_password: 0 })
        .where('id', '=', user.id)
        .execute();
      const ended = await endOthers(user.id, currentIdHash);
      await audit.record({ userId: user.id, action: 'password-change', target: `${ended} other session(s) ended`, decision: 'allow' });
      return ended;
    },

    async listSessions(userId: string, currentIdHash: string): Promise<ProfileSession[]> {
      return (await sessionsOf(userId)).map((s) => ({
        id: sessionRef(s.id_hash),
        createdAt: new Date(Number(s.created_at)).toISOString(),
        lastSeenAt: new Date(Number(s.last_seen_at)).toISOString(),
        ip: s.ip,
        userAgent: s.user_agent,
        current: s.id_hash === currentIdHash,
      }));
    },

    async endSession(userId: string, currentIdHash: string, ref: string): Promise<void> {
      const target = (await sessionsOf(userId)).find((s) => sessionRef(s.id_hash) === ref);
      if (!target) throw ERRORS.NotFound('This session');
      if (target.id_hash === currentIdHash) throw ERRORS.BadRequest('This is the session you are using: log out instead.');
      await auth.endByHash(target.id_hash);
      await audit.record({ userId, action: 'session-end', target: ref, decision: 'allow' });
    },

    async endOtherSessions(userId: string, currentIdHash: string): Promise<number> {
      const ended = await endOthers(userId, currentIdHash);
      await audit.record({ userId, action: 'sessions-end-others', target: `${ended} session(s)`, decision: 'allow' });
      return ended;
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
