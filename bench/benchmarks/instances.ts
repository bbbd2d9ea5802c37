/**
 * Authorization throughput of two portal instances against one (docs/deployment.md §8): two
 * `courier start` processes on one PostgreSQL database, two transfer nodes, and `connections`
 * logged-in clients asking `POST /api/transfers` (an upload's token-authorized spec: the session,
 * the role check, the node's `upload_setup`, the record) as fast as they are answered, for
 * `seconds`. One side spreads the requests over both instances, as a round-robin balancer does; the
 * other sends them all to one. The same sessions serve both (the instances share the database).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import setupPostgres from '../../server/test/postgres-global-setup';
import { spawnCourier, stopChild, type NodeProcess, type Started } from '../../test-kit/courier-process';
import { freePort } from '../../test-kit/free-port';
import { startNode, tempDir } from '../lib/processes';
import type { BenchOptions, BenchRow } from '../lib/report';
import { interleave, spread } from '../lib/stats';

const ADMIN_PASSWORD = 'bench-instances-admin-password';

interface Client {
  cookie: string;
  csrf: string;
}

async function call<T>(base: string, client: Client | null, method: string, url: string, body?: object): Promise<T> {
  const r = await fetch(`${base}${url}`, {
    method,
    headers: {
      origin: base,
      ...(client ? { cookie: client.cookie, 'x-csrf-token': client.csrf } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (r.status >= 400) throw new Error(`${method} ${url} → ${r.status} ${await r.text()}`);
  return (r.status === 204 ? {} : await r.json()) as T;
}

async function login(base: string, username: string, password: string): Promise<Client> {
  const r = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { origin: base, 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (r.status !== 200) throw new Error(`login ${username} → ${r.status} ${await r.text()}`);
  const cookie = r.headers
    .getSetCookie()
    .find((c) => c.startsWith('courier_session='))
    ?.split(';')[0];
  if (!cookie) throw new Error(`login ${username}: no session cookie`);
  return { cookie, csrf: ((await r.json()) as { csrfToken: string }).csrfToken };
}

/** `clients` loops asking for upload specs over `bases` in turn, for `seconds`: requests a second, and each request's latency. */
async function load(bases: [string, ...string[]], clients: Client[], spaceIds: string[], seconds: number) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  let turn = 0;
  await Promise.all(
    clients.map(async (client, i) => {
      for (let n = i; performance.now() < end; n += 1) {
        const base = bases[turn++ % bases.length] ?? bases[0];
        const started = performance.now();
        await call(base, client, 'POST', '/api/transfers', {
          spaceId: spaceIds[n % spaceIds.length],
          direction: 'upload',
          folder: '/',
          files: [{ path: `f-${randomBytes(5).toString('hex')}.bin`, size: 4096 }],
        });
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / seconds, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}

export async function instancesBench(o: BenchOptions): Promise<BenchRow[]> {
  const provided: Record<string, string> = {};
  const stopPostgres = await setupPostgres({ provide: (key: string, value: string) => (provided[key] = value) } as unknown as TestProject);
  const adminUrl = provided.postgresUrl;
  if (!adminUrl) throw new Error('this benchmark needs PostgreSQL (apt-get install postgresql)');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('CREATE DATABASE courier_bench_instances');
  await admin.end();
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = '/courier_bench_instances';
  const nodes: NodeProcess[] = [];
  const portals: Started[] = [];
  try {
    nodes.push(...(await Promise.all([startNode(), startNode()])));
    const secretKey = randomBytes(32).toString('base64');
    const ports = [await freePort(), await freePort()];
    for (const port of ports)
      portals.push(
        await spawnCourier(['start', '--no-build'], {
          ready: /Courier is running at (\S+)/,
          env: {
            COURIER_DATA_DIR: tempDir('bench-instance'),
            COURIER_PORT: String(port),
            COURIER_HOST: '127.0.0.1',
            COURIER_EMBEDDED_NODE: 'false',
            DATABASE_URL: databaseUrl.toString(),
            COURIER_SECRET_KEY: secretKey,
            COURIER_ADMIN_PASSWORD: ADMIN_PASSWORD,
            COURIER_LOG_LEVEL: 'warn',
          },
        }),
      );
    const [first, second] = ports.map((port) => `http://127.0.0.1:${port}`) as [string, string];
    const adminClient = await login(first, 'admin', ADMIN_PASSWORD);
    const spaceIds: string[] = [];
    for (const [i, node] of nodes.entries()) {
      const created = await call<{ id: string }>(first, adminClient, 'POST', '/api/nodes', {
        name: `node-${i}`,
        url: node.url,
        username: node.username,
        secret: node.password,
        gatewayUrl: node.gatewayUrl,
        kind: 'embedded',
        verifyTls: false,
      });
      spaceIds.push((await call<{ id: string }>(first, adminClient, 'POST', '/api/spaces', { name: `Team ${i}`, nodeId: created.id })).id);
    }
    // One after another: a burst of logins is what the login throttle is for.
    const clients: Client[] = [];
    for (let i = 0; i < o.connections; i += 1) clients.push(await login(second, 'admin', ADMIN_PASSWORD));
    // Warm both instances (connections to the database and the nodes, compiled code) outside the timing.
    await load([first, second], clients, spaceIds, 2);
    const p99 = { two: [] as number[], one: [] as number[] };
    const result = await interleave(
      o.runs,
      async () => {
        const r = await load([first, second], clients, spaceIds, o.seconds);
        p99.two.push(r.p99);
        return r.perSecond;
      },
      async () => {
        const r = await load([first], clients, spaceIds, o.seconds);
        p99.one.push(r.p99);
        return r.perSecond;
      },
    );
    const two = spread(p99.two);
    const one = spread(p99.one);
    return [
      {
        name: `upload authorization, ${o.connections} clients, two instances against one`,
        courier: 'two instances, requests alternated',
        reference: 'one instance, the same clients',
        unit: 'req/s',
        courierValue: result.courier,
        referenceValue: result.reference,
        ratio: result.ratio,
        runs: result.runs,
        goal: '≥ 1.6 (ideal; report)',
        met: null,
        notes: [
          `POST /api/transfers (session, role check, the node's upload_setup, the record), ${o.seconds} s a run; p99 latency ${two.median.toFixed(0)} ms on two instances, ${one.median.toFixed(0)} ms on one. Both instances, both nodes, PostgreSQL and the clients share this machine's cores: two instances can only be faster by as much as one instance left idle.`,
        ],
      },
    ];
  } finally {
    for (const p of portals) await stopChild(p.child);
    await Promise.all(nodes.map((n) => n.stop()));
    await stopPostgres?.();
  }
}
