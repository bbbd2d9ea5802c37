import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../app';
import { loadConfig, type Config } from '../config';
import type { Db, Dialect } from '../db/database';
import { hashPassword } from '../features/auth/password';
import { createUsersRepository } from '../features/auth/users-repository';
import { createTestDatabase } from './test-database';
import type { NodeProcess } from '../../test-kit/courier-process';

export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * The stored hash of the test users' password: the production format (`scrypt$N$r$p$salt$hash`,
 * from which verifyPassword reads the cost) at N=2^10, p=1 rather than hashPassword's N=2^15, p=3,
 * so a test user's login costs ~2 ms of CPU instead of ~200 ms (most server tests log in several
 * times per test). What the portal hashes itself keeps the real cost: the admin account, share and
 * request passwords, passwords an admin or a user sets, and the decoy checked for an unknown
 * username, so the tests of hashing limits and of unknown names still run at production cost.
 */
export function testPasswordHash(password = TEST_PASSWORD): Promise<string> {
  return hashPassword(password, { N: 2 ** 10, r: 8, p: 1 });
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  close: () => Promise<void>;
  /** Logs in through the API; returns the cookie header and CSRF token to send back. */
  login: (username?: string, password?: string) => Promise<LoggedIn>;
  /** A call as `who` (session cookie and CSRF token): the status and the JSON answer (`{}` when empty). */
  api: (
    who: LoggedIn | ByToken,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) => Promise<{ status: number; json: ApiJson }>;
}

/** Who makes a call: what `login` returns. */
export type LoggedIn = { cookie: string; csrfToken: string };
/** A script calling with a personal API token (`Authorization: Bearer`), no cookie. */
export type ByToken = { bearer: string };
/** A portal answer as tests read it: an error's code and message, or the route's own fields. */
export type ApiJson = { code?: string; message?: string } & Record<string, unknown>;

/** A started node process as the portal's embedded node (`AppOptions.embeddedNode`). */
export const embeddedNodeOf = (node: NodeProcess): NonNullable<AppOptions['embeddedNode']> => ({
  url: node.url,
  username: node.username,
  secret: node.password,
  gatewayUrl: node.gatewayUrl,
});

/**
 * The portal built over a fresh database of `dialect`, with users `alice` (admin) and `bob`, for
 * tests through `app.inject`. It calls buildApp rather than startPortal: these tests inject what
 * the entry would load (a random secret key, the nodes health reports, a fast tracker) and need no
 * listener; createListeningApp runs the portal through its entry.
 */
export async function createTestApp(dialect: Dialect, env: Record<string, string> = {}, extra: Partial<AppOptions> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'courier-test-'));
  const config = loadConfig({ COURIER_DATA_DIR: dataDir, COURIER_LOG_LEVEL: 'silent', ...env });
  const { db, drop } = await createTestDatabase(dialect, dataDir);
  await addTestUsers(db);
  const app = await buildApp({ config, db, logger: false, secretKey: randomBytes(32), trackerIntervalMs: 200, ...extra });
  await app.ready();

  return {
    app,
    db,
    config,
    close: async () => {
      await app.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    login: (username, password) => injectLogin(app, username, password),
    api: injectApi(app),
  };
}

/** Users `alice` (admin) and `bob`, both with TEST_PASSWORD. */
export async function addTestUsers(db: Db): Promise<void> {
  const users = createUsersRepository(db);
  const passwordHash = await testPasswordHash();
  await users.create({ username: 'alice', displayName: 'Alice Admin', passwordHash, isAdmin: true });
  await users.create({ username: 'bob', displayName: 'Bob', passwordHash, isAdmin: false });
}

/** Creates a personal API token for the signed-in `who` (through the profile API); answers its secret. */
export async function createToken(
  app: FastifyInstance,
  who: LoggedIn,
  scopes: Array<'read' | 'transfer' | 'admin'>,
  name = scopes.join('+'),
): Promise<ByToken> {
  const r = await injectApi(app)(who, 'POST', '/api/profile/tokens', { name, scopes, expiresInDays: 7 });
  if (r.status !== 201) throw new Error(`token not created: ${r.status} ${JSON.stringify(r.json)}`);
  return { bearer: r.json.secret as string };
}

/** Logs in through the API; returns the cookie header and CSRF token to send back. */
export async function injectLogin(
  app: FastifyInstance,
  username = 'alice',
  password = TEST_PASSWORD,
): Promise<{ cookie: string; csrfToken: string }> {
  const response = await app.inject({ method: 'POST', url: '/api/session', payload: { username, password } });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'courier_session');
  return { cookie: `courier_session=${cookie!.value}`, csrfToken: response.json<{ csrfToken: string }>().csrfToken };
}

/** `TestApp.api` for `app`: a call through inject with the caller's cookie and CSRF token. */
export function injectApi(app: FastifyInstance): TestApp['api'] {
  return async (who, method, url, payload) => {
    const r = await app.inject({
      method,
      url,
      headers: 'bearer' in who ? { authorization: `Bearer ${who.bearer}` } : { cookie: who.cookie, 'x-csrf-token': who.csrfToken },
      ...(payload ? { payload } : {}),
    });
    const isJson = r.headers['content-type']?.toString().startsWith('application/json') ?? false;
    return { status: r.statusCode, json: (r.body && isJson ? r.json() : {}) as ApiJson };
  };
}

/** Runs the tracker's passes until the transfer's record has `status` (10 s at most). */
export async function waitForTransfer(t: Pick<TestApp, 'app' | 'db'>, transferId: string, status: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await t.app.courier.tracker.sync();
    const row = await t.db.selectFrom('transfers').select('status').where('id', '=', transferId).executeTakeFirst();
    if (row?.status === status) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`transfer ${transferId} never became ${status}`);
}
