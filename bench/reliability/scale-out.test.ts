/**
 * Several portal instances, proven (docs/deployment.md §8): two portal processes on one PostgreSQL
 * database behind Debian's nginx running the repository's own locations file
 * (deploy/nginx/courier-locations.conf) round robin, and two transfer nodes. Many sessions work
 * through the balancer (list their spaces, authorize an upload, send it to a node, follow it live);
 * in the middle, the instance holding the tracker's lease is killed with SIGKILL. Users keep working
 * and no request fails, not even one in flight on the dead instance: reads are retried as the SPA
 * retries them, and the one write that could be in flight, `POST /api/transfers`, carries an
 * Idempotency-Key and is resent as the SPA resends it (docs/api.md §8). Live progress keeps arriving
 * on reconnected streams, the tracker and the jobs move to the survivor, and every authorized
 * transfer ends completed: none lost, none left running, none made twice. Each session
 * is a browser on its own address (127.0.x.y), as people are: the nodes' and the portal's per-address
 * limits meet what they would meet in use, not 200 browsers on the portal's own address.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl, DIALECTS } from '../../server/test/test-database';
import { ApiError, toApiError } from '../../src/lib/api-client';
import { keyedWriteRetryDelay } from '../../src/lib/create-query-client';
import { spawnCourier, stopChild, type NodeProcess } from '../../test-kit/courier-process';
import { freePort } from '../../test-kit/free-port';
import { uploadForm } from '../../test-kit/gateway-upload';
import { startBalancer, type Balancer } from '../lib/balancer';
import { startNode, tempDir } from '../lib/processes';

// 200 sessions (six users, each session its own login) work through the balancer in rounds; the
// kill comes after KILL_AFTER transfers, then every session works ROUNDS_AFTER_KILL more rounds.
const SESSIONS = 200;
/** The instances' COURIER_LEASE_SECONDS: short, so the survivor takes over quickly. */
const LEASE_SECONDS = 3;
const USERS = 6;
const KILL_AFTER = 40;
const ROUNDS_AFTER_KILL = 1;
const ADMIN_PASSWORD = 'scale-out-admin-password';
const USER_PASSWORD = 'scale-out-user-password';
// Polling bounds only: nothing here asserts a duration.
const DEADLINE_MS = 60_000;

interface Portal {
  child: ChildProcess;
  pid: number;
  port: number;
}

let dbUrl: string;
let dropDb: () => Promise<void>;
let pool: pg.Pool;
const nodes: NodeProcess[] = [];
const portals: Portal[] = [];
let nginx: Balancer | undefined;
let base: string;

async function startPortalProcess(port: number, secretKey: string): Promise<Portal> {
  const { child, pid } = await spawnCourier(['start', '--no-build'], {
    ready: /Courier is running at (\S+)/,
    env: {
      COURIER_DATA_DIR: tempDir('scale-portal'),
      COURIER_PORT: String(port),
      COURIER_HOST: '127.0.0.1',
      COURIER_EMBEDDED_NODE: 'false',
      DATABASE_URL: dbUrl,
      COURIER_SECRET_KEY: secretKey,
      COURIER_ADMIN_PASSWORD: ADMIN_PASSWORD,
      COURIER_PUBLIC_URL: base,
      COURIER_TRUST_PROXY: '1',
      COURIER_LEASE_SECONDS: String(LEASE_SECONDS),
      COURIER_LOGIN_HASH_QUEUE: '200',
      COURIER_LOG_LEVEL: 'warn',
    },
  });
  return { child, pid, port };
}

/** The SPA's first retry of a read (TanStack Query's first backoff, src/lib/create-query-client.ts). */
const READ_RETRY_DELAY_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How many `POST /api/transfers` were sent again, by the SPA's own policy, after which answer (printed with the figures). */
const resends = new Map<string, number>();

/**
 * A browser's session through the balancer: its cookie and CSRF token, and its own address
 * (`dispatcher`), so its connections are its own as a browser's are. Reads are retried once after
 * the SPA's first backoff, on no answer or a 5xx, as the SPA retries them (it tries twice more); writes never.
 */
class Session {
  cookie = '';
  csrf = '';
  readonly dispatcher: Agent;
  constructor(
    readonly username: string,
    index: number,
  ) {
    this.dispatcher = new Agent({ localAddress: `127.0.${1 + Math.floor(index / 250)}.${1 + (index % 250)}` });
  }

  /** fetch from this browser's address: Node's fetch takes undici's `dispatcher`, which the DOM's RequestInit does not name. */
  fetch(url: string, init: RequestInit = {}): Promise<Response> {
    return fetch(url, { ...init, dispatcher: this.dispatcher } as RequestInit);
  }

  async call<T>(method: string, url: string, body?: object): Promise<T> {
    const attempts = method === 'GET' ? 2 : 1;
    for (let attempt = 1; ; attempt += 1) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, READ_RETRY_DELAY_MS));
      try {
        const r = await this.fetch(`${base}${url}`, {
          method,
          headers: {
            origin: base,
            ...(this.cookie ? { cookie: this.cookie, 'x-csrf-token': this.csrf } : {}),
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        if (r.status >= 500 && attempt < attempts) continue;
        if (r.status >= 400) throw new Error(`${method} ${url} → ${r.status} ${await r.text()}`);
        const cookie = r.headers.getSetCookie().find((c) => c.startsWith('courier_session='));
        if (cookie) this.cookie = cookie.split(';')[0]!;
        return (r.status === 204 ? {} : await r.json()) as T;
      } catch (err) {
        if (attempt < attempts && !(err instanceof Error && / → 4\d\d /.test(err.message))) continue;
        throw err;
      }
    }
  }

  /**
   * `POST /api/transfers` as the SPA sends it (src/features/transfers/api/create-transfer.ts): with an
   * Idempotency-Key of its own, resent with the same key and body by the SPA's own policy
   * (`keyedWriteRetryDelay`) when the answer was lost with its instance (nginx's 502) or the
   * survivor says the dead instance's claim is still running (409, Retry-After).
   */
  async authorize<T>(body: object): Promise<T> {
    const key = randomUUID();
    for (let failures = 0; ;) {
      let error: ApiError;
      try {
        const r = await this.fetch(`${base}/api/transfers`, {
          method: 'POST',
          headers: {
            origin: base,
            cookie: this.cookie,
            'x-csrf-token': this.csrf,
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body: JSON.stringify(body),
        });
        if (r.ok) return (await r.json()) as T;
        error = await toApiError(r);
      } catch (err) {
        error = new ApiError({ code: 'NETWORK_ERROR', message: (err as Error).message, status: 0 });
      }
      failures += 1;
      const delay = keyedWriteRetryDelay(failures, error);
      if (delay === null)
        throw new Error(`POST /api/transfers → ${error.status} ${error.code}: ${error.message} (after ${failures - 1} resends)`);
      const after = error.status === 0 ? 'no answer' : `${error.status} ${error.code}`;
      resends.set(after, (resends.get(after) ?? 0) + 1);
      await sleep(delay);
    }
  }

  async login(password: string): Promise<void> {
    const r = await this.call<{ csrfToken: string }>('POST', '/api/session', { username: this.username, password });
    this.csrf = r.csrfToken;
  }
}

/** A tab's event stream, reconnecting like EventSource when its instance goes away. */
function follow(session: Session, seen: Map<string, Set<string>>, stop: { done: boolean }) {
  let reconnects = 0;
  const run = async () => {
    while (!stop.done) {
      try {
        const r = await session.fetch(`${base}/api/transfers/events`, { headers: { cookie: session.cookie } });
        const reader = (r.body as ReadableStream<Uint8Array>).getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        while (!stop.done) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').find((l) => l.startsWith('data: '));
            if (!data) continue;
            const event = JSON.parse(data.slice(6)) as { id: string; status: string };
            if (!seen.has(event.id)) seen.set(event.id, new Set());
            seen.get(event.id)!.add(event.status);
          }
        }
        await reader.cancel().catch(() => undefined);
      } catch {
        // The instance died under the stream: reconnect through the balancer, as `retry: 3000` tells a browser.
      }
      reconnects += 1;
      if (!stop.done) await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  return { done: run(), reconnects: () => reconnects };
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// PostgreSQL comes from the suite's global setup; COURIER_TEST_SKIP_POSTGRES=1 opts out, with its warning.
describe.runIf(DIALECTS.includes('postgres'))('two portal instances behind nginx, one killed mid-session', () => {
  beforeAll(async () => {
    const database = await createTestDatabaseUrl('postgres');
    dbUrl = database.url;
    dropDb = database.drop;
    pool = new pg.Pool({ connectionString: dbUrl, max: 2 });
    nodes.push(...(await Promise.all([startNode(), startNode()])));
    const [balancerPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
    base = `http://127.0.0.1:${balancerPort}`;
    const secretKey = randomBytes(32).toString('base64');
    // Started together on the fresh database: they migrate once, under the lock (docs/deployment.md §6).
    portals.push(...(await Promise.all([startPortalProcess(portA, secretKey), startPortalProcess(portB, secretKey)])));
    nginx = await startBalancer(balancerPort, [portA, portB]);
  }, 120_000);

  afterAll(async () => {
    for (const p of portals) await stopChild(p.child);
    await nginx?.stop();
    for (const n of nodes) await n.stop();
    await pool?.end();
    await dropDb?.();
  });

  it('keeps every session working, live and recorded when the lease-holding instance is SIGKILLed', async () => {
    const admin = new Session('admin', SESSIONS);
    await admin.login(ADMIN_PASSWORD);
    const spaceIds: string[] = [];
    for (const [i, node] of nodes.entries()) {
      const created = await admin.call<{ id: string }>('POST', '/api/nodes', {
        name: `node-${i}`,
        url: node.url,
        username: node.username,
        secret: node.password,
        gatewayUrl: node.gatewayUrl,
        kind: 'embedded',
        verifyTls: false,
      });
      spaceIds.push((await admin.call<{ id: string }>('POST', '/api/spaces', { name: `Team ${i}`, nodeId: created.id })).id);
    }
    for (let u = 0; u < USERS; u += 1) {
      const user = await admin.call<{ id: string }>('POST', '/api/users', {
        username: `user${u}`,
        displayName: `User ${u}`,
        password: USER_PASSWORD,
      });
      for (const spaceId of spaceIds)
        await admin.call('PUT', `/api/spaces/${spaceId}/members`, { principalType: 'user', principalId: user.id, role: 'contributor' });
    }

    const t0 = Date.now();
    const sessions = Array.from({ length: SESSIONS }, (_, i) => new Session(`user${i % USERS}`, i));
    for (let i = 0; i < sessions.length; i += 10) await Promise.all(sessions.slice(i, i + 10).map((s) => s.login(USER_PASSWORD)));
    // Each browser reached the portal from its own address, through nginx's X-Forwarded-For (and the admin's).
    const { rows: addresses } = await pool.query<{ n: string }>('SELECT count(DISTINCT ip) AS n FROM sessions');
    expect(Number(addresses[0]!.n)).toBe(SESSIONS + 1);

    // One tab per user follows its transfers live.
    const seen = new Map<string, Set<string>>();
    const stopStreams = { done: false };
    const streams = sessions.slice(0, USERS).map((s) => follow(s, seen, stopStreams));

    const authorized: string[] = [];
    const afterKill: string[] = [];
    const failedInFlight: string[] = [];
    const failedAfter: string[] = [];
    let killed: Portal | undefined;
    let killedAt = 0;
    let killing: Promise<void> | undefined;
    const kill = async () => {
      const { rows } = await pool.query<{ holder: string }>("SELECT holder FROM leases WHERE name = 'transfer-tracker'");
      const holderPid = Number(rows[0]?.holder.split(':')[1]);
      killed = portals.find((p) => p.pid === holderPid) ?? portals[0]!;
      const exited = new Promise((resolve) => killed!.child.once('exit', resolve));
      killedAt = Date.now();
      killed.child.kill('SIGKILL');
      await exited;
    };

    const round = async (s: Session, n: number) => {
      const { spaces } = await s.call<{ spaces: Array<{ id: string }> }>('GET', '/api/spaces');
      const spaceId = spaceIds[n % 2]!;
      expect(spaces.map((x) => x.id)).toContain(spaceId);
      const name = `f-${randomBytes(5).toString('hex')}.bin`;
      const wasKilled = killed !== undefined;
      const created = await s.authorize<{ transfer: { id: string }; transferSpec: object; clients: Array<{ type: string; url?: string }> }>(
        {
          spaceId,
          direction: 'upload',
          folder: '/',
          files: [{ path: name, size: 4096 }],
        },
      );
      authorized.push(created.transfer.id);
      if (wasKilled) afterKill.push(created.transfer.id);
      const gateway = created.clients.find((c) => c.type === 'http-gateway')!.url!;
      const sent = await s.fetch(`${gateway}/v3/upload`, {
        method: 'POST',
        body: uploadForm(created.transferSpec, [{ path: name, data: randomBytes(4096) }]),
      });
      if (sent.status >= 400) throw new Error(`upload to ${gateway} → ${sent.status} ${await sent.text()}`);
      if (authorized.length >= KILL_AFTER && !killing) killing = kill();
    };

    await Promise.all(
      sessions.map(async (s, i) => {
        let afterKillRounds = 0;
        for (let n = i; afterKillRounds < ROUNDS_AFTER_KILL; n += 1) {
          const during = killed !== undefined;
          try {
            await round(s, n);
          } catch (err) {
            // None may fail: in flight on the instance as it died, or after.
            (during ? failedAfter : failedInFlight).push(`${(err as Error).message} (${Date.now() - killedAt} ms after the kill)`);
          }
          if (during) afterKillRounds += 1;
          if (killing && !killed) await killing;
        }
      }),
    );
    expect(killed).toBeDefined();
    const survivor = portals.find((p) => p !== killed)!;
    const workDone = Date.now();

    // Nothing a session started after the kill failed: nginx sends no request to the dead instance
    // once a connection to it has failed, and a refused connection sent nothing, so even a POST goes
    // to the survivor (docs/deployment.md §7).
    expect(failedAfter).toEqual([]);
    // Nor did any request in flight on the instance as it died: nginx resends a read it had sent to
    // the dead instance, and answers a POST with its own 502 (that instance may have done it), which
    // the session resends with its Idempotency-Key: the survivor answers the transfer the dead one
    // recorded, or takes over its claim (docs/api.md §8).
    expect(failedInFlight).toEqual([]);
    expect(afterKill.length).toBeGreaterThanOrEqual(SESSIONS);

    // Every transfer a client was told of is recorded and ends completed: the survivor's tracker took
    // over. No record is one no page knows: a record whose answer died with the instance is the one
    // the resent POST was answered with, and a repeat never records a second (docs/api.md §8).
    const known = new Set(authorized);
    const records = await until(
      'transfers still unfinished',
      async () => (await pool.query<{ id: string; status: string }>('SELECT id, status FROM transfers')).rows,
      (rows) => rows.filter((r) => known.has(r.id)).every((r) => r.status === 'completed'),
    );
    expect(
      records
        .filter((r) => known.has(r.id))
        .map((r) => r.id)
        .sort(),
    ).toEqual([...authorized].sort());
    const orphans = records.filter((r) => !known.has(r.id));
    expect(orphans).toEqual([]);
    expect(new Set(authorized).size).toBe(authorized.length);
    const { rows: leases } = await pool.query<{ name: string; holder: string }>('SELECT name, holder FROM leases');
    expect(leases.find((l) => l.name === 'transfer-tracker')?.holder.split(':')[1]).toBe(String(survivor.pid));
    await until(
      "the mail queue's lease still with the dead instance",
      async () => (await pool.query<{ holder: string }>("SELECT holder FROM leases WHERE name = 'mail-queue'")).rows[0]?.holder ?? '',
      (holder) => holder.split(':')[1] === String(survivor.pid),
    );
    // Jobs that run hourly or by the minute may still name the dead instance, but only as a lease it
    // can no longer renew: each lapses (a job's lease may run longer than the tracker's), and the next pass takes it.
    for (const lease of leases.filter((l) => Number(l.holder.split(':')[1]) === killed!.pid))
      await until(
        `the dead instance's ${lease.name} lease still running`,
        async () =>
          Number(
            (await pool.query<{ expires_at: string }>('SELECT expires_at FROM leases WHERE name = $1', [lease.name])).rows[0]!.expires_at,
          ),
        (expiresAt) => expiresAt < Date.now(),
      );

    // Live progress kept arriving: the streams reconnected and saw transfers made after the kill end.
    await until(
      'completions after the kill not seen live',
      async () => afterKill.filter((id) => seen.get(id)?.has('completed')).length,
      (n) => n === afterKill.length,
    );
    stopStreams.done = true;
    expect(streams.some((s) => s.reconnects() > 0)).toBe(true);
    await Promise.all([admin, ...sessions].map((s) => s.dispatcher.destroy()));
    process.stdout.write(
      `scale-out: ${SESSIONS} sessions, ${authorized.length} transfers (${afterKill.length} after the kill), ` +
        `${failedInFlight.length} requests failed in flight, POST /api/transfers resent with their Idempotency-Key after ${[...resends].map(([after, n]) => `${after} ×${n}`).join(', ') || 'nothing'}, ` +
        `${orphans.length} records no session knows; logins+first ${KILL_AFTER} ${killedAt - t0} ms, ` +
        `rounds after the kill ${workDone - killedAt} ms, settling ${Date.now() - workDone} ms\n`,
    );
    // About 40 s alone on 2 cores (200 password hashes are most of it); a bound for a shared machine, not a measure.
  }, 600_000);
});
