import type { AddressInfo } from 'node:net';
import type { AppOptions } from '../app';
import type { Dialect } from '../db/database';
import { createTestApp, TEST_PASSWORD, type TestApp } from './test-app';

export interface ListeningApp extends TestApp {
  /** `http://127.0.0.1:<port>` of the real listener. */
  base: string;
  port: number;
  /** POST /api/session over a real connection, as if from `ip` (the app trusts one proxy hop). */
  loginFrom: (ip: string, username: string, password?: string) => Promise<Response>;
}

/**
 * The portal on a real socket, trusting one proxy hop so tests can speak for many client addresses
 * through X-Forwarded-For, as a reverse proxy would.
 */
export async function createListeningApp(dialect: Dialect, env: Record<string, string> = {}, extra: Partial<AppOptions> = {}): Promise<ListeningApp> {
  const t = await createTestApp(dialect, { COURIER_TRUST_PROXY: '1', ...env }, extra);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (t.app.server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    ...t,
    base,
    port,
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
