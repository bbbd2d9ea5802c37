/**
 * 200 people logged in at once against the real portal (`courier start`, SQLite, embedded node),
 * each browsing a shared folder and authorizing an upload and a download, round after round for a
 * minute: every answer the expected one, every session still valid at the end. Latencies are
 * reported (p50/p95/p99, printed and written to bench/results/sessions.json), never asserted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpace, login, type PortalSession } from '../lib/clients';
import { REPO_ROOT } from '../../test-kit/courier-process';
import { startCourier, type CourierProcess } from '../lib/processes';

const USERS = 200;
const SECONDS = Number(process.env.RELIABILITY_SESSIONS_SECONDS ?? 60);
// Creating a user and logging in each cost a scrypt hash (N=2^15, server/features/auth/password.ts),
// on purpose: 400 of them take ~1 min on 2 quiet cores and several on busy ones, hence the timeouts.
// The server hashes on libuv's 4 threads, so more at once only queues.
const HASHES_AT_ONCE = 4;
const HASHING_TIMEOUT_MS = 600_000;
const PASSWORD = 'sessions-test-password';
const SHARED_FILE = '/shared/readme.txt';
const RESULTS = path.join(REPO_ROOT, 'bench', 'results', 'sessions.json');

type Kind = 'session' | 'spaces' | 'browse' | 'authorize upload' | 'authorize download' | 'transfers';

interface UserSession {
  username: string;
  userId: string;
  cookie: string;
  csrfToken: string;
}

let courier: CourierProcess;
let admin: PortalSession;
let spaceId: string;
// Sized for every user's connection at once, so no request waits for a socket in the client.
const agent = new Agent({ connections: USERS + 10 });
const latencies = new Map<Kind, number[]>();
const errors: string[] = [];

/** Runs `task` for 0..n-1 with at most `limit` at once. */
async function pool(n: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

/** One request as a user; records its latency, and an error unless it answers `expected`. */
async function call<T>(user: UserSession, kind: Kind, expected: number, method: string, url: string, body?: unknown): Promise<T | null> {
  const started = performance.now();
  try {
    const res = await fetch(`${courier.url}${url}`, {
      method,
      dispatcher: agent,
      headers: {
        cookie: user.cookie,
        'x-csrf-token': user.csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const elapsed = performance.now() - started;
    const list = latencies.get(kind) ?? [];
    list.push(elapsed);
    latencies.set(kind, list);
    if (res.status !== expected) {
      errors.push(`${user.username} ${method} ${url} → ${res.status} ${text.slice(0, 200)}`);
      return null;
    }
    return JSON.parse(text) as T;
  } catch (err) {
    errors.push(`${user.username} ${method} ${url} → ${String(err)}`);
    return null;
  }
}

async function logIn(username: string): Promise<UserSession> {
  const res = await fetch(`${courier.url}/api/session`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${username} → ${res.status} ${await res.text()}`);
  const session = (await res.json()) as { user: { id: string }; csrfToken: string };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { username, userId: session.user.id, cookie, csrfToken: session.csrfToken };
}

/** One round of what a person does on the files page: list spaces, open a folder, move files. */
async function round(user: UserSession, n: number): Promise<void> {
  const spaces = await call<{ spaces: Array<{ id: string }> }>(user, 'spaces', 200, 'GET', '/api/spaces');
  if (spaces && !spaces.spaces.some((s) => s.id === spaceId)) errors.push(`${user.username} does not see the shared space`);
  const page = await call<{ items: Array<{ path: string }> }>(user, 'browse', 200, 'GET', `/api/spaces/${spaceId}/files?path=/shared`);
  if (page && !page.items.some((i) => i.path === SHARED_FILE)) errors.push(`${user.username} browsed /shared without ${SHARED_FILE}`);
  type Created = { transfer: { id: string; userId: string }; transferSpec: { token?: string } };
  const upload = await call<Created>(user, 'authorize upload', 201, 'POST', '/api/transfers', {
    spaceId,
    direction: 'upload',
    folder: '/incoming',
    files: [{ path: `${user.username}-${n}.bin`, size: 1_048_576 }],
  });
  const download = await call<Created>(user, 'authorize download', 201, 'POST', '/api/transfers', {
    spaceId,
    direction: 'download',
    paths: [SHARED_FILE],
  });
  for (const t of [upload, download]) {
    if (t && (t.transfer.userId !== user.userId || !t.transferSpec.token))
      errors.push(`${user.username} got ${JSON.stringify(t.transfer)} without its token`);
  }
  const listed = await call<{ transfers: Array<{ id: string; userId: string }> }>(user, 'transfers', 200, 'GET', '/api/transfers?limit=10');
  if (listed && upload && download) {
    const ids = listed.transfers.map((t) => t.id);
    if (!ids.includes(upload.transfer.id) || !ids.includes(download.transfer.id))
      errors.push(`${user.username}'s history lacks its latest transfers`);
    if (listed.transfers.some((t) => t.userId !== user.userId)) errors.push(`${user.username}'s history shows someone else's transfer`);
  }
}

function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN) * 10) / 10;
  return { count: sorted.length, p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), maxMs: at(1) };
}

beforeAll(async () => {
  courier = await startCourier();
  admin = await login(courier);
  const space = await createSpace(admin, 'sessions');
  spaceId = space.id;
  await admin.api('POST', `/api/spaces/${spaceId}/folders`, { path: '/incoming' });
  mkdirSync(path.join(courier.docroot, space.nodeFolder, 'shared'), { recursive: true });
  writeFileSync(path.join(courier.docroot, space.nodeFolder, SHARED_FILE), 'read me\n');
  const group = await admin.api<{ id: string }>('POST', '/api/groups', { name: 'everyone' });
  await admin.api('PUT', `/api/spaces/${spaceId}/members`, { principalType: 'group', principalId: group.id, role: 'contributor' });
  await pool(USERS, HASHES_AT_ONCE, async (i) => {
    const user = await admin.api<{ id: string }>('POST', '/api/users', {
      username: `user-${i}`,
      displayName: `User ${i}`,
      password: PASSWORD,
    });
    await admin.api('PUT', `/api/groups/${group.id}/members/${user.id}`);
  });
}, HASHING_TIMEOUT_MS);

afterAll(async () => {
  await agent.close();
  await courier?.stop();
});

describe('the portal with many people logged in', () => {
  it(
    `serves ${USERS} concurrent sessions browsing and authorizing transfers for ${SECONDS} s without an error`,
    async () => {
      const users: UserSession[] = [];
      await pool(USERS, HASHES_AT_ONCE, async (i) => {
        users[i] = await logIn(`user-${i}`);
      });

      const started = Date.now();
      const deadline = started + SECONDS * 1000;
      const rounds = await Promise.all(
        users.map(async (user) => {
          let n = 0;
          while (Date.now() < deadline) await round(user, n++);
          return n;
        }),
      );
      const elapsedSeconds = (Date.now() - started) / 1000;

      const all = [...latencies.values()].flat();
      const report = {
        measuredAt: new Date().toISOString(),
        command: 'npm run test:reliability -- bench/reliability/sessions.test.ts',
        users: USERS,
        seconds: Math.round(elapsedSeconds),
        rounds: rounds.reduce((a, b) => a + b, 0),
        requests: all.length,
        requestsPerSecond: Math.round(all.length / elapsedSeconds),
        errors: errors.length,
        all: percentiles(all),
        byKind: Object.fromEntries([...latencies].map(([kind, values]) => [kind, percentiles(values)])),
      };
      process.stdout.write(`sessions: ${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(RESULTS, JSON.stringify(report, null, 2) + '\n');

      // Still logged in as themselves, with the same CSRF token: no session was lost, ended or mixed up.
      const after = await Promise.all(
        users.map((u) => call<{ user: { id: string }; csrfToken: string }>(u, 'session', 200, 'GET', '/api/session')),
      );
      expect(after.map((s) => [s?.user.id, s?.csrfToken])).toEqual(users.map((u) => [u.userId, u.csrfToken]));
      expect(errors.slice(0, 20)).toEqual([]);
      expect(Math.min(...rounds)).toBeGreaterThan(0);
    },
    HASHING_TIMEOUT_MS + SECONDS * 1000,
  );
});
