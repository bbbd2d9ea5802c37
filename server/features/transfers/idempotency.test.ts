import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { gatewayUpload } from '../../../test-kit/gateway-upload';
import { createTestApp, embeddedNodeOf, type LoggedIn, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';
import { CLAIM_TAKEOVER_MS, IDEMPOTENCY_WINDOW_MS, createIdempotencyKeys, requestFingerprint } from './idempotency-keys';

// POST /api/transfers with an Idempotency-Key (docs/api.md §8), on both databases, against a real node.
describe.each(DIALECTS)('Idempotency-Key on POST /api/transfers on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  let alice: LoggedIn;
  let bob: LoggedIn;
  let spaceId: string;

  beforeAll(async () => {
    node = await startNodeProcess();
  });
  afterAll(() => node.stop());
  beforeEach(async () => {
    t = await createTestApp(dialect, {}, { embeddedNode: embeddedNodeOf(node) });
    alice = await t.login('alice');
    bob = await t.login('bob');
    const space = await t.api(alice, 'POST', '/api/spaces', { name: `Idem ${randomBytes(4).toString('hex')}` });
    spaceId = space.json.id as string;
    const bobRow = await t.db.selectFrom('users').select('id').where('username', '=', 'bob').executeTakeFirstOrThrow();
    const member = await t.api(alice, 'PUT', `/api/spaces/${spaceId}/members`, {
      principalType: 'user',
      principalId: bobRow.id,
      role: 'contributor',
    });
    expect(member.status).toBeLessThan(300);
  });
  afterEach(() => t.close());

  const uploadOf = (name: string, size = 5) => ({ spaceId, direction: 'upload', folder: '/', files: [{ path: name, size }] });

  async function create(who: LoggedIn, body: object, key?: string) {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/transfers',
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken, ...(key === undefined ? {} : { 'idempotency-key': key }) },
      payload: body,
    });
    return { status: r.statusCode, json: r.json(), retryAfter: r.headers['retry-after'] };
  }

  const records = async () => (await t.db.selectFrom('transfers').select(['id', 'user_id']).execute()).map((r) => r.id);
  const tokenOf = (spec: { token?: string }) => spec.token;

  it('answers a repeat with the same record and a fresh spec, which carries the upload', async () => {
    const key = randomUUID();
    const first = await create(alice, uploadOf('a.txt'), key);
    const again = await create(alice, uploadOf('a.txt'), key);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.json.transfer.id).toBe(first.json.transfer.id);
    expect(await records()).toEqual([first.json.transfer.id]);
    // A fresh spec, asked of the node again (never stored): another token, tagged for the same record.
    expect(tokenOf(again.json.transferSpec)).toEqual(expect.any(String));
    expect(tokenOf(again.json.transferSpec)).not.toBe(tokenOf(first.json.transferSpec));
    expect(again.json.transferSpec.tags.courier.transfer_id).toBe(first.json.transfer.id);
    const sent = await gatewayUpload(node.gatewayUrl, again.json.transferSpec, [{ path: 'a.txt', data: Buffer.from('hello') }]);
    expect(sent.status).toBe(200);
    const stored = await t.db.selectFrom('idempotency_keys').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(tokenOf(first.json.transferSpec));
  });

  it('refuses the same key with another body (422), and leaves the first record alone', async () => {
    const key = 'order-42';
    expect((await create(alice, uploadOf('a.txt'), key)).status).toBe(201);
    const other = await create(alice, uploadOf('b.txt'), key);
    expect(other.status).toBe(422);
    expect(other.json).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', message: expect.stringContaining('different request') });
    expect(await records()).toHaveLength(1);
  });

  it('makes one record of concurrent requests with one key: the others are the same record or told to retry', async () => {
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 4 }, () => create(alice, uploadOf('c.txt'), key)));
    const ids = await records();
    expect(ids).toHaveLength(1);
    for (const a of answers) {
      if (a.status === 201) expect(a.json.transfer.id).toBe(ids[0]);
      else expect([a.status, a.json.code, a.retryAfter]).toEqual([409, 'IDEMPOTENCY_KEY_IN_USE', '1']);
    }
    expect(answers.some((a) => a.status === 201)).toBe(true);
  });

  it("keeps each user's keys apart, and without a key every request is a new transfer", async () => {
    const key = 'same-key';
    const a = await create(alice, uploadOf('d.txt'), key);
    const b = await create(bob, uploadOf('d.txt'), key);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.json.transfer.id).not.toBe(a.json.transfer.id);
    const plain = [await create(alice, uploadOf('d.txt')), await create(alice, uploadOf('d.txt'))];
    expect(plain.map((p) => p.status)).toEqual([201, 201]);
    expect(new Set(plain.map((p) => p.json.transfer.id)).size).toBe(2);
    expect(await records()).toHaveLength(4);
  });

  it('refuses a malformed key with 400 and a clear message; the draft quoted form is the same key', async () => {
    for (const bad of ['', 'has space', 'x'.repeat(256), 'tab\there', 'é']) {
      const r = await create(alice, uploadOf('e.txt'), bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.json.message).toContain('Idempotency-Key is 1 to 255 visible ASCII characters');
    }
    expect(await records()).toEqual([]);
    const plain = await create(alice, uploadOf('e.txt'), 'k-1');
    const quoted = await create(alice, uploadOf('e.txt'), '"k-1"');
    expect(quoted.json.transfer.id).toBe(plain.json.transfer.id);
  });

  it("takes over a claim whose instance died before recording (after the takeover bound), under the claim's transfer id", async () => {
    const key = randomUUID();
    const body = uploadOf('f.txt');
    const keys = createIdempotencyKeys(t.db);
    const users = await t.db.selectFrom('users').select('id').where('username', '=', 'alice').executeTakeFirstOrThrow();
    // What an instance killed mid-request leaves: its claim, no record. The fingerprint is of the
    // body as the route parsed it (defaults filled in).
    const parsed = { ...body, emptyFolders: [], replace: [] };
    const ref = { userId: users.id, operation: 'POST /api/transfers', key };
    const claimId = randomUUID();
    const { row } = await keys.claim(ref, requestFingerprint(parsed), claimId, Date.now());
    // Still fresh: the repeat is told to come back.
    const early = await create(alice, body, key);
    expect([early.status, early.retryAfter]).toEqual([409, '1']);
    await t.db
      .updateTable('idempotency_keys')
      .set({ claimed_at: row.claimed_at - CLAIM_TAKEOVER_MS - 1 })
      .execute();
    const late = await create(alice, body, key);
    expect(late.status).toBe(201);
    expect(late.json.transfer.id).toBe(claimId);
    expect(await records()).toEqual([claimId]);
  });

  it('lets a failed request release its key, and a key past its day names a new request (and is purged)', async () => {
    const key = randomUUID();
    const missing = await create(alice, { ...uploadOf('g.txt'), spaceId: randomUUID() }, key);
    expect(missing.status).toBe(404);
    expect(await t.db.selectFrom('idempotency_keys').selectAll().execute()).toEqual([]);
    const first = await create(alice, uploadOf('g.txt'), key);
    await t.db
      .updateTable('idempotency_keys')
      .set({ created_at: Date.now() - IDEMPOTENCY_WINDOW_MS - 1 })
      .execute();
    const later = await create(alice, uploadOf('g.txt'), key);
    expect(later.status).toBe(201);
    expect(later.json.transfer.id).not.toBe(first.json.transfer.id);
    await t.db
      .updateTable('idempotency_keys')
      .set({ created_at: Date.now() - IDEMPOTENCY_WINDOW_MS - 1 })
      .execute();
    expect(await createIdempotencyKeys(t.db).purgeCreatedBefore(Date.now() - IDEMPOTENCY_WINDOW_MS)).toBe(1);
  });
});
