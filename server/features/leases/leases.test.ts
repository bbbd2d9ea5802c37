/**
 * Once-only work across portal instances (docs/deployment.md §3): a lease is held by one instance at
 * a time, lapses when its holder stops renewing, and is given back on shutdown; a record's end is
 * written once however many trackers race to write it. Then two portal instances on one PostgreSQL
 * database: one follows the node, and when it dies the other takes over within the lease's length.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../app';
import { loadConfig } from '../../config';
import { openDatabase, type Db } from '../../db/database';
import * as hsts from '../../node-client/test/hsts-responses';
import { startRecordingNode, type RecordingNode } from '../../node-client/test/recording-node';
import { addTestUsers } from '../../test/test-app';
import { createTestDatabase, createTestDatabaseUrl, DIALECTS } from '../../test/test-database';
import { createSpacesRepository } from '../spaces/spaces-repository';
import { createTransfersRepository } from '../transfers/transfers-repository';
import { createLeases } from './leases';

const silent = { info: () => undefined, warn: () => undefined } as unknown as Parameters<typeof createLeases>[0]['log'];

/** A running upload record on the database's only node; answers its id. */
async function runningRecord(db: Db, nodeTransferId: string): Promise<string> {
  const user = await db.selectFrom('users').select('id').where('username', '=', 'alice').executeTakeFirstOrThrow();
  const { id: nodeId } = await db.selectFrom('nodes').select('id').executeTakeFirstOrThrow();
  const space = await createSpacesRepository(db).insert({
    name: `Inbox ${randomUUID()}`,
    node_id: nodeId,
    root_path: `/in-${randomUUID()}`,
    owner_user_id: null,
  });
  const id = randomUUID();
  const now = Date.now();
  await db
    .insertInto('transfers')
    .values({
      id,
      user_id: user.id,
      space_id: space.id,
      node_id: nodeId,
      direction: 'upload',
      title: 'a.bin',
      folder: '/',
      paths_json: '["a.bin"]',
      file_count: 1,
      bytes_expected: 10,
      bytes_transferred: 5,
      client: null,
      status: 'running',
      node_transfer_id: nodeTransferId,
      error: null,
      created_at: now,
      updated_at: now,
      started_at: now,
      ended_at: null,
    })
    .execute();
  return id;
}

describe.each(DIALECTS)('leases on %s', (dialect) => {
  let db: Db;
  let drop: () => Promise<void>;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'courier-leases-'));
    ({ db, drop } = await createTestDatabase(dialect, dataDir));
  });
  afterAll(async () => {
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const lease = (holder: string) => createLeases({ db, ttlMs: 60_000, log: silent, holder });
  const lapse = (name: string) =>
    db
      .updateTable('leases')
      .set({ expires_at: Date.now() - 1 })
      .where('name', '=', name)
      .execute();

  it('is held by one instance until it lapses or is given back, and the holder keeps it by renewing', async () => {
    const a = lease('a');
    const b = lease('b');
    expect(await a.acquire('tracker')).toBe(true);
    expect(await b.acquire('tracker')).toBe(false);
    expect(await a.acquire('tracker')).toBe(true);
    expect(a.held()).toEqual(['tracker']);

    await lapse('tracker');
    expect(await b.acquire('tracker')).toBe(true);
    // The old holder learns it lost the lease and stops believing it holds it.
    expect(await a.acquire('tracker')).toBe(false);
    expect(a.held()).toEqual([]);

    // A graceful shutdown gives the lease back: the next instance takes it without waiting.
    await b.close();
    expect(await b.acquire('tracker')).toBe(false);
    expect(await a.acquire('tracker')).toBe(true);
    expect(await db.selectFrom('leases').select('holder').where('name', '=', 'tracker').executeTakeFirst()).toEqual({ holder: 'a' });
  });

  it('goes to exactly one of many instances asking at once for a free or lapsed lease', async () => {
    const many = Array.from({ length: 12 }, (_, i) => lease(`i${i}`));
    const first = await Promise.all(many.map((l) => l.acquire('jobs')));
    expect(first.filter(Boolean)).toHaveLength(1);
    await lapse('jobs');
    const second = await Promise.all(many.map((l) => l.acquire('jobs')));
    expect(second.filter(Boolean)).toHaveLength(1);
  });

  it('runs work only where the lease is held, and says whether it ran', async () => {
    const a = lease('run-a');
    const b = lease('run-b');
    const ran: string[] = [];
    expect(await a.run('once', async () => void ran.push('a'))).toBe(true);
    expect(await b.run('once', async () => void ran.push('b'))).toBe(false);
    expect(ran).toEqual(['a']);
  });

  it("writes a transfer's end once when trackers race to write it", async () => {
    await addTestUsers(db);
    await db
      .insertInto('nodes')
      .values({
        id: randomUUID(),
        name: 'hsts',
        url: 'https://hsts.example.com:9092',
        username: 'xfer',
        secret_sealed: 'sealed',
        gateway_url: null,
        verify_tls: 1,
        kind: 'hsts',
        is_default: 1,
        created_at: Date.now(),
      })
      .execute();
    const transfers = createTransfersRepository(db);
    const id = await runningRecord(db, randomUUID());
    const end = { status: 'completed' as const, ended_at: Date.now(), bytes_transferred: 10 };
    const wrote = await Promise.all(Array.from({ length: 6 }, () => transfers.updateIfStatus(id, 'running', end)));
    expect(wrote.filter(Boolean)).toHaveLength(1);
    expect(await transfers.find(id)).toMatchObject({ status: 'completed', bytes_transferred: 10 });
  });
});

describe.runIf(DIALECTS.includes('postgres'))('two portal instances on one PostgreSQL database, the node followed once', () => {
  let node: RecordingNode;
  let dataDir: string;
  let drop: () => Promise<void>;
  const dbs: Db[] = [];
  let a: FastifyInstance;
  let b: FastifyInstance;

  beforeAll(async () => {
    node = await startRecordingNode();
    node.answer('GET /ops/transfers', { body: [] });
    dataDir = mkdtempSync(path.join(tmpdir(), 'courier-leases-two-'));
    const database = await createTestDatabaseUrl('postgres');
    drop = database.drop;
    for (let i = 0; i < 2; i += 1) dbs.push((await openDatabase({ databaseUrl: database.url, dataDir })).db);
    await addTestUsers(dbs[0]!);
    // The shortest lease (2 s) and a fast tracker: a takeover within a few seconds.
    const config = loadConfig({ COURIER_DATA_DIR: dataDir, COURIER_LOG_LEVEL: 'silent', COURIER_LEASE_SECONDS: '2' });
    const secretKey = randomBytes(32);
    const embeddedNode = { url: node.url, username: 'nodeuser', secret: 'n0de-Secret', gatewayUrl: `${node.url}/aspera/http-gwy` };
    a = await buildApp({ config, db: dbs[0]!, secretKey, embeddedNode, logger: false, trackerIntervalMs: 200 });
    b = await buildApp({ config, db: dbs[1]!, secretKey, embeddedNode, logger: false, trackerIntervalMs: 200 });
    await Promise.all([a.ready(), b.ready()]);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const db of dbs) await db.destroy();
    await drop?.();
    await node?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const completedOnNode = (recordId: string, nodeTransferId: string) => ({
    ...hsts.transferCompleted,
    id: nodeTransferId,
    start_spec: { ...hsts.transferCompleted.start_spec, tags: { courier: { transfer_id: recordId } } },
  });
  const holderOf = async (name: string) =>
    (await dbs[0]!.selectFrom('leases').select('holder').where('name', '=', name).executeTakeFirst())?.holder;

  it('lets one instance follow the node; when it dies the other takes over within seconds and ends the record once', async () => {
    // Both instances tick; exactly one holds the tracker's lease and the mail queue's.
    await vi.waitFor(async () => expect(await holderOf('transfer-tracker')).toBeDefined(), { timeout: 5_000 });
    const [holder, survivor] = a.courier.leases.held().includes('transfer-tracker') ? [a, b] : [b, a];
    expect(await holderOf('transfer-tracker')).toBe(holder.courier.leases.holder);
    expect(survivor.courier.leases.held()).not.toContain('transfer-tracker');
    // A pass asked of the other instance (a client's report landing there) does not follow the node.
    const before = node.requests.length;
    await survivor.courier.tracker.sync();
    expect(node.requests.length).toBe(before);

    // The holder dies: its timers stop and it never gives its leases back (as under SIGKILL).
    await holder.courier.tracker.stop();
    await holder.courier.mailWorker.stop();
    const record = await runningRecord(dbs[0]!, randomUUID());
    const row = await dbs[0]!.selectFrom('transfers').select('node_transfer_id').where('id', '=', record).executeTakeFirstOrThrow();
    node.answer(`GET /ops/transfers/${row.node_transfer_id}`, { body: completedOnNode(record, row.node_transfer_id!) });

    await vi.waitFor(
      async () =>
        expect(
          await dbs[1]!.selectFrom('transfers').select(['status', 'ended_at']).where('id', '=', record).executeTakeFirstOrThrow(),
        ).toEqual({
          status: 'completed',
          ended_at: expect.any(Number),
        }),
      { timeout: 10_000, interval: 100 },
    );
    expect(await holderOf('transfer-tracker')).toBe(survivor.courier.leases.holder);
    expect(survivor.courier.leases.held()).toContain('transfer-tracker');
    await vi.waitFor(async () => expect(await holderOf('mail-queue')).toBe(survivor.courier.leases.holder), { timeout: 10_000 });
  });

  it('gives its leases back when it shuts down gracefully, so none waits to lapse', async () => {
    const live = (await holderOf('transfer-tracker')) === a.courier.leases.holder ? a : b;
    const rows = () =>
      dbs[0]!.selectFrom('leases').select('name').where('holder', '=', live.courier.leases.holder).orderBy('name').execute();
    expect((await rows()).map((r) => r.name)).toEqual(expect.arrayContaining(['mail-queue', 'transfer-tracker']));
    await live.close();
    expect(await rows()).toEqual([]);
  });
});
