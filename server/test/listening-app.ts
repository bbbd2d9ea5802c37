import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Dialect } from '../db/database';
import { loadConfig, startPortal } from '../index';
import { addTestUsers, injectApi, injectLogin, TEST_PASSWORD, type TestApp } from './test-app';
import { createTestDatabaseUrl } from './test-database';

export interface ListeningApp extends TestApp {
  /** `http://127.0.0.1:<port>` of the real listener. */
  base: string;
  port: number;
  /** POST /api/session over a real connection, as if from `ip` (the app trusts one proxy hop). */
  loginFrom: (ip: string, username: string, password?: string) => Promise<Response>;
}

/**
 * The portal started through its entry (startPortal: database, admin account, secret key, listener)
 * on an ephemeral port, with users `alice` and `bob` added, trusting one proxy hop so tests can speak
 * for many client addresses through X-Forwarded-For, as a reverse proxy would.
 */
export async function createListeningApp(dialect: Dialect, env: Record<string, string> = {}): Promise<ListeningApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'courier-test-'));
  const database = await createTestDatabaseUrl(dialect);
  const config = loadConfig({
    COURIER_DATA_DIR: dataDir,
    COURIER_LOG_LEVEL: 'silent',
    COURIER_HOST: '127.0.0.1',
    COURIER_PORT: '0',
    COURIER_TRUST_PROXY: '1',
    DATABASE_URL: database.url,
    ...env,
  });
  const portal = await startPortal({ config, logger: false, trackerIntervalMs: 200 });
  await addTestUsers(portal.db);
  const base = `http://127.0.0.1:${portal.port}`;
  return {
    app: portal.app,
    db: portal.db,
    config,
    base,
    port: portal.port,
    close: async () => {
      await portal.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    login: (username, password) => injectLogin(portal.app, username, password),
    api: injectApi(portal.app),
    loginFrom: (ip, username, password = TEST_PASSWORD) =>
      fetch(`${base}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, origin: base },
        body: JSON.stringify({ username, password }),
      }),
  };
}

/** How many responses had each status, e.g. `{ 401: 5, 429: 25 }`. */
export function countStatuses(responses: Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}
