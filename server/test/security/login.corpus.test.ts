import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { countStatuses, createListeningApp, type ListeningApp } from '../listening-app';
import { openRawSocket } from '../raw-socket';
import { DIALECTS } from '../test-database';

/**
 * The portal's hostile-input corpus for login and sessions (issue 10, items 2, 3, 7 and 11): each
 * case is one attack against a listening portal and the outcome it must get. A case that regresses
 * names the attack.
 */
const ATTACKER = '203.0.113.7';
const OWNER = '198.51.100.1';

type Case = {
  attack: string;
  env?: Record<string, string>;
  /** The case waits on the portal's clock (a timeout) rather than computing: it runs alongside the other such cases. */
  waits?: true;
  run: (app: ListeningApp) => Promise<unknown>;
  expected: unknown;
};

const burst = (n: number, attempt: (i: number) => Promise<Response>) => Promise.all(Array.from({ length: n }, (_, i) => attempt(i)));
const statusOf = async (response: Promise<Response>) => (await response).status;
const post = (app: ListeningApp, headers: Record<string, string>, body: unknown) =>
  fetch(`${app.base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: app.base, ...headers },
    body: JSON.stringify(body),
  });
const adminHeaders = async (app: ListeningApp) => {
  const admin = await app.login('alice');
  return { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, origin: app.base };
};
const streamEnds = async (response: Response, ms: number) => {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const deadline = new Promise<false>((resolve) => setTimeout(() => resolve(false), ms).unref());
  const ended = (async () => {
    for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) return true;
  })();
  const result = await Promise.race([ended, deadline]);
  if (!result) await reader.cancel().catch(() => undefined);
  return result;
};
const slowClientClosed = async (app: ListeningApp, write: (s: Socket) => void) => {
  const c = await openRawSocket(app.port);
  write(c.socket);
  const drip = setInterval(() => !c.closed() && c.socket.write(' '), 300);
  try {
    return await c.closedWithin(10_000).then(
      () => true,
      () => false,
    );
  } finally {
    clearInterval(drip);
    c.socket.destroy();
  }
};
// The shortest request timeout there is: the drip above stays well inside it, so only a limit on
// the whole request (not one on silence) closes the slow clients.
const SLOW = { COURIER_REQUEST_TIMEOUT_SECONDS: '1' };
const NO_DELAY = { COURIER_LOGIN_DELAY_STEP_SECONDS: '0' };

const cases: Case[] = [
  {
    attack: '30 concurrent wrong passwords for one account from one address',
    env: NO_DELAY,
    run: async (a) => countStatuses(await burst(30, () => a.loginFrom(ATTACKER, 'alice', 'guess'))),
    expected: { 401: 5, 429: 25 },
  },
  {
    attack: 'the right password from the guessing address after the burst',
    env: NO_DELAY,
    run: async (a) => (await burst(30, () => a.loginFrom(ATTACKER, 'alice', 'guess')), statusOf(a.loginFrom(ATTACKER, 'alice'))),
    expected: 429,
  },
  {
    attack: 'lock DoS: a burst against alice, alice logs in from her own address',
    env: NO_DELAY,
    run: async (a) => (await burst(30, () => a.loginFrom(ATTACKER, 'alice', 'guess')), statusOf(a.loginFrom(OWNER, 'alice'))),
    expected: 200,
  },
  {
    attack: 'lock DoS on the admin account: admin logs in from another address',
    run: async (a) => (await burst(50, () => a.loginFrom(ATTACKER, 'alice', 'guess')), statusOf(a.loginFrom(OWNER, 'alice'))),
    expected: 200,
  },
  {
    attack: '40 concurrent guesses from one address for 40 usernames (spraying)',
    env: NO_DELAY,
    run: async (a) => countStatuses(await burst(40, (i) => a.loginFrom(ATTACKER, `user${i}`, 'Winter2025!'))),
    expected: { 401: 20, 429: 20 },
  },
  {
    attack: '30 addresses guessing one account (distributed), overall cap 10',
    env: { ...NO_DELAY, COURIER_LOGIN_MAX_FAILURES_PER_ACCOUNT: '10' },
    run: async (a) => countStatuses(await burst(30, (i) => a.loginFrom(`192.0.2.${i + 1}`, 'bob', 'guess'))),
    expected: { 401: 10, 429: 20 },
  },
  {
    attack: 'rotating X-Forwarded-For when no proxy is trusted',
    env: { ...NO_DELAY, COURIER_TRUST_PROXY: 'false' },
    run: async (a) =>
      countStatuses(await burst(30, (i) => post(a, { 'x-forwarded-for': `10.9.${i}.1` }, { username: 'bob', password: 'guess' }))),
    expected: { 401: 5, 429: 25 },
  },
  {
    attack: 'forged X-Forwarded-For entries in front of the one trusted proxy hop',
    env: NO_DELAY,
    run: async (a) =>
      countStatuses(
        await burst(30, (i) => post(a, { 'x-forwarded-for': `10.9.${i}.1, ${ATTACKER}` }, { username: 'bob', password: 'guess' })),
      ),
    expected: { 401: 5, 429: 25 },
  },
  {
    attack: 'case and whitespace variants of one username to get more guesses',
    env: NO_DELAY,
    run: async (a) => countStatuses(await burst(30, (i) => a.loginFrom(ATTACKER, ['bob', 'BOB', ' Bob ', 'bOb\t'][i % 4]!, 'guess'))),
    expected: { 401: 5, 429: 25 },
  },
  {
    attack: 'NFC and NFD spellings of one username',
    env: NO_DELAY,
    run: async (a) => countStatuses(await burst(10, (i) => a.loginFrom(ATTACKER, i % 2 ? 'ma\u0301ria' : 'm\u00e1ria', 'guess'))),
    expected: { 401: 5, 429: 5 },
  },
  {
    attack: 'a burst against an unknown username (does locking reveal who exists?)',
    env: NO_DELAY,
    run: async (a) => countStatuses(await burst(30, () => a.loginFrom(ATTACKER, 'nobody-here', 'guess'))),
    expected: { 401: 5, 429: 25 },
  },
  {
    attack: 'a username shaped like a throttle key ("bob|<owner address>") to lock bob',
    env: NO_DELAY,
    run: async (a) => (await burst(30, () => a.loginFrom(ATTACKER, `bob|${OWNER}`, 'guess')), statusOf(a.loginFrom(OWNER, 'bob'))),
    expected: 200,
  },
  {
    attack: 'three quick wrong passwords in a row (progressive delay)',
    run: async (a) => {
      for (let i = 0; i < 2; i++) await a.loginFrom(ATTACKER, 'bob', 'guess');
      const r = await a.loginFrom(ATTACKER, 'bob', 'guess');
      return [r.status, r.headers.get('retry-after')];
    },
    expected: [429, '1'],
  },
  {
    attack: '40 concurrent logins from 40 addresses to exhaust the hashing threads',
    env: { COURIER_LOGIN_HASH_QUEUE: '8' },
    run: async (a) => {
      const c = countStatuses(await burst(40, (i) => a.loginFrom(`192.0.2.${i + 1}`, `user${i}`, 'guess')));
      return { peak: a.app.courier.loginHashing.stats().peakRunning, someBusy: (c[503] ?? 0) > 0, total: (c[401] ?? 0) + (c[503] ?? 0) };
    },
    expected: { peak: 2, someBusy: true, total: 40 },
  },
  {
    attack: '30 concurrent over-long usernames',
    run: async (a) => ({
      statuses: countStatuses(await burst(30, () => a.loginFrom(ATTACKER, 'x'.repeat(129), 'guess'))),
      rows: (await a.db.selectFrom('login_throttle').selectAll().execute()).length,
    }),
    expected: { statuses: { 400: 30 }, rows: 0 },
  },
  {
    attack: 'login headers, then one body byte at a time',
    env: SLOW,
    waits: true,
    run: (a) =>
      slowClientClosed(a, (s) =>
        s.write(`POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{`),
      ),
    expected: true,
  },
  {
    attack: 'login headers, then no body at all',
    env: SLOW,
    waits: true,
    run: async (a) => {
      const c = await openRawSocket(a.port);
      c.socket.write(`POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n`);
      return c.closedWithin(10_000).then(
        () => true,
        () => false,
      );
    },
    expected: true,
  },
  {
    attack: 'headers that never end (slowloris)',
    env: SLOW,
    waits: true,
    run: (a) => slowClientClosed(a, (s) => s.write(`GET /api/health HTTP/1.1\r\nHost: x\r\nX-A: `)),
    expected: true,
  },
  {
    attack: 'more idle connections than the cap',
    env: { COURIER_MAX_CONNECTIONS: '8' },
    waits: true,
    run: async (a) => {
      const idle = await Promise.all(Array.from({ length: 8 }, () => openRawSocket(a.port)));
      const extra = await openRawSocket(a.port);
      const refused = await extra.closedWithin(3000).then(
        () => true,
        () => false,
      );
      for (const s of idle) s.socket.destroy();
      return refused;
    },
    expected: true,
  },
  {
    attack: 'an event stream kept open after logout',
    run: async (a) => {
      const bob = await a.login('bob');
      const stream = await fetch(`${a.base}/api/transfers/events`, { headers: { cookie: bob.cookie } });
      await fetch(`${a.base}/api/session`, {
        method: 'DELETE',
        headers: { cookie: bob.cookie, 'x-csrf-token': bob.csrfToken, origin: a.base },
      });
      return streamEnds(stream, 5000);
    },
    expected: true,
  },
  {
    attack: 'an event stream kept open past the idle timeout',
    env: { COURIER_SESSION_IDLE_TIMEOUT_SECONDS: '2' },
    waits: true,
    run: async (a) =>
      streamEnds(await fetch(`${a.base}/api/transfers/events`, { headers: { cookie: (await a.login('bob')).cookie } }), 8000),
    expected: true,
  },
  {
    attack: '?all=false on the event stream by a non-admin',
    run: async (a) => {
      const r = await fetch(`${a.base}/api/transfers/events?all=false`, { headers: { cookie: (await a.login('bob')).cookie } });
      await r.body?.cancel();
      return r.status;
    },
    expected: 200,
  },
  {
    attack: 'a non-admin listing and lifting login locks',
    run: async (a) => {
      const bob = await a.login('bob');
      const h = { cookie: bob.cookie, 'x-csrf-token': bob.csrfToken, origin: a.base };
      return [
        (await fetch(`${a.base}/api/admin/login-locks`, { headers: h })).status,
        (await fetch(`${a.base}/api/admin/login-locks?key=account%3Abob`, { method: 'DELETE', headers: h })).status,
      ];
    },
    expected: [403, 403],
  },
  {
    attack: 'an admin lifting a lock key that does not exist (path-like, over-long)',
    run: async (a) => {
      const h = await adminHeaders(a);
      return [
        (await fetch(`${a.base}/api/admin/login-locks?key=${encodeURIComponent('../../etc/passwd')}`, { method: 'DELETE', headers: h }))
          .status,
        (await fetch(`${a.base}/api/admin/login-locks?key=${'k'.repeat(700)}`, { method: 'DELETE', headers: h })).status,
      ];
    },
    expected: [404, 400],
  },
  {
    attack: 'a lock on a 128-character username from an IPv6 address, lifted by an admin',
    env: { ...NO_DELAY, COURIER_LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: '2' },
    run: async (a) => {
      const ip = '2001:db8:ffff:ffff:ffff:ffff:ffff:fffe';
      const name = 'u'.repeat(128);
      await burst(3, () => a.loginFrom(ip, name, 'guess'));
      const h = await adminHeaders(a);
      const { locks } = (await (await fetch(`${a.base}/api/admin/login-locks`, { headers: h })).json()) as {
        locks: Array<{ key: string; account: string; ip: string }>;
      };
      const lifted = await fetch(`${a.base}/api/admin/login-locks?key=${encodeURIComponent(locks[0]!.key)}`, {
        method: 'DELETE',
        headers: h,
      });
      return [locks.map((l) => [l.account, l.ip]), lifted.status, await statusOf(a.loginFrom(ip, name, 'guess'))];
    },
    expected: [[[`${'u'.repeat(128)}`, '2001:db8:ffff:ffff:ffff:ffff:ffff:fffe']], 204, 401],
  },
  {
    attack: 'a downgrade to plain HTTP on an https portal (HSTS)',
    env: { COURIER_PUBLIC_URL: 'https://courier.example.com' },
    run: async (a) => (await fetch(`${a.base}/api/health`)).headers.get('strict-transport-security'),
    expected: 'max-age=31536000',
  },
];

describe.each(DIALECTS)('login and session hostile-input corpus on %s', (dialect) => {
  it('has 26 cases, the figure the README security section states', () => {
    expect(cases).toHaveLength(26);
  });

  // Each case has a portal of its own, so the cases that only wait out a timeout wait together.
  const attack = async ({ env, run, expected }: Case) => {
    const app = await createListeningApp(dialect, env);
    try {
      expect(await run(app)).toEqual(expected);
    } finally {
      await app.close();
    }
  };
  it.concurrent.each(cases.filter((c) => c.waits))('$attack', attack);
  it.each(cases.filter((c) => !c.waits))('$attack', attack);
});
