/**
 * The tracker against a scripted HSTS: a running record whose node answers 404 for its transfer
 * (the node lost its records, or another node now answers at its URL) can never end there, so the
 * tracker ends it; a node that merely fails to answer leaves the record running for the next tick.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as hsts from '../../node-client/test/hsts-responses';
import { startRecordingNode, type RecordingNode } from '../../node-client/test/recording-node';
import { createTestApp, type TestApp } from '../../test/test-app';
import { createSpacesRepository } from '../spaces/spaces-repository';
import { NODE_FORGOT_TRANSFER } from './transfer-tracker';
import { DIALECTS } from '../../test/test-database';

describe.each(DIALECTS)('transfer tracker, running records on %s', (dialect) => {
  let node: RecordingNode;
  let t: TestApp;

  beforeEach(async () => {
    node = await startRecordingNode();
    // An hour between ticks: each test drives the tracker with sync().
    t = await createTestApp(
      dialect,
      {},
      {
        embeddedNode: { url: node.url, username: 'nodeuser', secret: 'n0de-Secret', gatewayUrl: `${node.url}/aspera/http-gwy` },
        trackerIntervalMs: 3600_000,
      },
    );
    node.answer('GET /ops/transfers', { body: [] });
  });
  afterEach(async () => {
    await t.close();
    await node.close();
  });

  async function runningRecord(nodeTransferId: string): Promise<string> {
    const user = await t.db.selectFrom('users').select('id').where('username', '=', 'alice').executeTakeFirstOrThrow();
    const { id: nodeId } = await t.db.selectFrom('nodes').select('id').executeTakeFirstOrThrow();
    const space = await createSpacesRepository(t.db).insert({
      name: 'Inbox',
      node_id: nodeId,
      root_path: `/inbox-${randomUUID()}`,
      owner_user_id: null,
    });
    const id = randomUUID();
    const now = Date.now();
    await t.db
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

  const status = (id: string) =>
    t.db.selectFrom('transfers').select(['status', 'error', 'ended_at']).where('id', '=', id).executeTakeFirstOrThrow();

  it('fails a record whose transfer its node answers 404 for, with a reason, and tells its end listeners once', async () => {
    const forgotten = await runningRecord(randomUUID());
    const heard: string[] = [];
    const stop = t.app.courier.tracker.onTransferEnded(async (row) => void heard.push(`${row.id} ${row.status} ${row.error}`));
    await t.app.courier.tracker.sync();
    await t.app.courier.tracker.sync();
    stop();
    expect(await status(forgotten)).toMatchObject({ status: 'failed', error: NODE_FORGOT_TRANSFER, ended_at: expect.any(Number) });
    // A package or a copy waiting on the transfer ends with it (docs/packages.md §3).
    expect(heard).toEqual([`${forgotten} failed ${NODE_FORGOT_TRANSFER}`]);
  });

  it('tells each end listener once, in order, past one that fails, and not one that unsubscribed', async () => {
    const ended = await runningRecord(hsts.transferCompleted.id);
    node.answer(`GET /ops/transfers/${hsts.transferCompleted.id}`, { body: hsts.transferCompleted });
    const heard: string[] = [];
    const tracker = t.app.courier.tracker;
    const stops = [
      tracker.onTransferEnded(async (row) => {
        heard.push(`first ${row.id} ${row.status}`);
        throw new Error('this listener fails');
      }),
      tracker.onTransferEnded(async (row) => void heard.push(`second ${row.id} ${row.status}`)),
      tracker.onTransferEnded(async (row) => void heard.push(`gone ${row.id}`)),
    ];
    stops[2]!();
    await tracker.sync();
    await tracker.sync();
    expect(heard).toEqual([`first ${ended} completed`, `second ${ended} completed`]);
    expect(await status(ended)).toMatchObject({ status: 'completed' });
    stops.forEach((stop) => stop());
  });

  it('leaves a record running while its node still reports the transfer running, or cannot answer', async () => {
    const running = await runningRecord(hsts.transferRunning.id);
    const flakyOnNode = randomUUID();
    const flaky = await runningRecord(flakyOnNode);
    node.answer(`GET /ops/transfers/${hsts.transferRunning.id}`, { body: hsts.transferRunning });
    node.answer(`GET /ops/transfers/${flakyOnNode}`, {
      status: 500,
      body: { error: { code: 500, reason: 'Internal Server Error', user_message: 'Redis unavailable' } },
    });
    await t.app.courier.tracker.sync();
    expect(await status(running)).toMatchObject({ status: 'running', error: null });
    expect(await status(flaky)).toMatchObject({ status: 'running', error: null });
  });

  it("finds a transfer its node's list skipped (history restarted under our cursor) by its tag, and starts the cursor over", async () => {
    const { id: nodeId } = await t.db.selectFrom('nodes').select('id').executeTakeFirstOrThrow();
    const record = await runningRecord(randomUUID());
    // Authorized two minutes ago, never matched: the node's list did not show it.
    await t.db
      .updateTable('transfers')
      .set({ status: 'authorized', node_transfer_id: null, started_at: null, created_at: Date.now() - 120_000 })
      .where('id', '=', record)
      .execute();
    await t.db.insertInto('node_cursors').values({ node_id: nodeId, iteration_token: '999999', updated_at: Date.now() }).execute();
    const onNode = {
      ...hsts.transferCompleted,
      start_spec: { ...hsts.transferCompleted.start_spec, tags: { courier: { transfer_id: record } } },
    };
    node.answer('GET /ops/transfers', (request) => ({ body: request.query.tag === `courier.transfer_id=${record}` ? [onNode] : [] }));

    await t.app.courier.tracker.sync();
    expect(
      await t.db.selectFrom('transfers').select(['status', 'node_transfer_id']).where('id', '=', record).executeTakeFirstOrThrow(),
    ).toEqual({ status: 'completed', node_transfer_id: onNode.id });
    expect(node.requests.filter((r) => r.path === '/ops/transfers' && r.query.tag).map((r) => r.query)).toEqual([
      { tag: `courier.transfer_id=${record}`, view: 'summary', count: '10' },
    ]);
    expect(await t.db.selectFrom('node_cursors').select('iteration_token').where('node_id', '=', nodeId).executeTakeFirst()).toEqual({
      iteration_token: null,
    });
  });

  it('looks an unmatched record up by its tag at most every 30 s, and not before it is a minute old', async () => {
    const young = await runningRecord(randomUUID());
    await t.db.updateTable('transfers').set({ status: 'authorized', node_transfer_id: null }).where('id', '=', young).execute();
    const old = await runningRecord(randomUUID());
    await t.db
      .updateTable('transfers')
      .set({ status: 'authorized', node_transfer_id: null, created_at: Date.now() - 120_000 })
      .where('id', '=', old)
      .execute();
    await t.app.courier.tracker.sync();
    await t.app.courier.tracker.sync();
    expect(node.requests.filter((r) => r.query.tag).map((r) => r.query.tag)).toEqual([`courier.transfer_id=${old}`]);
    expect(await status(old)).toMatchObject({ status: 'authorized' });
  });
});
