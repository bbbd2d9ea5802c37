import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConcurrencyLimiter } from '../../lib/concurrency-limiter';
import { createServiceFixture, type ServiceFixture } from '../../test/service-fixture';
import { TEST_PASSWORD } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';
import { createApiTokensRepository } from '../api-tokens/api-tokens-repository';
import { createAuthService } from './auth-service';
import { createLoginThrottle } from './login-throttle';
import { createLoginThrottleRepository } from './login-throttle-repository';
import { createSessionsRepository, type SessionRow } from './sessions-repository';
import { createUsersRepository } from './users-repository';

// The auth service called directly over a real database (docs/reliability.md, "Mutation testing"):
// what a login stores, when a session is expired, and how a watched session ends.
const IDLE_S = 1800;
const ABSOLUTE_S = 43_200;
const IP = '192.0.2.10';

describe.each(DIALECTS)('auth service on %s', (dialect) => {
  let f: ServiceFixture;
  beforeEach(async () => {
    f = await createServiceFixture(dialect);
  });
  afterEach(() => {
    vi.useRealTimers();
    return f.close();
  });

  const sessions = () => createSessionsRepository(f.db);
  const throttleRepo = () => createLoginThrottleRepository(f.db);
  function service(options: { hashing?: ReturnType<typeof createConcurrencyLimiter>; maxFailures?: number } = {}) {
    const max = options.maxFailures ?? 5;
    return createAuthService({
      users: createUsersRepository(f.db),
      tokens: createApiTokensRepository(f.db),
      sessions: sessions(),
      throttle: createLoginThrottle(
        throttleRepo(),
        { maxFailuresPerAccountAndIp: max, maxFailuresPerIp: 50, maxFailuresPerAccount: 50, windowSeconds: 900, delayStepSeconds: 0 },
        f.audit,
      ),
      hashing: options.hashing ?? createConcurrencyLimiter({ concurrency: 2, maxQueued: 10 }),
      idleTimeoutSeconds: () => IDLE_S,
      absoluteTimeoutSeconds: ABSOLUTE_S,
    });
  }
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const failures = async (key: string) => (await throttleRepo().find(key))?.failures;

  /** A session row for bob as login would store it, `ago` ms old and last seen `seenAgo` ms ago. */
  async function storedSession(id: string, options: { ago?: number; seenAgo?: number; userId?: string } = {}): Promise<SessionRow> {
    const now = Date.now();
    const row: SessionRow = {
      id_hash: sha256(id),
      user_id: options.userId ?? f.bob.id,
      csrf_token: 'csrf-token-of-the-session',
      created_at: now - (options.ago ?? 0),
      last_seen_at: now - (options.seenAgo ?? 0),
      expires_at: now - (options.ago ?? 0) + ABSOLUTE_S * 1000,
      ip: IP,
      user_agent: null,
    };
    await sessions().insert(row);
    return row;
  }

  describe('login', () => {
    it('stores a session that ends 12 hours after login, under the hash of its id only', async () => {
      const before = Date.now();
      const { sessionId, session } = await service().login({ username: ' BOB ', password: TEST_PASSWORD, ip: IP, userAgent: 'UA/1' });
      const after = Date.now();
      expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(session.user).toEqual({ id: f.bob.id, username: 'bob', displayName: 'Bob', isAdmin: false });
      expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(session.csrfToken).not.toBe(sessionId);
      const stored = await sessions().find(sha256(sessionId));
      expect(stored).toEqual(session.row);
      expect(stored).toMatchObject({ user_id: f.bob.id, csrf_token: session.csrfToken, ip: IP, user_agent: 'UA/1' });
      const row = stored as SessionRow;
      expect(row.created_at).toBeGreaterThanOrEqual(before);
      expect(row.created_at).toBeLessThanOrEqual(after);
      expect(row.last_seen_at).toBe(row.created_at);
      expect(row.expires_at - row.created_at).toBe(ABSOLUTE_S * 1000);
      // A right password clears this address's count for the account.
      expect(await failures(`account-ip:bob|${IP}`)).toBeUndefined();
    });

    it('keeps at most 512 characters of the user agent, and none when there is none', async () => {
      const long = await service().login({ username: 'alice', password: TEST_PASSWORD, ip: IP, userAgent: 'u'.repeat(600) });
      expect(long.session.row.user_agent).toBe('u'.repeat(512));
      expect(long.session.user.isAdmin).toBe(true);
      const none = await service().login({ username: 'alice', password: TEST_PASSWORD, ip: IP, userAgent: undefined });
      expect((await sessions().find(sha256(none.sessionId)))?.user_agent).toBeNull();
    });

    it('answers a wrong password and an unknown user alike, and counts both', async () => {
      const auth = service();
      const invalid = expect.objectContaining({ statusCode: 401, code: 'INVALID_CREDENTIALS' });
      await expect(auth.login({ username: 'bob', password: 'wrong', ip: IP, userAgent: undefined })).rejects.toThrow(invalid);
      await expect(auth.login({ username: 'nobody', password: TEST_PASSWORD, ip: IP, userAgent: undefined })).rejects.toThrow(invalid);
      expect(await failures(`account-ip:bob|${IP}`)).toBe(1);
      expect(await failures(`account-ip:nobody|${IP}`)).toBe(1);
      expect(await f.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
    });

    it('refuses with the wait once the account is locked from this address, before checking the password', async () => {
      const auth = service({ maxFailures: 1 });
      await expect(auth.login({ username: 'bob', password: 'wrong', ip: IP, userAgent: undefined })).rejects.toThrow();
      const locked = auth.login({ username: 'bob', password: TEST_PASSWORD, ip: IP, userAgent: undefined });
      await expect(locked).rejects.toThrow(expect.objectContaining({ statusCode: 429, code: 'TOO_MANY_ATTEMPTS' }));
      const error = (await locked.catch((e: unknown) => e)) as { extra: { retryAfterSeconds: number } };
      expect(error.extra.retryAfterSeconds).toBeGreaterThan(890);
      expect(error.extra.retryAfterSeconds).toBeLessThanOrEqual(900);
    });

    it('says "busy" when no password hash may start, and gives the attempt back', async () => {
      const hashing = createConcurrencyLimiter({ concurrency: 1, maxQueued: 0 });
      let release = () => {};
      const blocker = hashing.tryRun(() => new Promise<void>((resolve) => (release = resolve)));
      await expect(service({ hashing }).login({ username: 'bob', password: TEST_PASSWORD, ip: IP, userAgent: undefined })).rejects.toThrow(
        expect.objectContaining({ statusCode: 503, code: 'SERVER_BUSY' }),
      );
      release();
      await blocker;
      expect(await failures(`account-ip:bob|${IP}`)).toBe(0);
      expect(await failures(`ip:${IP}`)).toBe(0);
    });
  });

  describe('resolve', () => {
    it('finds an active session by its id', async () => {
      const row = await storedSession('sid-1');
      const resolved = await service().resolve('sid-1');
      expect(resolved).toEqual({
        state: 'active',
        session: {
          user: { id: f.bob.id, username: 'bob', displayName: 'Bob', isAdmin: false },
          row,
          csrfToken: row.csrf_token,
          // The earlier of its absolute end and the idle timeout from when it was last seen.
          endsAt: Math.min(row.expires_at, row.last_seen_at + IDLE_S * 1000),
          passwordChangeRequired: false,
        },
      });
    });

    it('knows no session for no id, an unknown id, or an id longer than 128 characters', async () => {
      await storedSession('x'.repeat(129));
      await storedSession('y'.repeat(128));
      const auth = service();
      expect(await auth.resolve(undefined)).toEqual({ state: 'unknown' });
      expect(await auth.resolve('')).toEqual({ state: 'unknown' });
      expect(await auth.resolve('not-a-session')).toEqual({ state: 'unknown' });
      expect(await auth.resolve('x'.repeat(129))).toEqual({ state: 'unknown' });
      expect((await auth.resolve('y'.repeat(128))).state).toBe('active');
    });

    it('expires a session at its absolute end and after the idle timeout, and deletes it', async () => {
      const row = await storedSession('sid-old');
      const auth = service();
      expect((await auth.resolve('sid-old', row.expires_at - 1)).state).toBe('expired'); // idle long before
      const fresh = await storedSession('sid-2');
      expect((await auth.resolve('sid-2', fresh.last_seen_at + IDLE_S * 1000 - 1)).state).toBe('active');
      expect((await auth.resolve('sid-2', fresh.last_seen_at + IDLE_S * 1000 * 2)).state).toBe('expired');
      expect(await sessions().find(row.id_hash)).toBeUndefined();
      expect(await sessions().find(fresh.id_hash)).toBeUndefined();
      // The absolute end counts even for a session in constant use.
      const used = await storedSession('sid-3', { ago: ABSOLUTE_S * 1000 - 1000 });
      expect((await auth.resolve('sid-3', used.expires_at - 1)).state).toBe('active');
      expect((await auth.resolve('sid-3', used.expires_at)).state).toBe('expired');
    });

    it('expires exactly at the idle timeout', async () => {
      const row = await storedSession('sid-idle');
      expect((await service().resolve('sid-idle', row.last_seen_at + IDLE_S * 1000)).state).toBe('expired');
    });

    it('records use at most once a minute', async () => {
      const row = await storedSession('sid-touch');
      const auth = service();
      const tenth = 60_000;
      await auth.resolve('sid-touch', row.last_seen_at + tenth - 1);
      expect((await sessions().find(row.id_hash))?.last_seen_at).toBe(row.last_seen_at);
      await auth.resolve('sid-touch', row.last_seen_at + tenth);
      expect((await sessions().find(row.id_hash))?.last_seen_at).toBe(row.last_seen_at + tenth);
    });

    it('records use every tenth of a short idle timeout', async () => {
      const auth = createAuthService({
        users: createUsersRepository(f.db),
        tokens: createApiTokensRepository(f.db),
        sessions: sessions(),
        throttle: createLoginThrottle(
          throttleRepo(),
          { maxFailuresPerAccountAndIp: 5, maxFailuresPerIp: 5, maxFailuresPerAccount: 5, windowSeconds: 900, delayStepSeconds: 0 },
          f.audit,
        ),
        hashing: createConcurrencyLimiter({ concurrency: 1, maxQueued: 1 }),
        idleTimeoutSeconds: () => 100,
        absoluteTimeoutSeconds: ABSOLUTE_S,
      });
      const row = await storedSession('sid-short');
      await auth.resolve('sid-short', row.last_seen_at + 9_999);
      expect((await sessions().find(row.id_hash))?.last_seen_at).toBe(row.last_seen_at);
      await auth.resolve('sid-short', row.last_seen_at + 10_000);
      expect((await sessions().find(row.id_hash))?.last_seen_at).toBe(row.last_seen_at + 10_000);
    });

    it('knows no session whose user was deleted', async () => {
      await storedSession('sid-gone', { userId: f.carol.id });
      await f.db.deleteFrom('users').where('id', '=', f.carol.id).execute();
      expect(await service().resolve('sid-gone')).toEqual({ state: 'unknown' });
    });
  });

  describe('logout and watch', () => {
    it('logout deletes the session and ends its watchers at once, each once', async () => {
      const row = await storedSession('sid-w');
      const auth = service();
      const ended: string[] = [];
      auth.watch(row, () => ended.push('first'));
      auth.watch(row, () => ended.push('second'));
      const stop = auth.watch(row, () => ended.push('stopped'));
      stop();
      await auth.logout('sid-w');
      expect(ended.sort()).toEqual(['first', 'second']);
      expect(await sessions().find(row.id_hash)).toBeUndefined();
      await storedSession('sid-w');
      await auth.logout('sid-w');
      expect(ended).toHaveLength(2);
    });

    it('a logout of another session does not end this one', async () => {
      const row = await storedSession('sid-a');
      await storedSession('sid-b');
      const auth = service();
      let ended = false;
      const stop = auth.watch(row, () => (ended = true));
      await auth.logout('sid-b');
      expect(ended).toBe(false);
      stop();
    });

    it('ends a watched session that is already past its idle end when it is first re-read', async () => {
      const row = await storedSession('sid-idle', { seenAgo: IDLE_S * 1000 + 1 });
      await new Promise<void>((resolve) => service().watch(row, resolve));
      expect(await sessions().find(row.id_hash)).toBeDefined(); // watching ends, it does not delete
    });

    it('notices a logout on another instance when it re-reads, every 15 s', async () => {
      const row = await storedSession('sid-elsewhere');
      const repository = sessions();
      let reads = 0;
      const counted = { ...repository, find: (idHash: string) => repository.find(idHash).finally(() => (reads += 1)) };
      const auth = createAuthService({
        users: createUsersRepository(f.db),
        tokens: createApiTokensRepository(f.db),
        sessions: counted,
        throttle: createLoginThrottle(
          throttleRepo(),
          { maxFailuresPerAccountAndIp: 5, maxFailuresPerIp: 5, maxFailuresPerAccount: 5, windowSeconds: 900, delayStepSeconds: 0 },
          f.audit,
        ),
        hashing: createConcurrencyLimiter({ concurrency: 1, maxQueued: 1 }),
        idleTimeoutSeconds: () => IDLE_S,
        absoluteTimeoutSeconds: ABSOLUTE_S,
      });
      // Fake time also follows real time (the PostgreSQL pool has timers of its own), and
      // setImmediate stays real, so the database answers between fake timer steps.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
      const settle = async (done: () => boolean) => {
        const giveUp = Date.now() + 5000;
        while (!done() && Date.now() < giveUp) await new Promise((resolve) => setImmediate(resolve));
      };
      let ended = 0;
      auth.watch(row, () => (ended += 1));
      await vi.advanceTimersByTimeAsync(15_000);
      await settle(() => reads === 1);
      expect(reads).toBe(1);
      expect(ended).toBe(0); // still there: watched on
      await repository.delete(row.id_hash);
      await vi.advanceTimersByTimeAsync(14_000);
      expect(reads).toBe(1);
      await vi.advanceTimersByTimeAsync(1000);
      await settle(() => ended > 0);
      expect(reads).toBe(2);
      expect(ended).toBe(1);
      await vi.advanceTimersByTimeAsync(30_000);
      expect(reads).toBe(2);
    });
  });

  describe('personal API tokens', () => {
    const SECRET = `courier_pat_${'A'.repeat(43)}`;
    async function storedToken(options: { expiresIn?: number; userId?: string } = {}) {
      const now = Date.now();
      await createApiTokensRepository(f.db).insert({
        id: 'token-1',
        user_id: options.userId ?? f.bob.id,
        name: 'script',
        secret_hash: sha256(SECRET),
        scopes: 'read,transfer',
        created_at: now,
        expires_at: now + (options.expiresIn ?? 86_400_000),
        last_used_at: null,
      });
    }

    it('resolves a token to its user and scopes, never as an admin without the admin scope', async () => {
      await storedToken({ userId: f.alice.id });
      const resolved = await service().resolveToken(SECRET);
      if (resolved.state !== 'active') throw new Error(`not active: ${resolved.state}`);
      expect(resolved.session.user).toMatchObject({ id: f.alice.id, isAdmin: false });
      expect(resolved.session.token).toEqual({ id: 'token-1', scopes: ['read', 'transfer'] });
      expect(resolved.session.endsAt).toBe(resolved.session.row.expires_at);
      expect(await service().resolveToken(`${SECRET}x`)).toEqual({ state: 'unknown' });
      expect(await service().resolveToken(SECRET.replace('courier_pat_', 'other_pat_'))).toEqual({ state: 'unknown' });
      await f.db
        .updateTable('api_tokens')
        .set({ expires_at: Date.now() - 1 })
        .execute();
      expect(await service().resolveToken(SECRET)).toEqual({ state: 'expired' });
    });

    it("a token's event stream outlives the idle timeout, and ends when the token is revoked", async () => {
      await storedToken();
      const auth = createAuthService({
        users: createUsersRepository(f.db),
        tokens: createApiTokensRepository(f.db),
        sessions: sessions(),
        throttle: createLoginThrottle(
          throttleRepo(),
          { maxFailuresPerAccountAndIp: 5, maxFailuresPerIp: 5, maxFailuresPerAccount: 5, windowSeconds: 900, delayStepSeconds: 0 },
          f.audit,
        ),
        hashing: createConcurrencyLimiter({ concurrency: 1, maxQueued: 1 }),
        idleTimeoutSeconds: () => 1,
        absoluteTimeoutSeconds: ABSOLUTE_S,
      });
      const resolved = await auth.resolveToken(SECRET);
      if (resolved.state !== 'active') throw new Error('not active');
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
      const settle = async (done: () => boolean) => {
        const giveUp = Date.now() + 2000;
        while (!done() && Date.now() < giveUp) await new Promise((resolve) => setImmediate(resolve));
      };
      let ended = 0;
      auth.watch(resolved.session.row, () => (ended += 1));
      // A session idle for 1 s would have ended; the token is re-read after 15 s and goes on.
      await vi.advanceTimersByTimeAsync(15_000);
      await settle(() => ended > 0);
      expect(ended).toBe(0);
      auth.tokenRevoked('token-1');
      expect(ended).toBe(1);

      // Revoked on another instance: noticed at the next re-read.
      let endedElsewhere = 0;
      auth.watch(resolved.session.row, () => (endedElsewhere += 1));
      await f.db.deleteFrom('api_tokens').execute();
      await vi.advanceTimersByTimeAsync(15_000);
      await settle(() => endedElsewhere > 0);
      expect(endedElsewhere).toBe(1);
    });
  });

  it('accepts only the exact CSRF token of the session', async () => {
    const row = await storedSession('sid-csrf');
    const resolved = await service().resolve('sid-csrf');
    if (resolved.state !== 'active') throw new Error('not active');
    const auth = service();
    expect(auth.isValidCsrfToken(resolved.session, row.csrf_token)).toBe(true);
    expect(auth.isValidCsrfToken(resolved.session, undefined)).toBe(false);
    expect(auth.isValidCsrfToken(resolved.session, '')).toBe(false);
    expect(auth.isValidCsrfToken(resolved.session, `${row.csrf_token}x`)).toBe(false);
    expect(auth.isValidCsrfToken(resolved.session, row.csrf_token.replace(/.$/, 'X'))).toBe(false);
  });

  it('purges sessions ended more than a day ago, and keeps those that ended since', async () => {
    const day = 86_400_000;
    const old = await storedSession('sid-old', { ago: ABSOLUTE_S * 1000 + day + 60_000, seenAgo: day + IDLE_S * 1000 + 60_000 });
    const idleOld = await storedSession('sid-idle-old', { seenAgo: day + IDLE_S * 1000 + 60_000 });
    const recent = await storedSession('sid-recent', { ago: ABSOLUTE_S * 1000 + 1000, seenAgo: IDLE_S * 1000 + 1000 });
    const idleRecent = await storedSession('sid-idle-recent', { seenAgo: day + IDLE_S * 1000 - 60_000 });
    await service().purgeEnded();
    expect(await sessions().find(old.id_hash)).toBeUndefined();
    expect(await sessions().find(idleOld.id_hash)).toBeUndefined();
    expect(await sessions().find(recent.id_hash)).toBeDefined();
    expect(await sessions().find(idleRecent.id_hash)).toBeDefined();
  });
});
