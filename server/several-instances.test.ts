/**
 * Two portal instances on one PostgreSQL database, each with its own connection pool, as behind a
 * load balancer: what one instance decides, the other sees (sessions, logouts, login limits,
 * spaces and transfer records). The README's DATABASE_URL claim rests on this.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app';
import { loadConfig } from './config';
import { openDatabase, type Db } from './db/database';
import { hashPassword } from './features/auth/password';
import { createUsersRepository } from './features/auth/users-repository';
import { TEST_PASSWORD } from './test/test-app';
import { createTestDatabaseUrl } from './test/test-database';
import { startNodeProcess, type NodeProcess } from '../test-kit/courier-process';

describe('two portal instances on one PostgreSQL database', () => {
  let node: NodeProcess;
  let dataDir: string;
  let drop: () => Promise<void>;
  let first: Db;
  let second: Db;
  let a: FastifyInstance;
  let b: FastifyInstance;

  beforeAll(async () => {
    node = await startNodeProcess();
    dataDir = mkdtempSync(path.join(tmpdir(), 'courier-two-'));
    const database = await createTestDatabaseUrl('postgres');
    drop = database.drop;
    first = (await openDatabase({ databaseUrl: database.url, dataDir })).db;
    second = (await openDatabase({ databaseUrl: database.url, dataDir })).db;
    await createUsersRepository(first).create({
      username: 'alice',
      displayName: 'Alice',
      passwordHash: await hashPassword(TEST_PASSWORD),
      isAdmin: true,
    });
    // Both instances with the same settings and secret key, as an operator deploys them.
    const config = loadConfig({ COURIER_DATA_DIR: dataDir, COURIER_LOG_LEVEL: 'silent', COURIER_LOGIN_DELAY_STEP_SECONDS: '0' });
    const secretKey = randomBytes(32);
    const embeddedNode = { url: node.url, username: node.username, secret: node.password, gatewayUrl: node.gatewayUrl };
    a = await buildApp({ config, db: first, secretKey, embeddedNode, logger: false });
    b = await buildApp({ config, db: second, secretKey, embeddedNode, logger: false });
    await Promise.all([a.ready(), b.ready()]);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await first?.destroy();
    await second?.destroy();
    await drop?.();
    await node?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const login = (app: FastifyInstance, password = TEST_PASSWORD, ip = '192.0.2.1') =>
    app.inject({ method: 'POST', url: '/api/session', payload: { username: 'alice', password }, remoteAddress: ip });

  it('keeps a session made on one instance valid on the other, and a logout on either ends it on both', async () => {
    const made = await login(a);
    expect(made.statusCode).toBe(200);
    const cookie = `courier_session=${made.cookies.find((c) => c.name === 'courier_session')!.value}`;
    const csrf = made.json<{ csrfToken: string }>().csrfToken;
    expect((await b.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).json().user.username).toBe('alice');
    expect((await b.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, 'x-csrf-token': csrf } })).statusCode).toBe(204);
    expect((await a.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode).toBe(401);
  });

  it('counts wrong passwords sent to both instances at once against one limit', async () => {
    const guesses = await Promise.all(Array.from({ length: 16 }, (_, i) => login(i % 2 ? a : b, `wrong-${i}`, '192.0.2.9')));
    const statuses = guesses.map((g) => g.statusCode).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(11);
  });

  it('shows a space and a transfer authorized on one instance on the other', async () => {
    const made = await login(a, TEST_PASSWORD, '192.0.2.2');
    const headers = {
      cookie: `courier_session=${made.cookies.find((c) => c.name === 'courier_session')!.value}`,
      'x-csrf-token': made.json<{ csrfToken: string }>().csrfToken,
    };
    const space = await a.inject({
      method: 'POST',
      url: '/api/spaces',
      headers,
      payload: { name: `Shared ${randomBytes(3).toString('hex')}` },
    });
    expect(space.statusCode).toBe(201);
    const transfer = await a.inject({
      method: 'POST',
      url: '/api/transfers',
      headers,
      payload: { spaceId: space.json().id, direction: 'upload', folder: '/', files: [{ path: 'x.txt', size: 1 }] },
    });
    expect(transfer.statusCode).toBe(201);
    expect((await b.inject({ method: 'GET', url: '/api/spaces', headers })).json().spaces.map((s: { id: string }) => s.id)).toContain(
      space.json().id,
    );
    expect((await b.inject({ method: 'GET', url: `/api/transfers/${transfer.json().transfer.id}`, headers })).json().status).toBe(
      'authorized',
    );
  });
});
