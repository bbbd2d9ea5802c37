/**
 * Live transfer events across portal instances (docs/deployment.md §4): a change made on one
 * instance reaches a stream open on another through PostgreSQL NOTIFY. The streams' own polling is
 * set to an hour here, so only the announcement can carry the events.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { gatewayUpload } from '../../../test-kit/gateway-upload';
import { buildApp } from '../../app';
import { loadConfig } from '../../config';
import { openDatabase, type Db } from '../../db/database';
import { readEvents } from '../../test/read-events';
import { addTestUsers, injectLogin } from '../../test/test-app';
import { createTestDatabaseUrl, DIALECTS } from '../../test/test-database';

describe.runIf(DIALECTS.includes('postgres'))('live transfer events across two instances on PostgreSQL', () => {
  let node: NodeProcess;
  let dataDir: string;
  let drop: () => Promise<void>;
  const dbs: Db[] = [];
  const apps: FastifyInstance[] = [];

  beforeAll(async () => {
    node = await startNodeProcess();
    dataDir = mkdtempSync(path.join(tmpdir(), 'courier-events-two-'));
    const database = await createTestDatabaseUrl('postgres');
    drop = database.drop;
    const config = loadConfig({ COURIER_DATA_DIR: dataDir, COURIER_LOG_LEVEL: 'silent', DATABASE_URL: database.url });
    const secretKey = randomBytes(32);
    const embeddedNode = { url: node.url, username: node.username, secret: node.password, gatewayUrl: node.gatewayUrl };
    for (let i = 0; i < 2; i += 1) {
      const db = (await openDatabase({ databaseUrl: database.url, dataDir })).db;
      if (i === 0) await addTestUsers(db);
      dbs.push(db);
      const app = await buildApp({ config, db, secretKey, embeddedNode, logger: false, trackerIntervalMs: 200, feedIntervalMs: 3600_000 });
      await app.listen({ port: 0, host: '127.0.0.1' });
      apps.push(app);
    }
  }, 60_000);
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const db of dbs) await db.destroy();
    await drop?.();
    await node?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('streams on one instance what the other authorized, and the end whichever instance tracked it', async () => {
    const [a, b] = apps as [FastifyInstance, FastifyInstance];
    const baseB = `http://127.0.0.1:${(b.server.address() as AddressInfo).port}`;
    const alice = await injectLogin(a, 'alice');
    const bob = await injectLogin(a, 'bob');
    const headers = { cookie: alice.cookie, 'x-csrf-token': alice.csrfToken };
    const spaceId = (await a.inject({ method: 'GET', url: '/api/spaces', headers })).json<{ spaces: Array<{ id: string }> }>().spaces[0]!
      .id;

    // Two tabs of alice's on instance B: one read until the authorization, the other until the end.
    const aliceTab = await fetch(`${baseB}/api/transfers/events`, { headers: { cookie: alice.cookie } });
    const aliceStream = await fetch(`${baseB}/api/transfers/events`, { headers: { cookie: alice.cookie } });
    const bobStream = await fetch(`${baseB}/api/transfers/events`, { headers: { cookie: bob.cookie } });
    const created = (
      await a.inject({
        method: 'POST',
        url: '/api/transfers',
        headers,
        payload: { spaceId, direction: 'upload', folder: '/', files: [{ path: 'across.txt', size: 6 }] },
      })
    ).json<{ transfer: { id: string }; transferSpec: Record<string, unknown> }>();
    expect((await readEvents(aliceTab, (e) => e.id === created.transfer.id))[0]).toMatchObject({ status: 'authorized' });

    expect((await gatewayUpload(node.gatewayUrl, created.transferSpec, [{ path: 'across.txt', data: 'across' }])).status).toBeLessThan(400);
    const events = await readEvents(aliceStream, (e) => e.id === created.transfer.id && e.status === 'completed');
    expect(events.at(-1)).toMatchObject({ bytesTransferred: 6, status: 'completed' });
    await expect(readEvents(bobStream, () => true, 1500)).rejects.toThrow(/no matching event/);
  });
});
