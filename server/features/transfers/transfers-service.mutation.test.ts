import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gatewayUpload, partialUpload } from '../../../test-kit/gateway-upload';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { createServiceFixture, type ServiceFixture } from '../../test/service-fixture';
import { DIALECTS } from '../../test/test-database';
import { CLAIM_TAKEOVER_MS, createIdempotencyKeys, IDEMPOTENCY_WINDOW_MS } from './idempotency-keys';
import { createTransfersRepository, type TransfersRepository } from './transfers-repository';
import { createTransfersService } from './transfers-service';

// The transfers service called directly over a real database, against a real embedded node
// started once for the file as a process (docs/reliability.md, "Mutation testing"): what the node is asked,
// what is recorded, and what the returned spec lets a client do on the node.
let node: NodeProcess;
beforeAll(async () => {
  node = await startNodeProcess();
});
afterAll(() => node.stop());

const onNode = (nodePath: string) => join(node.docroot, nodePath);

describe.each(DIALECTS)('transfers service on %s', (dialect) => {
  let f: ServiceFixture;
  let nodeId: string;
  let spaceId: string;
  let root: string;
  let transfers: TransfersRepository;
  let changes: number;
  let service: ReturnType<typeof createTransfersService>;

  const connection = () => ({ url: node.url, username: node.username, secret: node.password });

  beforeEach(async () => {
    f = await createServiceFixture(dialect);
    nodeId = await f.addNode({ ...connection(), gatewayUrl: node.gatewayUrl });
    root = `/spaces/t-${Math.random().toString(36).slice(2, 10)}`;
    spaceId = await f.addSpace(nodeId, 'Transfers', root);
    await f.spaces.putMember({ space_id: spaceId, principal_type: 'user', principal_id: f.bob.id, role: 'contributor' });
    await f.spaces.putMember({ space_id: spaceId, principal_type: 'user', principal_id: f.carol.id, role: 'viewer' });
    transfers = createTransfersRepository(f.db);
    changes = 0;
    service = createTransfersService({
      access: f.access,
      clients: f.clients,
      transfers,
      keys: createIdempotencyKeys(f.db),
      tokenLifeSeconds: () => 600,
      onChange: () => (changes += 1),
    });
  });
  afterEach(() => f.close());

  const upload = (
    who = f.bob,
    fields: Partial<{
      folder: string;
      files: Array<{ path: string; size: number }>;
      emptyFolders: string[];
      replace: string[];
      client: 'http-gateway' | 'desktop';
    }> = {},
  ) =>
    service.create(who, {
      spaceId,
      direction: 'upload',
      folder: fields.folder ?? '/',
      files: fields.files ?? [{ path: 'a.txt', size: 3 }],
      emptyFolders: fields.emptyFolders ?? [],
      replace: fields.replace ?? [],
      ...(fields.client ? { client: fields.client } : {}),
    });
  const download = (paths: string[], who = f.bob) => service.create(who, { spaceId, direction: 'download', paths, except: [] });

  describe('uploads', () => {
    it('asks the node for a token bound to the files, records the transfer, and the spec carries it', async () => {
      const res = await upload(f.bob, {
        folder: '/in',
        files: [
          { path: 'q1.txt', size: 5 },
          { path: 'tree/x.bin', size: 2 },
          { path: 'tree/y.bin', size: 0 },
        ],
      });
      expect(res.clients).toEqual([{ type: 'http-gateway', url: node.gatewayUrl }]);
      expect(res.transferSpec).toMatchObject({
        destination_root: `${root}/in`,
        paths: [
          { source: 'q1.txt', destination: 'q1.txt' },
          { source: 'tree/x.bin', destination: 'tree/x.bin' },
          { source: 'tree/y.bin', destination: 'tree/y.bin' },
        ],
        title: '3 files to in',
        overwrite: 'never',
        token: expect.stringMatching(/^ATC1_/),
      });
      expect(res.transfer).toMatchObject({
        userId: f.bob.id,
        spaceId,
        direction: 'upload',
        title: '3 files to in',
        folder: '/in',
        paths: ['q1.txt', 'tree'],
        fileCount: 3,
        bytesExpected: 7,
        bytesTransferred: 0,
        client: 'http-gateway',
        status: 'authorized',
        error: null,
        startedAt: null,
        endedAt: null,
      });
      expect(await service.get(f.bob, res.transfer.id)).toEqual(res.transfer);
      expect(changes).toBe(1);
      const sent = await gatewayUpload(node.gatewayUrl, res.transferSpec, [
        { path: 'q1.txt', data: 'hello' },
        { path: 'tree/x.bin', data: 'xx' },
        { path: 'tree/y.bin', data: '' },
      ]);
      expect(sent.status).toBe(200);
      expect(await readFile(onNode(`${root}/in/q1.txt`), 'utf8')).toBe('hello');
      // The token is bound to the files declared: another name is refused by the node.
      const other = await upload(f.bob, { files: [{ path: 'declared.txt', size: 1 }] });
      const refused = await gatewayUpload(node.gatewayUrl, other.transferSpec, [{ path: 'undeclared.txt', data: 'x' }]);
      expect(refused.status).toBe(403);
    });

    it('lets a contributor add files but not replace them; a manager may replace, when asked to', async () => {
      await mkdir(onNode(root), { recursive: true });
      await writeFile(onNode(`${root}/a.txt`), 'old');
      // A name already there is a decision the person makes (issue 12): unasked, it is refused.
      await expect(upload(f.bob)).rejects.toMatchObject({ statusCode: 409, code: 'NAME_TAKEN' });
      await expect(upload(f.alice)).rejects.toMatchObject({ statusCode: 409, code: 'NAME_TAKEN' });
      await expect(upload(f.bob, { replace: ['a.txt'] })).rejects.toMatchObject({ statusCode: 403 });
      // A contributor's token never overwrites, even if the spec is edited to say so.
      const contributor = await upload(f.bob, { files: [{ path: 'b.txt', size: 3 }] });
      expect(contributor.transferSpec.overwrite).toBe('never');
      await writeFile(onNode(`${root}/b.txt`), 'old');
      expect(
        (await gatewayUpload(node.gatewayUrl, { ...contributor.transferSpec, overwrite: 'always' }, [{ path: 'b.txt', data: 'new' }]))
          .status,
      ).toBe(409);
      expect(await readFile(onNode(`${root}/b.txt`), 'utf8')).toBe('old');
      const manager = await upload(f.alice, { replace: ['a.txt'] });
      expect(manager.transferSpec.overwrite).toBe('always');
      expect((await gatewayUpload(node.gatewayUrl, manager.transferSpec, [{ path: 'a.txt', data: 'new' }])).status).toBe(200);
      expect(await readFile(onNode(`${root}/a.txt`), 'utf8')).toBe('new');
    });

    it('titles an upload by its one dropped item, and creates empty folders on the node', async () => {
      const one = await upload(f.bob, {
        files: [
          { path: 'Photos/a.jpg', size: 1 },
          { path: 'Photos/b.jpg', size: 1 },
        ],
        emptyFolders: ['Photos/empty', 'Other/none'],
      });
      expect(one.transfer.title).toBe('Photos');
      expect(one.transfer.paths).toEqual(['Photos']);
      expect((await stat(onNode(`${root}/Photos/empty`))).isDirectory()).toBe(true);
      expect((await stat(onNode(`${root}/Other/none`))).isDirectory()).toBe(true);
      const inFolder = await upload(f.bob, { folder: '/deep/er', files: [{ path: 'x.txt', size: 1 }], emptyFolders: ['e'] });
      expect(inFolder.transfer.title).toBe('x.txt to er');
      expect((await stat(onNode(`${root}/deep/er/e`))).isDirectory()).toBe(true);
    });

    it('records at most 100 dropped items, and the client the browser chose', async () => {
      const files = Array.from({ length: 120 }, (_, i) => ({ path: `f${i}.txt`, size: 1 }));
      const res = await upload(f.bob, { files, client: 'desktop' });
      expect(res.transfer.paths).toHaveLength(100);
      expect(res.transfer.fileCount).toBe(120);
      expect(res.transfer.bytesExpected).toBe(120);
      expect(res.transfer.client).toBe('desktop');
      expect(res.transfer.title).toBe('120 files');
    });

    it('refuses a viewer, a bad path, an empty file name, and a path too long under the root, recording nothing', async () => {
      await expect(upload(f.carol)).rejects.toThrow(
        expect.objectContaining({ statusCode: 403, message: 'You are not allowed to upload to this space.' }),
      );
      await expect(upload(f.bob, { folder: '../up' })).rejects.toThrow(expect.objectContaining({ code: 'INVALID_PATH' }));
      await expect(upload(f.bob, { files: [{ path: 'a/../../b', size: 1 }] })).rejects.toThrow(
        expect.objectContaining({ code: 'INVALID_PATH' }),
      );
      await expect(upload(f.bob, { emptyFolders: ['x\u0000'] })).rejects.toThrow(expect.objectContaining({ code: 'INVALID_PATH' }));
      await expect(upload(f.bob, { files: [{ path: '/', size: 1 }] })).rejects.toThrow(
        expect.objectContaining({ code: 'INVALID_PATH', message: 'The path "" is not a file name.' }),
      );
      const long = `${'d/'.repeat(2040)}f`;
      await expect(upload(f.bob, { folder: '/', files: [{ path: long, size: 1 }] })).rejects.toThrow(
        expect.objectContaining({ code: 'INVALID_PATH', message: expect.stringContaining('is longer than 4096 characters') }),
      );
      expect(await service.list(f.bob, { all: false, limit: 10 })).toEqual([]);
      expect(changes).toBe(0);
    });

    it('asks an HSTS node for a folder token and offers Desktop first', async () => {
      const hsts = await f.addNode({ ...connection(), gatewayUrl: null, name: 'hsts', kind: 'hsts' });
      const hstsRoot = `${root}-hsts`;
      const space = await f.addSpace(hsts, 'On HSTS', hstsRoot);
      await f.spaces.putMember({ space_id: space, principal_type: 'user', principal_id: f.bob.id, role: 'manager' });
      const res = await service.create(f.bob, {
        spaceId: space,
        direction: 'upload',
        folder: '/',
        files: [{ path: 'any.txt', size: 1 }],
        emptyFolders: [],
        replace: [],
      });
      // No gateway URL registered: the one the node's spec names.
      expect(res.clients).toEqual([{ type: 'desktop' }, { type: 'http-gateway', url: node.gatewayUrl }]);
      expect(res.transfer.client).toBe('desktop');
      // A folder token: any file under the folder is accepted.
      expect((await gatewayUpload(node.gatewayUrl, res.transferSpec, [{ path: 'other.txt', data: 'x' }])).status).toBe(200);
    });
  });

  describe('downloads', () => {
    beforeEach(async () => {
      await mkdir(onNode(`${root}/docs/sub`), { recursive: true });
      await writeFile(onNode(`${root}/docs/a.txt`), 'aaaa');
      await writeFile(onNode(`${root}/docs/sub/b.txt`), 'bb');
    });

    it('asks the node for sources relative to the space root, and records them', async () => {
      const res = await download(['/docs/a.txt']);
      expect(res.transferSpec).toMatchObject({ source_root: root, paths: [{ source: 'docs/a.txt' }], title: 'a.txt' });
      expect(res.transfer).toMatchObject({
        direction: 'download',
        title: 'a.txt',
        folder: '/docs',
        paths: ['/docs/a.txt'],
        fileCount: 1,
        bytesExpected: 4,
        status: 'authorized',
      });
      expect(changes).toBe(1);
    });

    it('titles several items by their count, the root "All files", and records their common folder', async () => {
      const several = await download(['/docs/a.txt', '/docs/sub/b.txt']);
      expect(several.transfer).toMatchObject({ title: '2 items', folder: '/docs', fileCount: 2, bytesExpected: 6 });
      const whole = await download(['/']);
      expect(whole.transferSpec.paths).toEqual([{ source: '.' }]);
      expect(whole.transfer).toMatchObject({ title: 'All files', folder: '/' });
      const apart = await download(['/docs/sub/b.txt', '/docs/a.txt']);
      expect(apart.transfer.folder).toBe('/docs');
      const nested = await download(['/docs/sub/b.txt', '/docs/sub']);
      expect(nested.transfer.folder).toBe('/docs');
    });

    it('says which path is missing when the node does not have it, and records nothing', async () => {
      await expect(download(['/docs/missing.txt'])).rejects.toThrow(
        expect.objectContaining({ statusCode: 404, code: 'PATH_NOT_FOUND', message: '/docs/missing.txt does not exist.' }),
      );
      expect(await service.list(f.bob, { all: false, limit: 10 })).toEqual([]);
      expect(changes).toBe(0);
    });

    it('refuses a non-member as "not found", and a bad path', async () => {
      const outsider = { ...f.carol, id: 'not-a-member' };
      await expect(download(['/docs/a.txt'], outsider)).rejects.toThrow(expect.objectContaining({ code: 'SPACE_NOT_FOUND' }));
      await expect(download(['/docs/../../x'])).rejects.toThrow(expect.objectContaining({ code: 'INVALID_PATH' }));
    });

    it('names the node when it cannot be reached', async () => {
      const downNode = await f.addNode({ url: 'http://127.0.0.1:9', username: 'n', secret: 's', gatewayUrl: null, name: 'offline' });
      const space = await f.addSpace(downNode, 'Offline', '/offline');
      await expect(service.create(f.alice, { spaceId: space, direction: 'download', paths: ['/a'], except: [] })).rejects.toThrow(
        expect.objectContaining({ statusCode: 502, message: expect.stringContaining('"offline"') }),
      );
    });
  });

  describe('list, get and client reports', () => {
    it("lists a user's own transfers; only an admin sees others', all or by user", async () => {
      const bobs = await upload(f.bob);
      const alices = await upload(f.alice);
      expect((await service.list(f.bob, { all: false, limit: 10 })).map((t) => t.id)).toEqual([bobs.transfer.id]);
      const forbidden = expect.objectContaining({ statusCode: 403, message: "You are not allowed to see other people's transfers." });
      await expect(service.list(f.bob, { all: true, limit: 10 })).rejects.toThrow(forbidden);
      await expect(service.list(f.bob, { all: false, userId: f.alice.id, limit: 10 })).rejects.toThrow(forbidden);
      expect((await service.list(f.alice, { all: true, limit: 10 })).map((t) => t.id).sort()).toEqual(
        [bobs.transfer.id, alices.transfer.id].sort(),
      );
      expect((await service.list(f.alice, { all: true, userId: f.bob.id, limit: 10 })).map((t) => t.id)).toEqual([bobs.transfer.id]);
      expect((await service.list(f.alice, { all: false, limit: 10 })).map((t) => t.id)).toEqual([alices.transfer.id]);
      expect(await service.list(f.bob, { all: false, limit: 10, before: new Date(0).toISOString() })).toEqual([]);
      expect(await service.list(f.bob, { all: false, limit: 10, before: 'not a date' })).toHaveLength(1);
      expect(await service.list(f.bob, { all: false, limit: 10, status: 'completed' })).toEqual([]);
      expect(await service.list(f.bob, { all: false, limit: 10, spaceId: 'other' })).toEqual([]);
    });

    it("answers 'not found' for someone else's transfer, except to an admin", async () => {
      const bobs = await upload(f.bob);
      const notFound = expect.objectContaining({ statusCode: 404, message: 'This transfer was not found.' });
      await expect(service.get(f.carol, bobs.transfer.id)).rejects.toThrow(notFound);
      await expect(service.get(f.bob, 'no-such-transfer')).rejects.toThrow(notFound);
      expect((await service.get(f.alice, bobs.transfer.id)).id).toBe(bobs.transfer.id);
      // Only the owner reports on a transfer, admin or not.
      await expect(service.reportFromClient(f.alice, bobs.transfer.id, { status: 'running' })).rejects.toThrow(notFound);
      await expect(service.reportFromClient(f.bob, 'no-such-transfer', { status: 'running' })).rejects.toThrow(notFound);
    });

    it('records a start, keeps its first time, and never records completion from the browser', async () => {
      const { transfer } = await upload(f.bob);
      const running = await service.reportFromClient(f.bob, transfer.id, { status: 'running', client: 'desktop' });
      expect(running).toMatchObject({ status: 'running', client: 'desktop', endedAt: null });
      expect(running.startedAt).not.toBeNull();
      const completed = await service.reportFromClient(f.bob, transfer.id, { status: 'completed' });
      expect(completed).toMatchObject({ status: 'running', client: 'desktop', startedAt: running.startedAt });
      expect(await service.get(f.bob, transfer.id)).toEqual(completed);
      expect(changes).toBe(3);
    });

    it('records a failure with its reason or a default, and an ended transfer stays as it ended', async () => {
      const first = await upload(f.bob);
      const failed = await service.reportFromClient(f.bob, first.transfer.id, { status: 'failed', error: 'Disk full' });
      expect(failed).toMatchObject({ status: 'failed', error: 'Disk full' });
      expect(failed.endedAt).not.toBeNull();
      const second = await upload(f.bob);
      expect(await service.reportFromClient(f.bob, second.transfer.id, { status: 'failed' })).toMatchObject({
        error: 'The transfer failed in the browser.',
      });
      const changesBefore = changes;
      expect(await service.reportFromClient(f.bob, first.transfer.id, { status: 'running' })).toEqual(failed);
      expect(changes).toBe(changesBefore);
    });

    it('a cancellation before the node saw the transfer is recorded without a reason', async () => {
      const { transfer } = await upload(f.bob);
      const cancelled = await service.reportFromClient(f.bob, transfer.id, { status: 'cancelled', error: 'ignored' });
      expect(cancelled).toMatchObject({ status: 'cancelled', error: null });
      expect(cancelled.endedAt).not.toBeNull();
    });

    it('cancels on the node a transfer the node is running', async () => {
      const { transfer, transferSpec } = await upload(f.bob, { files: [{ path: 'big.bin', size: 1000 }] });
      const held = partialUpload(node.gatewayUrl, transferSpec, { path: 'big.bin', size: 1000 }, 100);
      const nodeTransferId = await runningOnNode(transfer.id);
      await transfers.update(transfer.id, { node_transfer_id: nodeTransferId });
      const cancelled = await service.reportFromClient(f.bob, transfer.id, { status: 'cancelled' });
      expect(cancelled.status).toBe('cancelled');
      expect((await held.response).status).toBe(499);
      const { client } = await f.clients.forNode(nodeId);
      expect((await client.getTransfer(nodeTransferId)).status).toBe('canceled');
      // A node that no longer knows the transfer does not stop the record from ending.
      const other = await upload(f.bob);
      await transfers.update(other.transfer.id, { node_transfer_id: 'unknown-on-node' });
      expect((await service.reportFromClient(f.bob, other.transfer.id, { status: 'cancelled' })).status).toBe('cancelled');
    });
  });

  describe('Idempotency-Key (docs/api.md §8)', () => {
    const body = (name = 'k.txt') => ({
      spaceId,
      direction: 'upload' as const,
      folder: '/',
      files: [{ path: name, size: 1 }],
      emptyFolders: [],
      replace: [],
    });
    const count = async () => (await f.db.selectFrom('transfers').select('id').execute()).length;
    const keyRow = () => f.db.selectFrom('idempotency_keys').selectAll().executeTakeFirst();

    it('answers a repeat with the record and a new spec, refuses another body, and is told to wait while the first runs', async () => {
      const first = await service.create(f.bob, body(), 'k1');
      const again = await service.create(f.bob, body(), 'k1');
      expect(again.transfer).toEqual(first.transfer);
      expect(again.transferSpec.token).not.toBe(first.transferSpec.token);
      expect(changes).toBe(1);
      await expect(service.create(f.bob, body('other.txt'), 'k1')).rejects.toMatchObject({
        statusCode: 422,
        code: 'IDEMPOTENCY_KEY_REUSED',
      });
      expect(await count()).toBe(1);
      // A claim with no record yet, made just now: still running somewhere.
      await f.db.deleteFrom('transfers').execute();
      await f.db
        .updateTable('idempotency_keys')
        .set({ claimed_at: Date.now() - CLAIM_TAKEOVER_MS + 2_000 })
        .execute();
      await expect(service.create(f.bob, body(), 'k1')).rejects.toMatchObject({
        statusCode: 409,
        code: 'IDEMPOTENCY_KEY_IN_USE',
        extra: { retryAfterSeconds: 1 },
      });
      expect(await count()).toBe(0);
      // Past the takeover bound: its instance died; the repeat records under the claim's id.
      await f.db
        .updateTable('idempotency_keys')
        .set({ claimed_at: Date.now() - CLAIM_TAKEOVER_MS - 1 })
        .execute();
      const taken = await service.create(f.bob, body(), 'k1');
      expect(taken.transfer.id).toBe(first.transfer.id);
      expect(await count()).toBe(1);
      expect((await keyRow())?.claimed_at).toBeGreaterThan(Date.now() - CLAIM_TAKEOVER_MS);
    });

    it('answers for the record a slow first request inserted after the takeover, with no second record', async () => {
      const first = await service.create(f.bob, body(), 'k2');
      await f.db
        .updateTable('idempotency_keys')
        .set({ claimed_at: Date.now() - CLAIM_TAKEOVER_MS - 1 })
        .execute();
      await transfers.update(first.transfer.id, { title: 'as the first request recorded it' });
      // The repeat reads no record (the first has not inserted yet), takes over, and meets the first's insert.
      let reads = 0;
      const racing = createTransfersService({
        access: f.access,
        clients: f.clients,
        transfers: { ...transfers, find: async (id: string) => (reads++ === 0 ? undefined : transfers.find(id)) },
        keys: createIdempotencyKeys(f.db),
        tokenLifeSeconds: () => 600,
        onChange: () => (changes += 1),
      });
      const answer = await racing.create(f.bob, body(), 'k2');
      expect(answer.transfer).toMatchObject({ id: first.transfer.id, title: 'as the first request recorded it' });
      expect(answer.transferSpec.token).toEqual(expect.any(String));
      expect(await count()).toBe(1);
      expect(changes).toBe(1);
    });

    it('lets a failed request release its key, and names a new request with a key past its day', async () => {
      await expect(service.create(f.bob, { ...body(), spaceId: 'no-such-space' }, 'k3')).rejects.toMatchObject({ statusCode: 404 });
      expect(await keyRow()).toBeUndefined();
      const first = await service.create(f.bob, body(), 'k3');
      await f.db
        .updateTable('idempotency_keys')
        .set({ created_at: Date.now() - IDEMPOTENCY_WINDOW_MS })
        .execute();
      const later = await service.create(f.bob, body(), 'k3');
      expect(later.transfer.id).not.toBe(first.transfer.id);
      expect(await count()).toBe(2);
      // Each person's keys are their own.
      await mkdir(onNode(root), { recursive: true });
      await writeFile(onNode(`${root}/d.txt`), 'd');
      const carolsKey = await service.create(f.carol, { spaceId, direction: 'download', paths: ['/d.txt'], except: [] }, 'k3');
      expect(carolsKey.transfer.userId).toBe(f.carol.id);
    });
  });

  /** The node's id of the running upload tagged with the portal's transfer id. */
  async function runningOnNode(transferId: string): Promise<string> {
    const { client } = await f.clients.forNode(nodeId);
    for (;;) {
      const { transfers: page } = await client.listTransfers({ activeOnly: true, tag: `courier.transfer_id=${transferId}` });
      const found = page.find((t) => (t.bytes_transferred ?? 0) > 0);
      if (found) return found.id;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
});
