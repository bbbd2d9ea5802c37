import { createHash } from 'node:crypto';
import { fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { gatewayDownload, specHeader } from '../../../test-kit/gateway-download';
import { createShareFixture, type ShareFixture } from '../../test/share-fixture';
import { startSmtpTestServer } from '../../test/smtp-test-server';
import { TEST_PASSWORD } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const DAY_MS = 86_400_000;

describe.each(DIALECTS)('share links on %s', (dialect) => {
  let node: NodeProcess;
  let f: ShareFixture;

  beforeAll(async () => {
    node = await startNodeProcess();
  });
  afterAll(() => node.stop());
  // A long progressive delay: the third wrong password in a row is refused whatever the test's pace.
  beforeEach(async () => {
    f = await createShareFixture(dialect, node, { COURIER_LOGIN_DELAY_STEP_SECONDS: '60' });
  });
  afterEach(() => f.close());

  const share = async (body: object, who = f.admin) => f.t.api(who, 'POST', '/api/shares', { spaceId: f.spaceId, ...body });
  const idOf = (r: { json: Record<string, unknown> }) => (r.json.share as { id: string }).id;
  const downloadsOf = async (id: string) =>
    ((await f.t.api(f.admin, 'GET', `/api/shares/${id}`)).json.share as { downloads: number }).downloads;

  /** Asks for a download through the link and carries it to the end through the gateway. */
  async function downloadThrough(id: string, paths: string[], cookie?: string) {
    const spec = await f.visit('POST', `/api/public/shares/${id}/downloads`, { payload: { paths }, ...(cookie ? { cookie } : {}) });
    expect(spec.status, JSON.stringify(spec.json)).toBe(201);
    const bytes = await gatewayDownload(node.gatewayUrl, spec.json.transferSpec as object);
    expect(bytes.status).toBe(200);
    const body = Buffer.from(await bytes.arrayBuffer());
    await f.waitForTransfer(spec.json.transferId as string, 'completed');
    return { body, transferId: spec.json.transferId as string };
  }

  it('shares a file and a folder: the recipient sees names and sizes, browses the folder, downloads byte-identical; the sharer gets a receipt and is told', async () => {
    const created = await share({ paths: ['/docs/report.pdf', '/photos'], note: 'For the audit', notify: 'every' });
    expect(created.status).toBe(201);
    const id = idOf(created);
    expect(Buffer.from(id, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect((created.json.share as { url: string }).url).toMatch(new RegExp(`/s/${id}$`));
    const expires = Date.parse((created.json.share as { expiresAt: string }).expiresAt);
    expect(Math.abs(expires - (Date.now() + 7 * DAY_MS))).toBeLessThan(60_000);

    const opened = await f.visit('GET', `/api/public/shares/${id}`);
    expect(opened.status).toBe(200);
    expect(opened.headers['cache-control']).toBe('no-store');
    expect(opened.json.share).toMatchObject({
      senderName: 'Alice Admin',
      note: 'For the audit',
      fileCount: 1,
      folderCount: 1,
      fileBytes: 70_000,
      items: [
        { name: 'report.pdf', path: '/report.pdf', type: 'file', size: 70_000 },
        { name: 'photos', path: '/photos', type: 'folder' },
      ],
    });
    expect(JSON.stringify(opened.json)).not.toContain(f.spaceId);

    const folder = await f.visit('GET', `/api/public/shares/${id}/files?path=${encodeURIComponent('/photos')}`);
    expect(folder.status).toBe(200);
    expect((folder.json.items as Array<{ path: string; type: string }>).map((i) => `${i.type}:${i.path}`)).toEqual([
      'folder:/photos/2024',
      'file:/photos/b.jpg',
    ]);

    const { body } = await downloadThrough(id, ['/photos/2024/a.jpg']);
    expect(sha256(body)).toBe(sha256(f.files['/photos/2024/a.jpg'] as Buffer));
    const second = await downloadThrough(id, ['/report.pdf']);
    expect(sha256(second.body)).toBe(sha256(f.files['/docs/report.pdf'] as Buffer));

    const detail = await f.t.api(f.admin, 'GET', `/api/shares/${id}`);
    expect(detail.json.share).toMatchObject({ downloads: 2, status: 'active' });
    expect(detail.json.receipts).toEqual([
      expect.objectContaining({ paths: ['/report.pdf'], outcome: 'complete', sourceAddress: '203.0.113.7', client: 'http-gateway' }),
      expect.objectContaining({ paths: ['/photos/2024/a.jpg'], outcome: 'complete', bytesTransferred: 5000 }),
    ]);
    expect(f.notifier.notices.map((n) => [n.kind, n.userId])).toEqual([
      ['share.downloaded', expect.any(String)],
      ['share.downloaded', expect.any(String)],
    ]);
    expect(f.notifier.notices[0]?.subject).toContain('a.jpg');

    const audit = await f.t.api(f.admin, 'GET', '/api/audit?limit=500');
    const actions = (audit.json.entries as Array<{ action: string }>).map((e) => e.action);
    for (const action of ['share-create', 'share-open', 'share-download', 'share-download-complete']) expect(actions).toContain(action);
  });

  it("records the client that may carry a recipient's download: Desktop asked of a node without FASP is the gateway's", async () => {
    const id = idOf(await share({ paths: ['/docs/report.pdf'] }));
    const asked = await f.visit('POST', `/api/public/shares/${id}/downloads`, { payload: { paths: ['/report.pdf'], client: 'desktop' } });
    expect(asked.status).toBe(201);
    expect((asked.json.clients as Array<{ type: string }>).map((c) => c.type)).toEqual(['http-gateway']);
    const browser = await f.visit('POST', `/api/public/shares/${id}/downloads`, {
      payload: { paths: ['/report.pdf'], client: 'http-gateway' },
    });
    expect(browser.status).toBe(201);
    const { receipts } = (await f.t.api(f.admin, 'GET', `/api/shares/${id}`)).json as { receipts: Array<{ client: string | null }> };
    expect(receipts.map((r) => r.client)).toEqual(['http-gateway', 'http-gateway']);
  });

  it('counts completed downloads only: page views, HEAD, GETs, an unused spec and an aborted download leave a limit of 1 untouched', async () => {
    await f.addBigFile();
    const id = idOf(await share({ paths: ['/big.bin'], maxDownloads: 1, notify: 'first' }));
    for (let i = 0; i < 3; i++) expect((await f.visit('GET', `/api/public/shares/${id}`)).status).toBe(200);
    expect((await f.visit('HEAD', `/api/public/shares/${id}`)).status).toBe(200);
    expect((await f.visit('GET', `/api/public/shares/${id}/files?path=%2Fbig.bin`)).status).toBe(404);
    const unused = await f.visit('POST', `/api/public/shares/${id}/downloads`, { payload: { paths: ['/big.bin'] } });
    expect(unused.status).toBe(201);

    const aborted = await f.visit('POST', `/api/public/shares/${id}/downloads`, { payload: { paths: ['/big.bin'] } });
    const stop = new AbortController();
    const response = await undiciFetch(`${node.gatewayUrl}/v3/download`, {
      headers: { 'x-aspera-spec': specHeader(aborted.json.transferSpec as object) },
      signal: stop.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    stop.abort();
    await reader.read().catch(() => undefined);
    await f.waitForTransfer(aborted.json.transferId as string, 'failed');
    await f.t.app.courier.tracker.sync();
    expect(await downloadsOf(id)).toBe(0);
    expect(f.notifier.notices).toEqual([]);

    const { body } = await downloadThrough(id, ['/big.bin']);
    expect(sha256(body)).toBe(sha256(f.files['/big.bin'] as Buffer));
    expect(await downloadsOf(id)).toBe(1);
    expect(f.notifier.notices).toHaveLength(1);

    const refused = await f.visit('POST', `/api/public/shares/${id}/downloads`, { payload: { paths: ['/big.bin'] } });
    expect([refused.status, refused.json.code]).toEqual([410, 'SHARE_USED_UP']);
    const page = await f.visit('GET', `/api/public/shares/${id}`);
    expect([page.status, page.json.code, page.json.share]).toEqual([410, 'SHARE_USED_UP', undefined]);
    const receipts = (await f.t.api(f.admin, 'GET', `/api/shares/${id}`)).json.receipts as Array<{ outcome: string }>;
    expect(receipts.map((r) => r.outcome).sort()).toEqual(['complete', 'in-progress', 'partial']);
  });

  it('asks for the password without showing contents, refuses a wrong one, throttles guessing, and opens with a cookie for that link only', async () => {
    const id = idOf(await share({ paths: ['/docs/report.pdf'], password: 'open sesame' }));
    const other = idOf(await share({ paths: ['/photos'], password: 'open sesame' }));
    const locked = await f.visit('GET', `/api/public/shares/${id}`);
    expect([locked.status, locked.json.code]).toEqual([401, 'SHARE_PASSWORD_REQUIRED']);
    expect(JSON.stringify(locked.json)).not.toContain('report');
    expect((await f.visit('POST', `/api/public/shares/${id}/downloads`, { payload: { paths: ['/report.pdf'] } })).status).toBe(401);

    const wrong = await f.visit('POST', `/api/public/shares/${id}/unlock`, { payload: { password: 'guess' } });
    expect([wrong.status, wrong.json.code, wrong.setCookie]).toEqual([401, 'WRONG_PASSWORD', undefined]);
    expect((await f.visit('POST', `/api/public/shares/${id}/unlock`, { payload: { password: 'guess 2' } })).status).toBe(401);
    const throttled = await f.visit('POST', `/api/public/shares/${id}/unlock`, { payload: { password: 'open sesame' } });
    expect([throttled.status, throttled.json.code]).toEqual([429, 'TOO_MANY_ATTEMPTS']);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);

    // Another source is not held back by the first one's guesses.
    const right = await f.visit('POST', `/api/public/shares/${id}/unlock`, { payload: { password: 'open sesame' }, ip: '198.51.100.4' });
    expect(right.status).toBe(204);
    expect(right.setCookie).toBeDefined();
    const opened = await f.visit('GET', `/api/public/shares/${id}`, { cookie: right.setCookie! });
    expect((opened.json.share as { items: unknown[] }).items).toHaveLength(1);
    // The cookie names its link: sent to another link with the same password, it opens nothing.
    expect((await f.visit('GET', `/api/public/shares/${other}`, { cookie: right.setCookie! })).json.code).toBe('SHARE_PASSWORD_REQUIRED');
    const { body } = await downloadThrough(id, ['/report.pdf'], right.setCookie!);
    expect(sha256(body)).toBe(sha256(f.files['/docs/report.pdf'] as Buffer));

    // A new password ends the cookies given for the old one.
    expect((await f.t.api(f.admin, 'PATCH', `/api/shares/${id}`, { password: 'new words' })).status).toBe(200);
    expect((await f.visit('GET', `/api/public/shares/${id}`, { cookie: right.setCookie! })).json.code).toBe('SHARE_PASSWORD_REQUIRED');
    const hash = await f.t.db.selectFrom('shares').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow();
    expect(hash.password_hash).toMatch(/^scrypt\$/);
  });

  it('answers 410 saying expired or revoked, for the page and for a download asked again after the revoke', async () => {
    const expiring = idOf(await share({ paths: ['/photos'] }));
    await f.t.db
      .updateTable('shares')
      .set({ expires_at: Date.now() - 1000 })
      .where('id', '=', expiring)
      .execute();
    const expired = await f.visit('GET', `/api/public/shares/${expiring}`);
    expect([expired.status, expired.json.code]).toEqual([410, 'SHARE_EXPIRED']);
    const listed = await f.t.api(f.admin, 'GET', '/api/shares');
    expect((listed.json.shares as Array<{ id: string; status: string }>).find((s) => s.id === expiring)?.status).toBe('expired');
    // Extending brings it back.
    const extended = await f.t.api(f.admin, 'PATCH', `/api/shares/${expiring}`, { expiresAt: new Date(Date.now() + DAY_MS).toISOString() });
    expect((extended.json.share as { status: string }).status).toBe('active');
    expect((await f.visit('GET', `/api/public/shares/${expiring}`)).status).toBe(200);

    const id = idOf(await share({ paths: ['/docs/report.pdf'] }));
    const before = await f.visit('POST', `/api/public/shares/${id}/downloads`, { payload: { paths: ['/report.pdf'] } });
    expect(before.status).toBe(201);
    expect(((await f.t.api(f.admin, 'DELETE', `/api/shares/${id}`)).json.share as { status: string }).status).toBe('revoked');
    for (const [method, url] of [
      ['GET', `/api/public/shares/${id}`],
      ['GET', `/api/public/shares/${id}/files?path=%2F`],
      ['POST', `/api/public/shares/${id}/downloads`],
    ] as const) {
      const r = await f.visit(method, url, method === 'POST' ? { payload: { paths: ['/report.pdf'] } } : {});
      expect([r.status, r.json.code], url).toEqual([410, 'SHARE_REVOKED']);
    }
    expect((await f.t.api(f.admin, 'PATCH', `/api/shares/${id}`, { note: 'back?' })).status).toBe(409);
  });

  it("follows the sharer's current rights: removed from the space, the link stops; given back the role, it works again", async () => {
    const bob = await f.t.login('bob');
    const users = await f.t.api(f.admin, 'GET', '/api/users');
    const bobId = (users.json.users as Array<{ id: string; username: string }>).find((u) => u.username === 'bob')!.id;
    const member = { principalType: 'user', principalId: bobId, role: 'viewer' };
    expect((await f.t.api(f.admin, 'PUT', `/api/spaces/${f.spaceId}/members`, member)).status).toBeLessThan(300);
    const id = idOf(await share({ paths: ['/photos'] }, bob));

    expect((await f.visit('GET', `/api/public/shares/${id}`)).status).toBe(200);
    expect((await f.t.api(f.admin, 'DELETE', `/api/spaces/${f.spaceId}/members/user/${bobId}`)).status).toBe(204);
    for (const url of [`/api/public/shares/${id}`, `/api/public/shares/${id}/files?path=%2Fphotos`]) {
      const r = await f.visit('GET', url);
      expect([r.status, r.json.code], url).toEqual([410, 'SHARE_UNAVAILABLE']);
    }
    // Bob can share from it no more either.
    expect((await share({ paths: ['/photos/b.jpg'] }, bob)).status).toBe(404);
    await f.t.api(f.admin, 'PUT', `/api/spaces/${f.spaceId}/members`, member);
    expect((await f.visit('GET', `/api/public/shares/${id}`)).status).toBe(200);
  });

  it('keeps every path inside the shared items', async () => {
    const id = idOf(await share({ paths: ['/photos'] }));
    const attempts = [
      '/photos/../docs',
      '../secret.txt',
      '/photos/..',
      '/photos/2024/../../secret.txt',
      '/secret.txt',
      '/docs/report.pdf',
      '/',
      '\\photos\\..\\secret.txt',
      '/photos/%2e%2e/secret.txt',
      '/photos\u2215..\u2215secret.txt',
      '/photos/\u0000',
    ];
    for (const path of attempts) {
      const browse = await f.visit('GET', `/api/public/shares/${id}/files?path=${encodeURIComponent(path)}`);
      expect([400, 404], `browse ${JSON.stringify(path)}`).toContain(browse.status);
      const download = await f.visit('POST', `/api/public/shares/${id}/downloads`, { payload: { paths: [path] } });
      expect([400, 404], `download ${JSON.stringify(path)}`).toContain(download.status);
    }
    const rows = await f.t.db.selectFrom('transfers').select('id').where('share_id', '=', id).execute();
    expect(rows).toEqual([]);
  });

  it('holds expiry to the settings, refuses two items of one name, and shows links to their sharer, the space managers and admins only', async () => {
    expect((await share({ paths: ['/photos'], expiresAt: null })).json.message).toMatch(/must expire/);
    expect((await share({ paths: ['/photos'], expiresAt: new Date(Date.now() + 200 * DAY_MS).toISOString() })).status).toBe(400);
    expect((await share({ paths: ['/photos'], expiresAt: new Date(Date.now() - 1000).toISOString() })).status).toBe(400);
    expect((await f.t.api(f.admin, 'PUT', '/api/admin/settings/shareNeverExpires', { value: 1 })).status).toBe(200);
    const forever = await share({ paths: ['/photos'], expiresAt: null });
    expect((forever.json.share as { expiresAt: string | null }).expiresAt).toBeNull();
    expect((await share({ paths: ['/photos/b.jpg', '/b.jpg'] })).json.message).toMatch(/Two shared items are named "b.jpg"/);
    expect((await share({ paths: ['/nothing-here'] })).json.code).toBe('PATH_NOT_FOUND');

    const bob = await f.t.login('bob', TEST_PASSWORD);
    expect((await f.t.api(bob, 'GET', '/api/shares')).json.shares).toEqual([]);
    expect((await f.t.api(bob, 'GET', '/api/shares?all=1')).status).toBe(403);
    expect((await f.t.api(bob, 'GET', `/api/shares/${idOf(forever)}`)).status).toBe(404);
    expect((await f.t.api(bob, 'DELETE', `/api/shares/${idOf(forever)}`)).status).toBe(404);
    expect((await f.t.api(bob, 'GET', `/api/shares?spaceId=${f.spaceId}`)).status).toBe(404);
    expect(((await f.t.api(f.admin, 'GET', `/api/shares?spaceId=${f.spaceId}`)).json.shares as unknown[]).length).toBe(1);
  });
});

describe.each(DIALECTS)('a share link sent by mail on %s', (dialect) => {
  let node: NodeProcess;
  let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
  let f: ShareFixture;

  beforeAll(async () => {
    node = await startNodeProcess();
    smtp = await startSmtpTestServer();
  });
  afterAll(async () => {
    await smtp.close();
    await node.stop();
  });
  // The portal's own notifier, queue and mail worker, sending to a real SMTP server.
  beforeEach(async () => {
    smtp.received.length = 0;
    f = await createShareFixture(dialect, node, { COURIER_SMTP_URL: smtp.url }, { realNotifier: true });
  });
  afterEach(() => f.close());

  it('mails each recipient once, in their words: who shared how many files and folders, the note, the expiry and the link; never the password', async () => {
    const password = 'open sesame 9';
    const created = await f.t.api(f.admin, 'POST', '/api/shares', {
      spaceId: f.spaceId,
      paths: ['/docs/report.pdf', '/photos'],
      note: 'The audit papers & the photos',
      password,
      recipients: ['ana@example.test', 'ben@example.test', 'Ben@Example.test'],
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const share = created.json.share as { url: string; expiresAt: string };
    await f.t.app.courier.mailWorker.flush();

    expect(smtp.received.map((m) => (Array.isArray(m.to) ? '' : m.to?.text)).sort()).toEqual(['ana@example.test', 'ben@example.test']);
    for (const mail of smtp.received) {
      expect(mail.subject).toBe('Alice Admin shared 1 file and 1 folder with you');
      expect(mail.text).toContain('Alice Admin shared 1 file and 1 folder with you: report.pdf, photos.');
      expect(mail.text).toContain('Note from Alice Admin:\nThe audit papers & the photos');
      expect(mail.text).toContain(`The link works until ${new Date(share.expiresAt).toUTCString()}.`);
      expect(mail.text).toContain('It is protected by a password, which Alice Admin gives you separately.');
      expect(mail.text).toContain(share.url);
      expect(mail.html).toContain(`href="${share.url}"`);
      expect(mail.html).toContain('The audit papers &#38; the photos');
      for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toContain(password);
    }
    // Mail only: the sharer's bell has nothing of it, and the recipients have no account.
    expect((await f.t.api(f.admin, 'GET', '/api/notifications')).json).toMatchObject({ total: 0 });
    const audit = await f.t.db.selectFrom('audit_log').select('reason').where('action', '=', 'share-create').executeTakeFirstOrThrow();
    expect(audit.reason).toContain('sent by mail to 2 addresses');
    expect(audit.reason).not.toContain('ana@example.test');
  });

  it('refuses an address that is not one, with a clear error, making no link and sending nothing', async () => {
    const refused = await f.t.api(f.admin, 'POST', '/api/shares', {
      spaceId: f.spaceId,
      paths: ['/docs/report.pdf'],
      recipients: ['ana@example.test', 'not an address'],
    });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(refused.json.message).toContain('Enter email addresses like name@example.com');
    expect((await f.t.api(f.admin, 'GET', '/api/shares')).json.shares).toEqual([]);
    await f.t.app.courier.mailWorker.flush();
    expect(smtp.received).toEqual([]);
  });
});
