import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { gatewayDownload } from '../../../test-kit/gateway-download';
import { gatewayUpload } from '../../../test-kit/gateway-upload';
import type { Notice, Notifier } from '../notifications/notifier';
import { createTestApp, embeddedNodeOf, type LoggedIn, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';
import { MAX_ATTEMPTS_PER_SOURCE } from './requests-service';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
type Json = Record<string, unknown> & { code?: string };

describe.each(DIALECTS)('file requests against the embedded node on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  let alice: LoggedIn;
  let bob: LoggedIn;
  let spaceId: string;
  let spaceDir: string;
  let notices: Notice[];

  beforeAll(async () => {
    node = await startNodeProcess();
  });
  afterAll(() => node.stop());
  beforeEach(async () => {
    notices = [];
    const notifier: Notifier = { notify: async (notice) => void notices.push(notice) };
    t = await createTestApp(dialect, {}, { notifier, embeddedNode: embeddedNodeOf(node) });
    alice = await t.login('alice');
    bob = await t.login('bob');
    const space = await t.api(alice, 'POST', '/api/spaces', { name: `Inbox ${randomBytes(4).toString('hex')}` });
    spaceId = space.json.id as string;
    const bobRow = await t.db.selectFrom('users').select('id').where('username', '=', 'bob').executeTakeFirstOrThrow();
    const member = await t.api(alice, 'PUT', `/api/spaces/${spaceId}/members`, {
      principalType: 'user',
      principalId: bobRow.id,
      role: 'contributor',
    });
    expect(member.status).toBe(200);
    const root = await t.db.selectFrom('spaces').select('root_path').where('id', '=', spaceId).executeTakeFirstOrThrow();
    spaceDir = path.join(node.docroot, root.root_path);
  });
  afterEach(() => t.close());

  const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

  async function createRequest(fields: Record<string, unknown> = {}, who = bob) {
    const created = await t.api(who, 'POST', '/api/requests', {
      spaceId,
      folder: '/inbox',
      title: 'Tax documents',
      message: 'Your 2025 papers, please',
      deadline: inAWeek(),
      ...fields,
    });
    expect(created.status).toBe(201);
    return created.json.request as { id: string; url: string };
  }

  /** A guest's call: no session cookie, from `ip`, with the unlock cookie when given. */
  async function guest(method: 'GET' | 'POST', url: string, payload?: object, options: { ip?: string; cookie?: string } = {}) {
    const r = await t.app.inject({
      method,
      url,
      remoteAddress: options.ip ?? '203.0.113.7',
      headers: options.cookie ? { cookie: options.cookie } : {},
      ...(payload ? { payload } : {}),
    });
    return { status: r.statusCode, json: (r.body ? r.json() : {}) as Json, cookies: r.cookies, headers: r.headers };
  }

  async function waitForCompleted(transferId: string) {
    for (let i = 0; i < 100; i++) {
      await t.app.courier.tracker.sync();
      const row = await t.db.selectFrom('transfers').select('status').where('id', '=', transferId).executeTakeFirst();
      if (row?.status === 'completed') return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`transfer ${transferId} never completed`);
  }

  it('takes a folder tree from a guest into its own new subfolder, whole, and tells the requester who sent what and how much', async () => {
    const request = await createRequest();
    expect(request.url).toBe(`${t.config.publicUrl ?? `http://localhost:${t.config.port}`}/r/${request.id}`);
    // 144 bits of base64url.
    expect(request.id).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const view = await guest('GET', `/api/public/requests/${request.id}`);
    expect(view.status).toBe(200);
    expect(view.json).toEqual({
      id: request.id,
      title: 'Tax documents',
      message: 'Your 2025 papers, please',
      deadline: expect.any(String),
      maxBytes: null,
      maxFiles: null,
      requireIdentity: false,
      passwordRequired: false,
      unlocked: true,
      requester: 'Bob',
    });

    const files = [
      { path: 'papers/2025/w2.pdf', data: randomBytes(70_000) },
      { path: 'papers/notes é.txt', data: Buffer.from('see attached\n') },
      { path: 'photo.jpg', data: randomBytes(1234) },
    ];
    const bytes = files.reduce((n, f) => n + f.data.length, 0);
    const submitted = await guest('POST', `/api/public/requests/${request.id}/submissions`, {
      name: 'Ana Example',
      email: 'ana@example.com',
      files: files.map((f) => ({ path: f.path, size: f.data.length })),
    });
    expect(submitted.status).toBe(201);
    const { submission, transferSpec, gatewayUrl } = submitted.json as {
      submission: { folderName: string; fileCount: number; bytes: number };
      transferSpec: { destination_root: string; overwrite: string; direction: string };
      gatewayUrl: string;
    };
    expect(submission).toMatchObject({ fileCount: 3, bytes });
    expect(submission.folderName).toMatch(/^\d{4}-\d\d-\d\d \d{4} Ana Example$/);
    expect(transferSpec).toMatchObject({ direction: 'send', overwrite: 'never' });
    expect(transferSpec.destination_root.endsWith(`/inbox/${submission.folderName}`)).toBe(true);
    expect(gatewayUrl).toBe(node.gatewayUrl);
    expect(JSON.stringify(submitted.json)).not.toContain(node.password);

    const upload = await gatewayUpload(gatewayUrl, transferSpec, files);
    expect(upload.status).toBeLessThan(400);
    const transfer = await t.db.selectFrom('transfers').selectAll().where('request_id', '=', request.id).executeTakeFirstOrThrow();
    await waitForCompleted(transfer.id);

    for (const f of files) expect(sha256(readFileSync(path.join(spaceDir, 'inbox', submission.folderName, f.path)))).toBe(sha256(f.data));
    expect(readdirSync(path.join(spaceDir, 'inbox'))).toEqual([submission.folderName]);

    expect(notices).toHaveLength(1);
    const bobId = (await t.db.selectFrom('users').select('id').where('username', '=', 'bob').executeTakeFirstOrThrow()).id;
    expect(notices[0]).toMatchObject({ kind: 'request.submitted', userId: bobId });
    expect(notices[0]?.subject).toContain('Ana Example');
    expect(notices[0]?.subject).toContain('3 files');
    expect(notices[0]?.text).toContain('papers');
    expect(notices[0]?.text).toContain('photo.jpg');
    // Where the requester acts on it: the request's own page in the SPA, as a path, so the bell opens it in
    // the same tab (the notifier makes it absolute for mail, docs/notifications.md §1).
    expect(notices[0]?.link).toBe(`/requests/${request.id}`);
    // Another pass of the tracker does not tell twice.
    await t.app.courier.tracker.sync();
    expect(notices).toHaveLength(1);

    const detail = await t.api(bob, 'GET', `/api/requests/${request.id}`);
    expect(detail.status).toBe(200);
    expect(detail.json.request).toMatchObject({ submissionCount: 1, bytesReceived: bytes, status: 'open' });
    expect(detail.json.submissions).toEqual([
      expect.objectContaining({
        folder: `/inbox/${submission.folderName}`,
        uploaderName: 'Ana Example',
        uploaderEmail: 'ana@example.com',
        fileCount: 3,
        bytes,
        names: ['papers', 'photo.jpg'],
        status: 'completed',
        completedAt: expect.any(String),
      }),
    ]);

    const audit = await t.db.selectFrom('audit_log').select(['action', 'decision']).where('action', 'like', 'request.%').execute();
    expect(new Set(audit.map((a) => `${a.action}:${a.decision}`))).toEqual(
      new Set(['request.create:allow', 'request.open:allow', 'request.submit:allow', 'request.received:allow']),
    );
  });

  it("keeps a dropped tree's empty folders inside the submission's own subfolder, under the same path rules as files", async () => {
    const request = await createRequest();
    const data = Buffer.from('the only file\n');
    const refused = await Promise.all(
      [['../outside'], ['papers/a.txt'], ['ok', 'C:\\evil']].map((emptyFolders) =>
        guest('POST', `/api/public/requests/${request.id}/submissions`, {
          name: 'Ana',
          files: [{ path: 'papers/a.txt', size: data.length }],
          emptyFolders,
        }),
      ),
    );
    expect(refused.map((r) => [r.status, r.json.code])).toEqual([
      [400, 'INVALID_PATH'],
      [400, 'VALIDATION_FAILED'],
      [400, 'INVALID_PATH'],
    ]);
    expect(existsSync(path.join(spaceDir, 'inbox'))).toBe(false);

    const submitted = await guest('POST', `/api/public/requests/${request.id}/submissions`, {
      name: 'Ana',
      files: [{ path: 'papers/a.txt', size: data.length }],
      emptyFolders: ['papers/empty/deeper', 'drafts'],
    });
    expect(submitted.status).toBe(201);
    const { submission, transferSpec } = submitted.json as { submission: { folderName: string; fileCount: number }; transferSpec: object };
    expect(submission.fileCount).toBe(1);
    expect((await gatewayUpload(node.gatewayUrl, transferSpec, [{ path: 'papers/a.txt', data }])).status).toBeLessThan(400);
    const landed = path.join(spaceDir, 'inbox', submission.folderName);
    expect(readdirSync(landed).sort()).toEqual(['drafts', 'papers']);
    expect(readdirSync(path.join(landed, 'drafts'))).toEqual([]);
    expect(readdirSync(path.join(landed, 'papers')).sort()).toEqual(['a.txt', 'empty']);
    expect(readdirSync(path.join(landed, 'papers', 'empty', 'deeper'))).toEqual([]);
    expect(readFileSync(path.join(landed, 'papers', 'a.txt'))).toEqual(data);
  });

  it('gives each submission its own subfolder, so two guests with one name and one file name overwrite nothing', async () => {
    const request = await createRequest();
    const sent: Array<{ folder: string; data: Buffer }> = [];
    for (const data of [Buffer.from('first guest'), Buffer.from('second guest, same name')]) {
      const submitted = await guest('POST', `/api/public/requests/${request.id}/submissions`, {
        name: 'Sam',
        files: [{ path: 'report.txt', size: data.length }],
      });
      expect(submitted.status).toBe(201);
      const { submission, transferSpec } = submitted.json as { submission: { folderName: string }; transferSpec: object };
      expect((await gatewayUpload(node.gatewayUrl, transferSpec, [{ path: 'report.txt', data }])).status).toBeLessThan(400);
      sent.push({ folder: submission.folderName, data });
    }
    expect(sent[0]?.folder).not.toBe(sent[1]?.folder);
    for (const s of sent) expect(readFileSync(path.join(spaceDir, 'inbox', s.folder, 'report.txt'))).toEqual(s.data);
    // Each submission is its own notice to the requester.
    for (const row of await t.db.selectFrom('transfers').select('id').where('request_id', '=', request.id).execute())
      await waitForCompleted(row.id);
    expect(notices.map((n) => n.kind)).toEqual(['request.submitted', 'request.submitted']);
    expect(notices.every((n) => n.subject.startsWith('Sam sent 1 file'))).toBe(true);
  });

  it('never hands out a folder that exists: a name taken already gets " (2)"', async () => {
    const request = await createRequest();
    // Folders for this minute and the next, as a submission would name them: one of them is taken.
    const taken: string[] = [];
    for (const offset of [0, 60_000]) {
      const at = new Date(Date.now() + offset);
      const pad = (n: number) => String(n).padStart(2, '0');
      const name = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())} ${pad(at.getUTCHours())}${pad(at.getUTCMinutes())} Lee`;
      expect((await t.api(bob, 'POST', `/api/spaces/${spaceId}/folders`, { path: `/inbox/${name}` })).status).toBe(201);
      taken.push(name);
    }
    const submitted = await guest('POST', `/api/public/requests/${request.id}/submissions`, {
      name: 'Lee',
      files: [{ path: 'a.txt', size: 1 }],
    });
    expect(submitted.status).toBe(201);
    const folderName = (submitted.json.submission as { folderName: string }).folderName;
    expect(taken).not.toContain(folderName);
    expect(folderName).toMatch(/ Lee \(2\)$/);
  });

  it('enforces the file count and total size in the portal before any setup, and the node refuses more than the token declares', async () => {
    const request = await createRequest({ maxFiles: 2, maxBytes: 100 });
    const submit = (files: Array<{ path: string; size: number }>) =>
      guest('POST', `/api/public/requests/${request.id}/submissions`, { files });

    const tooMany = await submit([
      { path: 'a', size: 1 },
      { path: 'b', size: 1 },
      { path: 'c', size: 1 },
    ]);
    expect(tooMany).toMatchObject({ status: 413, json: { code: 'LIMIT_EXCEEDED' } });
    const tooBig = await submit([{ path: 'a', size: 101 }]);
    expect(tooBig).toMatchObject({ status: 413, json: { code: 'LIMIT_EXCEEDED' } });
    expect(existsSync(path.join(spaceDir, 'inbox'))).toBe(false);

    const first = await submit([{ path: 'a.bin', size: 60 }]);
    expect(first.status).toBe(201);
    // The first submission holds its 60 bytes while it runs: 50 more would pass the limit.
    expect(await submit([{ path: 'b.bin', size: 50 }])).toMatchObject({ status: 413, json: { code: 'LIMIT_EXCEEDED' } });

    // The node holds the token to what was declared: more bytes, or another file, are refused.
    const spec = first.json.transferSpec as object;
    const oversize = await gatewayUpload(node.gatewayUrl, spec, [{ path: 'a.bin', data: randomBytes(200) }]);
    expect(oversize.status).toBeGreaterThanOrEqual(400);
    const extra = await gatewayUpload(node.gatewayUrl, spec, [{ path: 'other.bin', data: randomBytes(10) }]);
    expect(extra.status).toBeGreaterThanOrEqual(400);
    const folder = (first.json.submission as { folderName: string }).folderName;
    expect(existsSync(path.join(spaceDir, 'inbox', folder, 'other.bin'))).toBe(false);
    expect(existsSync(path.join(spaceDir, 'inbox', folder, 'a.bin'))).toBe(false);

    // A submission whose transfer failed gives its share back.
    await t.db.updateTable('transfers').set({ status: 'failed' }).where('request_id', '=', request.id).execute();
    expect((await submit([{ path: 'b.bin', size: 50 }])).status).toBe(201);
  });

  it('answers 410 with which once closed or past the deadline, and its token never outlives the deadline', async () => {
    const request = await createRequest();
    await t.db
      .updateTable('file_requests')
      .set({ deadline: Date.now() + 30_000 })
      .where('id', '=', request.id)
      .execute();
    const soon = await guest('POST', `/api/public/requests/${request.id}/submissions`, { files: [{ path: 'a', size: 1 }] });
    expect(soon.status).toBe(201);
    expect(soon.json.tokenLifeSeconds).toBeLessThanOrEqual(30);

    await t.db
      .updateTable('file_requests')
      .set({ deadline: Date.now() - 1000 })
      .where('id', '=', request.id)
      .execute();
    expect(await guest('GET', `/api/public/requests/${request.id}`)).toMatchObject({ status: 410, json: { code: 'REQUEST_EXPIRED' } });
    expect(await guest('POST', `/api/public/requests/${request.id}/submissions`, { files: [{ path: 'a', size: 1 }] })).toMatchObject({
      status: 410,
      json: { code: 'REQUEST_EXPIRED' },
    });
    expect((await t.api(bob, 'GET', `/api/requests/${request.id}`)).json.request).toMatchObject({ status: 'expired' });

    const other = await createRequest();
    expect((await t.api(bob, 'PATCH', `/api/requests/${other.id}`, { deadline: new Date(Date.now() - 60_000).toISOString() })).status).toBe(
      400,
    );
    const closed = await t.api(bob, 'DELETE', `/api/requests/${other.id}`);
    expect(closed).toMatchObject({ status: 200, json: { request: { status: 'closed' } } });
    expect(await guest('GET', `/api/public/requests/${other.id}`)).toMatchObject({ status: 410, json: { code: 'REQUEST_CLOSED' } });
    expect(await guest('POST', `/api/public/requests/${other.id}/submissions`, { files: [{ path: 'a', size: 1 }] })).toMatchObject({
      status: 410,
      json: { code: 'REQUEST_CLOSED' },
    });
    const actions = await t.db.selectFrom('audit_log').select('action').where('action', 'in', ['request.close', 'request.edit']).execute();
    expect(actions.map((a) => a.action)).toEqual(['request.close']);
  });

  it('keeps a password-protected request shut until unlocked, throttles guessing per source and per link, and a new password ends old unlocks', async () => {
    const request = await createRequest({ password: 'open sesame 42' });
    const locked = await guest('GET', `/api/public/requests/${request.id}`);
    expect(locked.json).toMatchObject({ passwordRequired: true, unlocked: false, message: null, title: 'Tax documents' });
    const files = [{ path: 'a.txt', size: 1 }];
    expect(await guest('POST', `/api/public/requests/${request.id}/submissions`, { files })).toMatchObject({
      status: 401,
      json: { code: 'PASSWORD_REQUIRED' },
    });

    for (let i = 0; i < MAX_ATTEMPTS_PER_SOURCE; i++)
      expect(await guest('POST', `/api/public/requests/${request.id}/unlock`, { password: `guess ${i}` })).toMatchObject({
        status: 403,
        json: { code: 'WRONG_PASSWORD' },
      });
    // This source is out of attempts on this link: even the right password waits.
    const throttled = await guest('POST', `/api/public/requests/${request.id}/unlock`, { password: 'open sesame 42' });
    expect(throttled).toMatchObject({ status: 429, json: { code: 'TOO_MANY_ATTEMPTS' } });
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);

    // Another source still may, and gets an httpOnly, SameSite=Strict cookie for this request alone.
    const unlocked = await guest(
      'POST',
      `/api/public/requests/${request.id}/unlock`,
      { password: 'open sesame 42' },
      { ip: '198.51.100.9' },
    );
    expect(unlocked.status).toBe(200);
    const cookie = unlocked.cookies.find((c) => c.name === 'courier_request_unlock');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: `/api/public/requests/${request.id}` });
    expect(cookie?.value).not.toContain('open sesame');
    const sent = `courier_request_unlock=${cookie?.value}`;
    expect((await guest('GET', `/api/public/requests/${request.id}`, undefined, { cookie: sent })).json).toMatchObject({
      unlocked: true,
      message: 'Your 2025 papers, please',
    });
    expect((await guest('POST', `/api/public/requests/${request.id}/submissions`, { files }, { cookie: sent })).status).toBe(201);

    // The cookie is bound to its request: another request's submission is still locked.
    const second = await createRequest({ password: 'another secret 7' });
    expect((await guest('POST', `/api/public/requests/${second.id}/submissions`, { files }, { cookie: sent })).status).toBe(401);
    // A forged cookie is no unlock.
    const forged = `courier_request_unlock=${Date.now() + 3_600_000}.${'A'.repeat(43)}`;
    expect((await guest('POST', `/api/public/requests/${request.id}/submissions`, { files }, { cookie: forged })).status).toBe(401);

    expect((await t.api(bob, 'PATCH', `/api/requests/${request.id}`, { password: 'a brand new one' })).status).toBe(200);
    expect((await guest('POST', `/api/public/requests/${request.id}/submissions`, { files }, { cookie: sent })).status).toBe(401);

    const denials = await t.db
      .selectFrom('audit_log')
      .select('reason')
      .where('action', '=', 'request.unlock')
      .where('decision', '=', 'deny')
      .execute();
    expect(denials.filter((d) => d.reason === 'wrong password')).toHaveLength(MAX_ATTEMPTS_PER_SOURCE);
  });

  it('gives a guest nothing to read: no folder, no listing, an upload-only token, path tricks refused and the name made a safe folder', async () => {
    const request = await createRequest();
    await t.api(bob, 'POST', `/api/spaces/${spaceId}/folders`, { path: '/inbox/private' });
    const view = await guest('GET', `/api/public/requests/${request.id}`);
    expect(JSON.stringify(view.json)).not.toContain('inbox');
    expect(JSON.stringify(view.json)).not.toContain(spaceId);

    // The requester's routes need a session; the public ones have nothing else.
    expect((await guest('GET', `/api/requests/${request.id}`)).status).toBe(401);
    expect((await guest('GET', `/api/public/requests/${request.id}/submissions`)).status).toBe(404);
    expect((await guest('GET', `/api/public/requests/${request.id}/files`)).status).toBe(404);
    expect((await guest('GET', `/api/spaces/${spaceId}/files?path=/inbox`)).status).toBe(401);

    for (const bad of ['../escape.txt', 'a/../../escape.txt', 'a\\..\\b.txt', 'x\u0000y', '/', '']) {
      const r = await guest('POST', `/api/public/requests/${request.id}/submissions`, { files: [{ path: bad, size: 1 }] });
      expect(r.status, bad).toBe(400);
    }

    const submitted = await guest('POST', `/api/public/requests/${request.id}/submissions`, {
      name: '../../private/..\\evil\u0007',
      files: [{ path: 'hello.txt', size: 5 }],
    });
    expect(submitted.status).toBe(201);
    const { submission, transferSpec } = submitted.json as { submission: { folderName: string }; transferSpec: { token: string } };
    expect(submission.folderName).not.toContain('/');
    expect(submission.folderName).not.toContain('\\');
    expect(submission.folderName).not.toMatch(/\.\./);
    expect(readdirSync(path.join(spaceDir, 'inbox')).sort()).toEqual([submission.folderName, 'private'].sort());

    // The upload token cannot read: not the folder, not the submission's own files.
    const download = await gatewayDownload(node.gatewayUrl, { ...transferSpec, direction: 'receive', paths: [{ source: 'hello.txt' }] });
    expect(download.status).toBeGreaterThanOrEqual(400);

    expect((await guest('GET', `/api/public/requests/${randomBytes(18).toString('base64url')}`)).status).toBe(404);
  });

  it('asks for a name and email when the request says so', async () => {
    const request = await createRequest({ requireIdentity: true });
    expect((await guest('GET', `/api/public/requests/${request.id}`)).json.requireIdentity).toBe(true);
    const files = [{ path: 'a.txt', size: 1 }];
    expect((await guest('POST', `/api/public/requests/${request.id}/submissions`, { name: 'Ana', files })).status).toBe(400);
    expect((await guest('POST', `/api/public/requests/${request.id}/submissions`, { email: 'ana@example.com', files })).status).toBe(400);
    expect(
      (await guest('POST', `/api/public/requests/${request.id}/submissions`, { name: 'Ana', email: 'not an address', files })).status,
    ).toBe(400);
    expect(
      (await guest('POST', `/api/public/requests/${request.id}/submissions`, { name: 'Ana', email: 'ana@example.com', files })).status,
    ).toBe(201);
  });

  it('needs contributor rights to create, and stops the link when the requester loses them', async () => {
    const bobId = (await t.db.selectFrom('users').select('id').where('username', '=', 'bob').executeTakeFirstOrThrow()).id;
    await t.api(alice, 'PUT', `/api/spaces/${spaceId}/members`, { principalType: 'user', principalId: bobId, role: 'viewer' });
    const refused = await t.api(bob, 'POST', '/api/requests', { spaceId, folder: '/inbox', title: 'x', deadline: inAWeek() });
    expect(refused).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    expect((await t.api(bob, 'POST', '/api/requests', { spaceId, folder: '/../..', title: 'x', deadline: inAWeek() })).status).toBe(400);

    await t.api(alice, 'PUT', `/api/spaces/${spaceId}/members`, { principalType: 'user', principalId: bobId, role: 'contributor' });
    const request = await createRequest();
    await t.api(alice, 'PUT', `/api/spaces/${spaceId}/members`, { principalType: 'user', principalId: bobId, role: 'viewer' });
    expect(await guest('POST', `/api/public/requests/${request.id}/submissions`, { files: [{ path: 'a', size: 1 }] })).toMatchObject({
      status: 410,
      json: { code: 'REQUEST_CLOSED' },
    });
    expect(existsSync(path.join(spaceDir, 'inbox'))).toBe(false);
  });

  it('lists my requests; a manager sees the space’s, an admin all; nobody else reads or closes one', async () => {
    const mine = await createRequest();
    const admins = await createRequest({ title: 'Admin asks' }, alice);
    expect(((await t.api(bob, 'GET', '/api/requests')).json.requests as Array<{ id: string }>).map((r) => r.id)).toEqual([mine.id]);
    expect((await t.api(bob, 'GET', '/api/requests?all=true')).status).toBe(403);
    expect(((await t.api(alice, 'GET', '/api/requests?all=true')).json.requests as Array<{ id: string }>).map((r) => r.id).sort()).toEqual(
      [mine.id, admins.id].sort(),
    );
    // Bob is a contributor: in the space he sees only his own.
    expect(((await t.api(bob, 'GET', `/api/requests?spaceId=${spaceId}`)).json.requests as Array<{ id: string }>).map((r) => r.id)).toEqual(
      [mine.id],
    );
    expect((await t.api(bob, 'GET', `/api/requests/${admins.id}`)).status).toBe(404);
    expect((await t.api(bob, 'PATCH', `/api/requests/${admins.id}`, { title: 'mine now' })).status).toBe(404);
    expect((await t.api(bob, 'DELETE', `/api/requests/${admins.id}`)).status).toBe(404);
    const edited = await t.api(alice, 'PATCH', `/api/requests/${mine.id}`, { title: 'Edited by an admin', maxFiles: 3 });
    expect(edited.json.request).toMatchObject({ title: 'Edited by an admin', maxFiles: 3 });
  });

  it("names each request's requester and finds requests by words of the title or the requester's name, any case, within what the caller may see", async () => {
    const tax = await createRequest({ title: 'Tax documents 2025' });
    const photos = await createRequest({ title: 'Wedding photos' });
    const admins = await createRequest({ title: '100% of the_contracts' }, alice);
    const found = async (who: LoggedIn, query: string) =>
      ((await t.api(who, 'GET', `/api/requests?${query}`)).json.requests as Array<{ id: string; requesterName: string }>)
        .map((r) => `${r.id}:${r.requesterName}`)
        .sort();
    const ids = (...pairs: Array<[{ id: string }, string]>) => pairs.map(([r, name]) => `${r.id}:${name}`).sort();
    expect(await found(alice, 'all=true')).toEqual(ids([tax, 'Bob'], [photos, 'Bob'], [admins, 'Alice Admin']));
    // Title words, any case and order; the requester's name; both at once.
    expect(await found(alice, 'all=true&q=DOCUMENTS%20tax')).toEqual(ids([tax, 'Bob']));
    expect(await found(alice, 'all=true&q=bob')).toEqual(ids([tax, 'Bob'], [photos, 'Bob']));
    expect(await found(alice, 'all=true&q=bob%20wedding')).toEqual(ids([photos, 'Bob']));
    expect(await found(alice, 'all=true&q=alice')).toEqual(ids([admins, 'Alice Admin']));
    // % and _ are letters to look for, not LIKE wildcards.
    expect(await found(alice, 'all=true&q=100%25')).toEqual(ids([admins, 'Alice Admin']));
    expect(await found(alice, 'all=true&q=e_c')).toEqual(ids([admins, 'Alice Admin']));
    expect(await found(alice, 'all=true&q=%25%25')).toEqual([]);
    // The space's manager searches the space's; Bob, a contributor, only ever his own.
    expect(await found(alice, `spaceId=${spaceId}&q=alice`)).toEqual(ids([admins, 'Alice Admin']));
    expect(await found(bob, `spaceId=${spaceId}&q=alice`)).toEqual([]);
    expect(await found(bob, 'q=contracts')).toEqual([]);
    expect(await found(bob, 'q=wedding')).toEqual(ids([photos, 'Bob']));
    expect((await t.api(bob, 'GET', `/api/requests?q=${'x'.repeat(201)}`)).status).toBe(400);
  });
});
