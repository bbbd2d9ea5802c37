import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { fetch as undiciFetch } from 'undici';
import { gatewayDownload, specHeader } from '../../../test-kit/gateway-download';
import { gatewayUpload } from '../../../test-kit/gateway-upload';
import { recordingNotifier } from '../../test/share-fixture';
import {
  createTestApp,
  embeddedNodeOf,
  TEST_PASSWORD,
  type ApiJson,
  type LoggedIn,
  type TestApp,
  waitForTransfer,
} from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const DAY_MS = 86_400_000;

interface Summary {
  id: string;
  status: string;
  unread: boolean;
  archived: boolean;
  expiresAt: string;
}
interface Receipt {
  name: string;
  kind: string;
  receipt: string;
}

describe.each(DIALECTS)('packages on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  const notifier = recordingNotifier();
  let alice: LoggedIn;
  let bob: LoggedIn;
  let carol: LoggedIn;
  let dave: LoggedIn;
  let ids: Record<string, string>;
  let groupId: string;

  // A folder tree: two levels, and a file at the top.
  const files: Record<string, Buffer> = {
    'tree/readme.txt': Buffer.from('read me first\n'),
    'tree/data/a.bin': randomBytes(40_000),
    'tree/data/deep/b.bin': randomBytes(9_000),
    'cover.pdf': randomBytes(12_000),
  };
  const declared = Object.entries(files).map(([p, data]) => ({ path: p, size: data.length }));

  /** Sends a package to bob and the group (carol) and, unless `upload` is false, carries its upload to the end. */
  async function send(body: object = {}, upload = true): Promise<{ id: string; json: ApiJson }> {
    const r = await t.api(alice, 'POST', '/api/packages', {
      recipients: { userIds: [ids.bob], groupIds: [groupId] },
      subject: 'Quarterly figures',
      message: 'All of it, as promised.',
      files: declared,
      ...body,
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const id = (r.json.package as Summary).id;
    if (upload) {
      const sent = await gatewayUpload(
        node.gatewayUrl,
        r.json.transferSpec as object,
        Object.entries(files).map(([p, data]) => ({ path: p, data })),
      );
      expect(sent.status).toBeLessThan(400);
      await waitForTransfer(t, (r.json.transfer as { id: string }).id, 'completed');
    }
    return { id, json: r.json };
  }

  const inbox = async (who: LoggedIn, query = '') => (await t.api(who, 'GET', `/api/packages?box=inbox${query}`)).json;

  beforeAll(async () => {
    node = await startNodeProcess();
    t = await createTestApp(
      dialect,
      // The codes' own tries are under test; the shared throttle's one-second step would only slow it.
      { COURIER_LOGIN_DELAY_STEP_SECONDS: '0' },
      { embeddedNode: embeddedNodeOf(node), notifier },
    );
    alice = await t.login('alice');
    ids = {};
    for (const name of ['carol', 'dave']) {
      const u = await t.api(alice, 'POST', '/api/users', {
        username: name,
        displayName: name,
        password: TEST_PASSWORD,
        email: `${name}@example.com`,
      });
      expect(u.status, JSON.stringify(u.json)).toBe(201);
      ids[name] = u.json.id as string;
    }
    const users = (await t.api(alice, 'GET', '/api/users')).json.users as Array<{ id: string; username: string }>;
    ids.bob = users.find((u) => u.username === 'bob')!.id;
    const group = await t.api(alice, 'POST', '/api/groups', { name: 'Finance' });
    groupId = group.json.id as string;
    await t.api(alice, 'PUT', `/api/groups/${groupId}/members/${ids.carol}`);
    bob = await t.login('bob');
    carol = await t.login('carol');
    dave = await t.login('dave');
  });
  afterAll(async () => {
    await t.close();
    await node.stop();
  });

  it('answers the upload as POST /api/transfers does, shows the package to recipients only once the upload completed, and tells them', async () => {
    const { id, json } = await send({}, false);
    expect(json.transferSpec).toMatchObject({ direction: 'send' });
    expect(json.clients).toEqual([{ type: 'http-gateway', url: node.gatewayUrl }]);
    expect(json.transfer).toMatchObject({ direction: 'upload', spaceId: null, packageId: id, status: 'authorized' });
    expect(json.tokenLifeSeconds).toBeGreaterThan(0);

    // Not yet uploaded: nothing in the inbox, and the package itself answers as a missing one.
    expect((await inbox(bob)).packages).toEqual([]);
    expect((await t.api(bob, 'GET', `/api/packages/${id}`)).status).toBe(404);
    expect((await t.api(bob, 'POST', `/api/packages/${id}/downloads`, {})).status).toBe(404);
    expect(notifier.notices.filter((n) => n.kind === 'package.received')).toEqual([]);
    // The sender sees it in Sent, uploading.
    const sent = (await t.api(alice, 'GET', '/api/packages?box=sent')).json.packages as Summary[];
    expect(sent.find((p) => p.id === id)?.status).toBe('uploading');

    const sentUpload = await gatewayUpload(
      node.gatewayUrl,
      json.transferSpec as object,
      Object.entries(files).map(([p, data]) => ({ path: p, data })),
    );
    expect(sentUpload.status).toBeLessThan(400);
    await waitForTransfer(t, (json.transfer as { id: string }).id, 'completed');

    const box = await inbox(bob);
    expect((box.packages as Summary[]).map((p) => [p.id, p.status, p.unread])).toEqual([[id, 'ready', true]]);
    expect(box.unread).toBe(1);
    expect((await inbox(carol)).unread).toBe(1);
    const told = notifier.notices.filter((n) => n.kind === 'package.received' && n.link?.endsWith(`/packages/${id}`));
    expect(told.map((n) => n.userId).sort()).toEqual([ids.bob, ids.carol].sort());
    expect(told.find((n) => n.userId === ids.carol)?.email).toBe('carol@example.com');

    // Stored in a folder of its own under the packages root, outside every space.
    for (const [p, data] of Object.entries(files))
      expect(sha256(readFileSync(path.join(node.docroot, 'packages', id, p)))).toBe(sha256(data));
  });

  it('downloads one file byte-identical and the whole package; the sender sees receipts per recipient; others get 404', async () => {
    const { id } = await send({ notifyOnDownload: true });
    const before = (await inbox(bob)).unread as number;
    const detail = await t.api(bob, 'GET', `/api/packages/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.json.files).toEqual(declared);
    // Opened: no longer unread, and the count drops by one.
    expect(((await inbox(bob)).packages as Summary[]).find((p) => p.id === id)?.unread).toBe(false);
    expect((await inbox(bob)).unread).toBe(before - 1);

    const one = await t.api(bob, 'POST', `/api/packages/${id}/downloads`, { paths: ['/tree/data/a.bin'] });
    expect(one.status, JSON.stringify(one.json)).toBe(201);
    expect(one.json.transfer).toMatchObject({ direction: 'download', packageId: id, spaceId: null });
    const bytes = await gatewayDownload(node.gatewayUrl, one.json.transferSpec as object);
    expect(bytes.status).toBe(200);
    expect(sha256(Buffer.from(await bytes.arrayBuffer()))).toBe(sha256(files['tree/data/a.bin']!));
    await waitForTransfer(t, (one.json.transfer as { id: string }).id, 'completed');

    let receipts = (await t.api(alice, 'GET', `/api/packages/${id}`)).json.recipients as Receipt[];
    expect(receipts.map((r) => [r.name, r.receipt]).sort()).toEqual(
      [
        ['Bob', 'partly-downloaded'],
        ['carol', 'not-opened'],
      ].sort(),
    );

    const all = await t.api(bob, 'POST', `/api/packages/${id}/downloads`, {});
    expect(all.status).toBe(201);
    expect(all.json.transferSpec).toMatchObject({ zip_required: true, download_name: 'Quarterly figures' });
    const zip = await gatewayDownload(node.gatewayUrl, all.json.transferSpec as object);
    expect(zip.status).toBe(200);
    await zip.arrayBuffer();
    await waitForTransfer(t, (all.json.transfer as { id: string }).id, 'completed');
    receipts = (await t.api(alice, 'GET', `/api/packages/${id}`)).json.recipients as Receipt[];
    expect(receipts.find((r) => r.name === 'Bob')?.receipt).toBe('downloaded');
    const downloaded = notifier.notices.filter((n) => n.kind === 'package.downloaded' && n.link?.endsWith(`/packages/${id}`));
    expect(downloaded.map((n) => n.userId)).toEqual([expect.any(String), expect.any(String)]);

    // Dave is on no package: every route answers as for a package that does not exist.
    expect((await t.api(dave, 'GET', `/api/packages/${id}`)).status).toBe(404);
    expect((await t.api(dave, 'POST', `/api/packages/${id}/downloads`, {})).status).toBe(404);
    expect((await t.api(dave, 'PUT', `/api/packages/${id}/archive`, { archived: true })).status).toBe(404);
    expect((await t.api(dave, 'DELETE', `/api/packages/${id}`)).status).toBe(404);
    expect((await inbox(dave)).packages).toEqual([]);
    // A path outside the package is refused before the node is asked.
    const escape = await t.api(bob, 'POST', `/api/packages/${id}/downloads`, { paths: ['/../../other'] });
    expect(escape.json.code).toBe('INVALID_PATH');
    expect((await t.api(bob, 'POST', `/api/packages/${id}/downloads`, { paths: ['/tree/nothing.txt'] })).json.code).toBe('PATH_NOT_FOUND');

    const audit = (await t.api(alice, 'GET', '/api/audit?limit=500')).json.entries as Array<{ action: string }>;
    for (const action of ['package-send', 'package-ready', 'package-open', 'package-download'])
      expect(audit.map((e) => e.action)).toContain(action);
  });

  it('searches and archives the inbox, keeps private recipients from each other, and lets only the sender or an admin extend and recall', async () => {
    const { id } = await send({ subject: 'Private matter', privateRecipients: true });
    expect(((await inbox(bob, '&q=private')).packages as Summary[]).map((p) => p.id)).toEqual([id]);
    expect(((await inbox(bob, '&q=alice')).packages as Summary[]).map((p) => p.id)).toContain(id);
    expect((await inbox(bob, '&q=nothing-like-it')).packages as Summary[]).toEqual([]);

    const seen = (await t.api(bob, 'GET', `/api/packages/${id}`)).json.recipients as Receipt[];
    expect(seen.map((r) => r.name)).toEqual(['Bob']);
    expect(((await t.api(alice, 'GET', `/api/packages/${id}`)).json.recipients as Receipt[]).length).toBe(2);

    expect((await t.api(bob, 'PUT', `/api/packages/${id}/archive`, { archived: true })).status).toBe(200);
    expect(((await inbox(bob)).packages as Summary[]).map((p) => p.id)).not.toContain(id);
    expect(((await inbox(bob, '&archived=1')).packages as Summary[]).map((p) => p.id)).toEqual([id]);

    const later = new Date(Date.now() + 30 * DAY_MS).toISOString();
    expect((await t.api(bob, 'PATCH', `/api/packages/${id}`, { expiresAt: later })).status).toBe(403);
    const extended = await t.api(alice, 'PATCH', `/api/packages/${id}`, { expiresAt: later });
    expect(Date.parse((extended.json.package as Summary).expiresAt)).toBe(Date.parse(later));
    expect(
      (await t.api(alice, 'PATCH', `/api/packages/${id}`, { expiresAt: new Date(Date.now() + 400 * DAY_MS).toISOString() })).status,
    ).toBe(400);

    expect((await t.api(bob, 'DELETE', `/api/packages/${id}`)).status).toBe(403);
    expect(existsSync(path.join(node.docroot, 'packages', id))).toBe(true);
    expect((await t.api(alice, 'DELETE', `/api/packages/${id}`)).status).toBe(204);
    expect(existsSync(path.join(node.docroot, 'packages', id))).toBe(false);
    expect((await t.api(bob, 'GET', `/api/packages/${id}`)).status).toBe(404);
    expect(((await inbox(bob, '&archived=1')).packages as Summary[]).map((p) => p.id)).not.toContain(id);

    // An admin deletes anyone's package.
    const other = await send({ subject: 'For the admin to remove' });
    const found = (await t.api(bob, 'GET', '/api/packages/directory?q=car')).json;
    expect(found.users).toEqual([expect.objectContaining({ id: ids.carol, username: 'carol' })]);
    expect((await t.api(bob, 'GET', '/api/packages/directory?q=fin')).json.groups).toEqual([{ id: groupId, name: 'Finance' }]);
    const bobsOwn = await t.api(bob, 'POST', '/api/packages', {
      recipients: { userIds: [ids.carol] },
      subject: 'From bob',
      files: [{ path: 'x.txt', size: 1 }],
    });
    expect(bobsOwn.status).toBe(201);
    expect((await t.api(alice, 'GET', '/api/packages?box=sent&all=1')).json.packages).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: (bobsOwn.json.package as Summary).id })]),
    );
    expect((await t.api(bob, 'GET', '/api/packages?box=sent&all=1')).status).toBe(403);
    expect((await t.api(alice, 'DELETE', `/api/packages/${(bobsOwn.json.package as Summary).id}`)).status).toBe(204);
    expect(other.id).toBeTruthy();
    const audit = (await t.api(alice, 'GET', '/api/audit?limit=500')).json.entries as Array<{ action: string }>;
    for (const action of ['package-archive', 'package-extend', 'package-delete']) expect(audit.map((e) => e.action)).toContain(action);
  });

  it('expires a due package once, even with two passes racing: its files leave the node, recipients see it expired with nothing to download', async () => {
    const { id } = await send({ subject: 'Short-lived' });
    const folder = path.join(node.docroot, 'packages', id);
    expect(existsSync(folder)).toBe(true);
    await t.db
      .updateTable('packages')
      .set({ expires_at: Date.now() - 1000 })
      .where('id', '=', id)
      .execute();
    const counts = await Promise.all([t.app.courier.expirePackages(), t.app.courier.expirePackages()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(existsSync(folder)).toBe(false);
    expect(((await inbox(bob)).packages as Summary[]).find((p) => p.id === id)?.status).toBe('expired');
    expect((await t.api(bob, 'POST', `/api/packages/${id}/downloads`, {})).json.code).toBe('CONFLICT');
    const audit = (await t.api(alice, 'GET', '/api/audit?limit=500')).json.entries as Array<{ action: string; target: string }>;
    expect(audit.filter((e) => e.action === 'package-expire' && e.target === `package ${id}`)).toHaveLength(1);
    expect(await t.app.courier.expirePackages()).toBe(0);
  });

  it('refuses bad input clearly: no recipient, unknown users, paths that escape, names twice, and external addresses unless an admin allows them', async () => {
    const post = (body: object) =>
      t.api(alice, 'POST', '/api/packages', {
        recipients: { userIds: [ids.bob] },
        subject: 'x',
        files: [{ path: 'a.txt', size: 1 }],
        ...body,
      });
    expect((await post({ recipients: {} })).json.code).toBe('VALIDATION_FAILED');
    expect((await post({ recipients: { userIds: ['no-such-user'] } })).json).toMatchObject({ code: 'BAD_REQUEST' });
    expect((await post({ files: [{ path: '../../etc/passwd', size: 1 }] })).json.code).toBe('INVALID_PATH');
    expect(
      (
        await post({
          files: [
            { path: 'a.txt', size: 1 },
            { path: '/a.txt', size: 2 },
          ],
        })
      ).json.code,
    ).toBe('BAD_REQUEST');
    expect((await post({ expiresAt: new Date(Date.now() - 1000).toISOString() })).json.code).toBe('BAD_REQUEST');
    const external = await post({ recipients: { emails: ['guest@example.org'] } });
    expect([external.status, external.json.code]).toEqual([403, 'FORBIDDEN']);
    expect((await t.api(alice, 'PUT', '/api/admin/settings/packageExternalRecipients', { value: 1 })).status).toBe(200);
    const allowed = await post({ recipients: { emails: ['Guest@Example.org'] } });
    expect(allowed.status).toBe(201);
    const receipts = (await t.api(alice, 'GET', `/api/packages/${(allowed.json.package as Summary).id}`)).json.recipients as Receipt[];
    expect(receipts).toEqual([expect.objectContaining({ kind: 'external', name: 'guest@example.org', receipt: 'not-opened' })]);
  });

  it('mails each external address a personal link that a scanner cannot count, asks a one-time code by mail, and names who downloaded', async () => {
    expect((await t.api(alice, 'PUT', '/api/admin/settings/packageExternalRecipients', { value: 1 })).status).toBe(200);
    const { id } = await send({
      subject: 'For outside eyes',
      recipients: { emails: ['Guest@Example.org', 'other@example.org'] },
      requireCode: true,
      notifyOnDownload: true,
    });
    const linkOf = (address: string) => {
      const notice = notifier.notices.find(
        (n) => n.kind === 'package.received' && n.email === address && n.text.includes('For outside eyes'),
      );
      expect(notice?.userId).toBeUndefined();
      const match = /\/p\/([A-Za-z0-9_-]{43})$/.exec(notice?.link ?? '');
      expect(match, notice?.link).not.toBeNull();
      return match![1]!;
    };
    const guest = linkOf('guest@example.org');
    const other = linkOf('other@example.org');
    expect(guest).not.toBe(other);
    // Only the hash is kept: the secret is nowhere in the table.
    const stored = await t.db.selectFrom('package_recipients').select('link_hash').where('package_id', '=', id).execute();
    expect(stored.map((r) => r.link_hash)).not.toContain(guest);

    const visit = async (method: 'GET' | 'HEAD' | 'POST', url: string, payload?: object, cookie?: string) => {
      const r = await t.app.inject({
        method,
        url,
        remoteAddress: '203.0.113.9',
        headers: cookie ? { cookie } : {},
        ...(payload ? { payload } : {}),
      });
      const set = r.cookies.find((c) => c.name === 'courier_package_access');
      return {
        status: r.statusCode,
        json: (r.body ? JSON.parse(r.body) : {}) as ApiJson,
        cookie: set && `${set.name}=${set.value}`,
        path: set?.path,
      };
    };
    const receipts = async () =>
      Object.fromEntries(((await t.api(alice, 'GET', `/api/packages/${id}`)).json.recipients as Receipt[]).map((r) => [r.name, r.receipt]));
    const base = `/api/public/packages/${guest}`;

    // A scanner's visit: the page, HEAD, GET again. The files stay hidden and nothing counts.
    const page = await visit('GET', base);
    expect(page.json.package).toMatchObject({
      subject: 'For outside eyes',
      recipient: 'guest@example.org',
      codeRequired: true,
      unlocked: false,
      files: [],
    });
    expect((await visit('HEAD', base)).status).toBe(200);
    expect((await visit('GET', base)).status).toBe(200);
    expect(await receipts()).toEqual({ 'guest@example.org': 'not-opened', 'other@example.org': 'not-opened' });
    // No download, no unlock without a code; an unknown link is a 404.
    expect((await visit('POST', `${base}/downloads`, {})).json.code).toBe('PACKAGE_CODE_REQUIRED');
    expect((await visit('GET', `/api/public/packages/${'B'.repeat(43)}`)).status).toBe(404);
    expect((await visit('GET', '/api/public/packages/short')).status).toBe(400);

    const sent = await visit('POST', `${base}/code`);
    expect([sent.status, sent.json]).toEqual([202, { sentTo: 'g****@example.org', expiresInSeconds: 600 }]);
    // Throttled: no second code within the minute.
    expect([(await visit('POST', `${base}/code`)).status]).toEqual([429]);
    const codeNotice = notifier.notices.filter((n) => n.kind === 'package.code' && n.email === 'guest@example.org').at(-1);
    const code = /(\d{6})\./.exec(codeNotice?.text ?? '')![1]!;
    // The admin's mail page lists subjects: the code is in the text only.
    expect(codeNotice?.subject).not.toContain(code);

    const wrong = await visit('POST', `${base}/unlock`, { code: code === '000000' ? '000001' : '000000' });
    expect([wrong.status, wrong.json.code, wrong.json.message, wrong.cookie]).toEqual([
      401,
      'WRONG_CODE',
      expect.stringContaining('4 tries left'),
      undefined,
    ]);
    // Another recipient's code never opens this link.
    expect((await visit('POST', `/api/public/packages/${other}/unlock`, { code })).status).toBe(401);
    const right = await visit('POST', `${base}/unlock`, { code });
    expect([right.status, right.path]).toEqual([204, base]);
    const cookie = right.cookie!;
    // One time: the same code a second time opens nothing.
    expect((await visit('POST', `${base}/unlock`, { code })).json.code).toBe('WRONG_CODE');
    // The cookie is this link's only.
    expect((await visit('POST', `/api/public/packages/${other}/downloads`, {}, cookie)).json.code).toBe('PACKAGE_CODE_REQUIRED');

    const opened = await visit('GET', base, undefined, cookie);
    expect(opened.json.package).toMatchObject({ unlocked: true, files: declared });
    expect(await receipts()).toEqual({ 'guest@example.org': 'opened', 'other@example.org': 'not-opened' });

    const download = await visit('POST', `${base}/downloads`, {}, cookie);
    expect(download.status, JSON.stringify(download.json)).toBe(201);
    const zip = await gatewayDownload(node.gatewayUrl, download.json.transferSpec as object);
    expect(zip.status).toBe(200);
    expect(
      Buffer.from(await zip.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    await waitForTransfer(t, download.json.transferId as string, 'completed');
    expect(await receipts()).toEqual({ 'guest@example.org': 'downloaded', 'other@example.org': 'not-opened' });
    // The sent box says it too, per recipient.
    const sentBox = (await t.api(alice, 'GET', '/api/packages?box=sent')).json.packages as Array<Summary & { receipts?: unknown[] }>;
    expect((sentBox.find((p) => p.id === id)?.receipts as Array<{ name: string }>).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'guest@example.org', receipt: 'downloaded' },
      { name: 'other@example.org', receipt: 'not-opened' },
    ]);
    expect(
      notifier.notices.filter((n) => n.kind === 'package.downloaded' && n.subject.startsWith('guest@example.org downloaded')),
    ).toHaveLength(1);

    // A code expires, and has five tries; a new one is sent at most once a minute.
    const otherBase = `/api/public/packages/${other}`;
    expect((await visit('POST', `${otherBase}/code`)).status).toBe(202);
    const otherCode = /(\d{6})\./.exec(
      notifier.notices.filter((n) => n.kind === 'package.code' && n.email === 'other@example.org').at(-1)!.text,
    )![1]!;
    await t.db
      .updateTable('package_recipients')
      .set({ code_expires_at: Date.now() - 1 })
      .where('email', '=', 'other@example.org')
      .where('package_id', '=', id)
      .execute();
    expect((await visit('POST', `${otherBase}/unlock`, { code: otherCode })).json.code).toBe('WRONG_CODE');
    await t.db
      .updateTable('package_recipients')
      .set({ code_sent_at: Date.now() - 61_000 })
      .where('email', '=', 'other@example.org')
      .where('package_id', '=', id)
      .execute();
    expect((await visit('POST', `${otherBase}/code`)).status).toBe(202);
    const fresh = /(\d{6})\./.exec(
      notifier.notices.filter((n) => n.kind === 'package.code' && n.email === 'other@example.org').at(-1)!.text,
    )![1]!;
    await t.db
      .updateTable('package_recipients')
      .set({ code_attempts: 5 })
      .where('email', '=', 'other@example.org')
      .where('package_id', '=', id)
      .execute();
    const spent = await visit('POST', `${otherBase}/unlock`, { code: fresh });
    expect([spent.status, spent.json.message]).toEqual([401, expect.stringContaining('no tries left')]);
    expect(await receipts()).toEqual({ 'guest@example.org': 'downloaded', 'other@example.org': 'not-opened' });

    // A recalled package's links answer 404.
    expect((await t.api(alice, 'DELETE', `/api/packages/${id}`)).status).toBe(204);
    expect((await visit('GET', base, undefined, cookie)).status).toBe(404);
    const audit = (await t.api(alice, 'GET', '/api/audit?limit=500')).json.entries as Array<{ action: string; decision: string }>;
    for (const action of ['package-code-sent', 'package-unlock']) expect(audit.map((e) => e.action)).toContain(action);
  });

  it('shows a download the recipient aborted after some bytes as downloaded partly, from what the node reported', async () => {
    const big = randomBytes(16 * 1024 * 1024);
    const sent = await t.api(alice, 'POST', '/api/packages', {
      recipients: { userIds: [ids.bob, ids.carol] },
      subject: 'Too big to finish',
      files: [{ path: 'big.bin', size: big.length }],
    });
    expect(sent.status, JSON.stringify(sent.json)).toBe(201);
    const id = (sent.json.package as Summary).id;
    expect((await gatewayUpload(node.gatewayUrl, sent.json.transferSpec as object, [{ path: 'big.bin', data: big }])).status).toBeLessThan(
      400,
    );
    await waitForTransfer(t, (sent.json.transfer as { id: string }).id, 'completed');

    // Carol asks for a spec and never uses it: that moves no byte and is no receipt.
    expect((await t.api(carol, 'POST', `/api/packages/${id}/downloads`, { paths: ['/big.bin'] })).status).toBe(201);
    const asked = await t.api(bob, 'POST', `/api/packages/${id}/downloads`, { paths: ['/big.bin'] });
    expect(asked.status).toBe(201);
    const transferId = (asked.json.transfer as { id: string }).id;
    const stop = new AbortController();
    const response = await undiciFetch(`${node.gatewayUrl}/v3/download`, {
      headers: { 'x-aspera-spec': specHeader(asked.json.transferSpec as object) },
      signal: stop.signal,
    });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value?.length).toBeGreaterThan(0);
    stop.abort();
    await reader.read().catch(() => undefined);
    await waitForTransfer(t, transferId, 'failed');

    const row = await t.db
      .selectFrom('transfers')
      .select(['bytes_transferred', 'package_id'])
      .where('id', '=', transferId)
      .executeTakeFirst();
    expect(row?.package_id).toBe(id);
    expect(Number(row?.bytes_transferred)).toBeGreaterThan(0);
    expect(Number(row?.bytes_transferred)).toBeLessThan(big.length);
    const receipts = (await t.api(alice, 'GET', `/api/packages/${id}`)).json.recipients as Array<Receipt & { downloadedAt: string | null }>;
    const bobs = receipts.find((r) => r.name === 'Bob');
    expect([bobs?.receipt, typeof bobs?.downloadedAt]).toEqual(['partly-downloaded', 'string']);
    expect(receipts.find((r) => r.name === 'carol')?.receipt).toBe('opened');
  });

  it('sends files already in a space without uploading them again: the node copies them, and the package shows once that copy completed', async () => {
    const space = await t.api(alice, 'POST', '/api/spaces', { name: `Shelf ${dialect}` });
    expect(space.status, JSON.stringify(space.json)).toBe(201);
    const spaceId = space.json.id as string;
    const root = (await t.db.selectFrom('spaces').select('root_path').where('id', '=', spaceId).executeTakeFirstOrThrow()).root_path;
    const stored: Record<string, Buffer> = {
      'stored/report.txt': Buffer.from('stored report\n'),
      'stored/deep/x.bin': randomBytes(300_000),
      'single.bin': randomBytes(70_000),
    };
    for (const [p, data] of Object.entries(stored)) {
      mkdirSync(path.dirname(path.join(node.docroot, root, p)), { recursive: true });
      writeFileSync(path.join(node.docroot, root, p), data);
    }
    const post = (body: object, who = alice) =>
      t.api(who, 'POST', '/api/packages/from-space', { recipients: { userIds: [ids.bob] }, subject: 'From the shelf', ...body });

    const sent = await post({ from: { spaceId, paths: ['/stored', '/single.bin'] } });
    expect(sent.status, JSON.stringify(sent.json)).toBe(201);
    const id = (sent.json.package as Summary).id;
    expect(sent.json.transfer).toMatchObject({ direction: 'upload', packageId: id, spaceId: null, status: 'running' });
    await waitForTransfer(t, (sent.json.transfer as { id: string }).id, 'completed');
    const detail = await t.api(bob, 'GET', `/api/packages/${id}`);
    expect(detail.json.package).toMatchObject({ status: 'ready' });
    expect((detail.json.files as Array<{ path: string; size: number }>).sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      Object.entries(stored)
        .map(([p, data]) => ({ path: p, size: data.length }))
        .sort((a, b) => a.path.localeCompare(b.path)),
    );
    for (const [p, data] of Object.entries(stored))
      expect(sha256(readFileSync(path.join(node.docroot, 'packages', id, p)))).toBe(sha256(data));
    // The originals stay where they were.
    expect(existsSync(path.join(node.docroot, root, 'single.bin'))).toBe(true);
    const one = await t.api(bob, 'POST', `/api/packages/${id}/downloads`, { paths: ['/stored/deep/x.bin'] });
    const bytes = await gatewayDownload(node.gatewayUrl, one.json.transferSpec as object);
    expect(sha256(Buffer.from(await bytes.arrayBuffer()))).toBe(sha256(stored['stored/deep/x.bin']!));
    expect(
      notifier.notices.filter((n) => n.kind === 'package.received' && n.link?.endsWith(`/packages/${id}`)).map((n) => n.userId),
    ).toEqual([ids.bob]);

    // The space's rules hold: no member, no package; a path may not leave the space; nothing missing is sent.
    expect((await post({ from: { spaceId, paths: ['/single.bin'] } }, dave)).json.code).toBe('SPACE_NOT_FOUND');
    expect((await post({ from: { spaceId, paths: ['/../../etc'] } })).json.code).toBe('INVALID_PATH');
    expect((await post({ from: { spaceId, paths: ['/gone.bin'] } })).json.code).toBe('PATH_NOT_FOUND');
    expect((await post({ from: { spaceId, paths: ['/'] } })).json.code).toBe('BAD_REQUEST');
  });
});
