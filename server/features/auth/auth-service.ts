import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { API_TOKEN_PREFIX, tokenScopeSchema, type TokenScope } from '../../../contract/api-tokens';
import type { User } from '../../../contract/session';
import type { ApiTokenRow, ApiTokensRepository } from '../api-tokens/api-tokens-repository';
import { ERRORS } from '../../errors';
import type { ConcurrencyLimiter } from '../../lib/concurrency-limiter';
import type { LoginThrottle } from './login-throttle';
import { decoyPasswordHash, verifyPassword } from './password';
import type { SessionRow, SessionsRepository } from './sessions-repository';
import { usernameKey, type UserRow, type UsersRepository } from './users-repository';

export interface AuthServiceOptions {
  users: UsersRepository;
  sessions: SessionsRepository;
  /** Personal API tokens, accepted as `Authorization: Bearer` (docs/api-tokens.md §3). */
  tokens: ApiTokensRepository;
  throttle: LoginThrottle;
  /** Bounds the password hashes computed at once (see COURIER_LOGIN_HASH_CONCURRENCY). */
  hashing: ConcurrencyLimiter;
  /** Read on every use: an admin changes it at run time (server/features/settings/runtime-settings.ts). */
  idleTimeoutSeconds: () => number;
  absoluteTimeoutSeconds: number;
  /**
   * Whether password login is for admins only (docs/oidc.md §5): true while an identity provider is
   * configured and an admin turned the local form off. Read at every login.
   */
  adminsOnlyPasswordLogin?: () => boolean;
}

export interface ActiveSession {
  user: User;
  row: SessionRow;
  csrfToken: string;
  /** When (epoch ms) the session ends unless used again: idle or absolute, whichever is first. */
  endsAt: number;
  /**
   * Set when the caller sent a personal API token instead of a cookie: `row` then stands for the
   * token (its id_hash is tokenRowKey(id), its expires_at the token's, its csrf_token empty) and
   * `user.isAdmin` is true only with the `admin` scope (docs/api-tokens.md §3).
   */
  token?: { id: string; scopes: TokenScope[] };
  /** The user's password is a one-time password set by an admin: only changing it is allowed. */
  passwordChangeRequired: boolean;
}

export type ResolvedSession = { state: 'active'; session: ActiveSession } | { state: 'expired' } | { state: 'unknown' };

// A token's use is written at most this often: a script's every call would otherwise be a write.
const TOKEN_TOUCH_INTERVAL_MS = 60_000;
const TOKEN_ROW_PREFIX = 'pat:';

/** The id_hash of the row standing for API token `id`; a session's is hex, so the two never meet. */
export const tokenRowKey = (id: string) => `${TOKEN_ROW_PREFIX}${id}`;
const isTokenRow = (row: SessionRow) => row.id_hash.startsWith(TOKEN_ROW_PREFIX);

/** The SHA-256 (hex) kept of a token: the secret has 256 random bits, so no slow hash is needed. */
export const hashTokenSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function parseTokenScopes(stored: string): TokenScope[] {
  return stored.split(',').flatMap((s) => {
    const parsed = tokenScopeSchema.safeParse(s);
    return parsed.success ? [parsed.data] : [];
  });
}

// How often a watched session (an open event stream) is re-read, to notice a logout on another
// portal instance; a logout here and the session's own expiry time end it without waiting for this.
const WATCH_RECHECK_MS = 15_000;

export function createAuthService(options: AuthServiceOptions) {
  const { users, sessions, tokens, throttle, hashing } = options;
  const idleMs = () => options.idleTimeoutSeconds() * 1000;
  const absoluteMs = options.absoluteTimeoutSeconds * 1000;
  // Writing last_seen_at on every request would make each read a write. A tenth of the idle timeout
  // (at most a minute) keeps the slack small next to it, so a short idle timeout does not end
  // sessions in use: with a fixed minute, a 30 s timeout expired active sessions.
  const touchIntervalMs = () => Math.min(60_000, idleMs() / 10);
  // A token has no idle timeout: it lasts until it expires or is revoked.
  const endsAt = (row: SessionRow) => (isTokenRow(row) ? row.expires_at : Math.min(row.expires_at, row.last_seen_at + idleMs()));
  const watchers = new Map<string, Set<() => void>>();

  /** Ends a session known by its stored hash (a person signing out one of their other sessions). */
  async function endByHash(idHash: string): Promise<void> {
    await sessions.delete(idHash);
    for (const ended of [...(watchers.get(idHash) ?? [])]) ended();
  }

  /** The row a watch re-reads: the session, or for a token the row standing for it while it is valid. */
  async function currentRow(row: SessionRow): Promise<SessionRow | undefined> {
    if (!isTokenRow(row)) return sessions.find(row.id_hash);
    const token = await tokens.findById(row.id_hash.slice(TOKEN_ROW_PREFIX.length));
    const user = token && (await users.findById(token.user_id));
    return token && user && user.disabled === 0 ? tokenRow(token, row.last_seen_at) : undefined;
  }

  function tokenRow(token: ApiTokenRow, now: number): SessionRow {
    return {
      id_hash: tokenRowKey(token.id),
      user_id: token.user_id,
      csrf_token: '',
      created_at: token.created_at,
      last_seen_at: now,
      expires_at: token.expires_at,
      ip: null,
      user_agent: null,
    };
  }

  /** A new session for `user`, who proved who they are (a password, or an identity provider's sign-in). */
  async function startSession(user: UserRow, input: { ip: string; userAgent: string | undefined }) {
    const sessionId = randomBytes(32).toString('base64url');
    const now = Date.now();
    const row: SessionRow = {
      id_hash: hashId(sessionId),
      user_id: user.id,
      csrf_token: randomBytes(32).toString('base64url'),
      created_at: now,
      last_seen_at: now,
      expires_at: now + absoluteMs,
      ip: input.ip,
      user_agent: input.userAgent?.slice(0, 512) ?? null,
    };
    await sessions.insert(row);
    const session: ActiveSession = {
      user: toUser(user),
      row,
      csrfToken: row.csrf_token,
      endsAt: endsAt(row),
      passwordChangeRequired: user.must_change_password === 1,
    };
    return { sessionId, session };
  }

  const hashId = (sessionId: string) => createHash('sha256').update(sessionId).digest('hex');

  return {
    async login(input: { username: string; password: string; ip: string; userAgent: string | undefined }) {
      const account = usernameKey(input.username);
      // The attempt is counted before the password is checked, so a burst cannot outrun the count.
      const reserved = await throttle.reserve(account, input.ip);
      if ('retryAfterSeconds' in reserved) throw ERRORS.TooManyAttempts(reserved.retryAfterSeconds);
      const { reservation } = reserved;

      let user: UserRow | undefined;
      let ok: boolean;
      try {
        user = await users.findByUsername(account);
        const known = user?.password_hash;
        const check = hashing.tryRun(async () => verifyPassword(input.password, known ?? (await decoyPasswordHash())));
        if (!check) throw ERRORS.ServerBusy();
        ok = await check;
      } catch (error) {
        await reservation.cancel();
        throw error;
      }
      if (!user || !ok) {
        await reservation.failed();
        throw ERRORS.InvalidCredentials();
      }
      await reservation.succeeded();
      // Told only to someone who knows the password: to anyone else it is a wrong password.
      if (user.disabled === 1) throw ERRORS.AccountDisabled();
      // Admins always keep the password, so that no setting or IdP outage can lock them out.
      if (user.is_admin !== 1 && options.adminsOnlyPasswordLogin?.()) throw ERRORS.LocalLoginOff();

      return startSession(user, input);
    },

    startSession,

    /** The session behind a cookie; `touch: false` reads it without counting the request as use. */
    async resolve(sessionId: string | undefined, now = Date.now(), { touch = true } = {}): Promise<ResolvedSession> {
      if (!sessionId || sessionId.length > 128) return { state: 'unknown' };
      const row = await sessions.find(hashId(sessionId));
      if (!row) return { state: 'unknown' };
      if (now >= row.expires_at || now - row.last_seen_at >= idleMs()) {
        await sessions.delete(row.id_hash);
        return { state: 'expired' };
      }
      const user = await users.findById(row.user_id);
      if (!user || user.disabled === 1) return { state: 'unknown' };
      const touched = touch && now - row.last_seen_at >= touchIntervalMs();
      if (touched) await sessions.touch(row.id_hash, now);
      const seen = touched ? { ...row, last_seen_at: now } : row;
      return {
        state: 'active',
        session: {
          user: toUser(user),
          row: seen,
          csrfToken: row.csrf_token,
          endsAt: endsAt(seen),
          passwordChangeRequired: user.must_change_password === 1,
        },
      };
    },

    /**
     * The caller of a request bearing a personal API token (docs/api-tokens.md §3): unknown (never
     * issued, revoked, its user deleted or disabled) or expired, or active as a session-like
     * principal with the token's scopes. Use is recorded at most once a minute.
     */
    async resolveToken(secret: string, now = Date.now()): Promise<ResolvedSession> {
      if (!secret.startsWith(API_TOKEN_PREFIX) || secret.length > 128) return { state: 'unknown' };
      const token = await tokens.findBySecretHash(hashTokenSecret(secret));
      if (!token) return { state: 'unknown' };
      if (now >= token.expires_at) return { state: 'expired' };
      const user = await users.findById(token.user_id);
      if (!user || user.disabled === 1) return { state: 'unknown' };
      if (token.last_used_at === null || now - token.last_used_at >= TOKEN_TOUCH_INTERVAL_MS) await tokens.touch(token.id, now);
      const scopes = parseTokenScopes(token.scopes);
      const row = tokenRow(token, now);
      return {
        state: 'active',
        session: {
          // Without the admin scope an admin's token acts as a member: admins manage every space.
          user: { ...toUser(user), isAdmin: user.is_admin === 1 && scopes.includes('admin') },
          row,
          csrfToken: '',
          endsAt: token.expires_at,
          // A reset password stops the user's tokens too until they choose their own (the auth hook refuses).
          passwordChangeRequired: user.must_change_password === 1,
          token: { id: token.id, scopes },
        },
      };
    },

    /** Ends the event streams a revoked token opened, at once rather than at their next re-read. */
    tokenRevoked(id: string): void {
      for (const ended of [...(watchers.get(tokenRowKey(id)) ?? [])]) ended();
    },

    async logout(sessionId: string): Promise<void> {
      await endByHash(hashId(sessionId));
    },

    /** Ends every session of a user at once, open event streams too (disabled, password reset, deleted). */
    async endSessionsOf(userId: string): Promise<number> {
      const ended = await sessions.deleteForUser(userId);
      for (const idHash of ended) for (const stop of [...(watchers.get(idHash) ?? [])]) stop();
      return ended.length;
    },

    endByHash,

    /**
     * Calls `onEnd` once when the session ends: logged out here at once; expired (idle or absolute)
     * or logged out on another instance when next re-read. Watching does not count as use, so an
     * open event stream alone does not keep a session alive. A token's row ends when the token is
     * revoked here at once, or when it expires, is revoked elsewhere or its user is disabled, when
     * next re-read. Returns a function that stops watching.
     */
    watch(row: SessionRow, onEnd: () => void): () => void {
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;
      const stop = () => {
        stopped = true;
        clearTimeout(timer);
        const set = watchers.get(row.id_hash);
        set?.delete(ended);
        if (set?.size === 0) watchers.delete(row.id_hash);
      };
      function ended() {
        if (stopped) return;
        stop();
        onEnd();
      }
      const schedule = (current: SessionRow) => {
        if (stopped) return;
        timer = setTimeout(
          () => void check().catch(() => schedule(current)),
          Math.max(0, Math.min(WATCH_RECHECK_MS, endsAt(current) - Date.now())),
        );
        timer.unref();
      };
      const check = async () => {
        const current = await currentRow(row);
        if (!current || Date.now() >= endsAt(current)) ended();
        else schedule(current);
      };
      watchers.set(row.id_hash, (watchers.get(row.id_hash) ?? new Set()).add(ended));
      schedule(row);
      return stop;
    },

    isValidCsrfToken(session: ActiveSession, token: string | undefined): boolean {
      if (!token) return false;
      const a = Buffer.from(token);
      const b = Buffer.from(session.csrfToken);
      return a.length === b.length && timingSafeEqual(a, b);
    },

    async purgeEnded(): Promise<void> {
      // Keep ended sessions a day so a returning browser hears "expired" rather than "not logged in".
      const before = Date.now() - 86_400_000;
      await sessions.purgeEndedBefore(before, before - idleMs());
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, displayName: row.display_name, isAdmin: row.is_admin === 1 };
}
