import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { createTestApp, embeddedNodeOf, TEST_PASSWORD, type TestApp } from '../../test/test-app';
import { routesOf } from '../../test/route-tree';
import { DIALECTS } from '../../test/test-database';

describe.each(DIALECTS)('no endpoint returns a secret on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  const nodeSecretOfOther = 'other-node-secret-Zq9';
  const smtpPassword = 'smtp-secret-Wk4';

  beforeAll(async () => {
    node = await startNodeProcess();
    t = await createTestApp(
      dialect,
      // An SMTP server that is not there: the Mail page names it, never its password.
      { COURIER_SMTP_URL: `smtp://mailer:${smtpPassword}@127.0.0.1:1` },
      { embeddedNode: embeddedNodeOf(node) },
    );
  });
  afterAll(async () => {
    await t?.close();
    await node?.stop();
  });

  it('walks every route as an admin and finds no node password, access-key secret, sealed secret or password hash in any answer', async () => {
    const admin = await t.login('alice');
    const bodies: string[] = [];
    const call = async (method: string, url: string, payload?: object, who = admin) => {
      const r = await t.app.inject({
        method: method as 'GET',
        url,
        headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken },
        ...(payload ? { payload } : {}),
      });
      bodies.push(`${method} ${url} → ${r.statusCode}\n${r.body}\n${JSON.stringify(r.headers)}`);
      return (r.body ? r.json() : {}) as Record<string, string & Record<string, string>>;
    };

    const space = await call('POST', '/api/spaces', { name: 'Leaks' });
    // A node is tested before it is saved: one with a secret the node refuses is not registered, and
    // the refusal does not echo the secret; the same node with its real credentials is.
    await call('POST', '/api/nodes', {
      name: 'other',
      url: node.url,
      username: node.username,
      secret: nodeSecretOfOther,
      gatewayUrl: null,
    });
    const other = await call('POST', '/api/nodes', {
      name: 'other',
      url: node.url,
      username: node.username,
      secret: node.password,
      gatewayUrl: null,
    });
    expect(other.id).toEqual(expect.any(String));
    const user = await call('POST', '/api/users', { username: 'walker', displayName: 'Walker', password: TEST_PASSWORD });
    const group = await call('POST', '/api/groups', { name: 'Walkers' });
    const s = `/api/spaces/${space.id}`;
    await call('POST', `${s}/folders`, { path: '/a' });
    const transfer = await call('POST', '/api/transfers', {
      spaceId: space.id,
      direction: 'upload',
      folder: '/a',
      files: [{ path: 'f.txt', size: 3 }],
    });
    // A file request's password is a secret like an account's: never in an answer (only its hash is kept).
    const requestPassword = 'request-pass-Zq9';
    let requestId = '';
    const SHARE_PASSWORD = 'a share password 7Qx';
    let shareId = '';
    let shareCookie = '';
    let packageId = '';
    const covered: Record<string, () => Promise<unknown>> = {
      // Without our cookie: logging in again ends the session that sends it (no session fixation).
      'POST /api/session': () =>
        call('POST', '/api/session', { username: 'alice', password: TEST_PASSWORD }, { cookie: '', csrfToken: '' }),
      'GET /api/session': () => call('GET', '/api/session'),
      'GET /api/spaces': () => call('GET', '/api/spaces'),
      'POST /api/spaces': async () => undefined, // called above
      'GET /api/spaces/:spaceId': () => call('GET', s),
      'GET /api/spaces/:spaceId/members': () => call('GET', `${s}/members`),
      'GET /api/spaces/:spaceId/member-candidates': () => call('GET', `${s}/member-candidates?q=walk`),
      'PUT /api/spaces/:spaceId/members': () =>
        call('PUT', `${s}/members`, { principalType: 'user', principalId: user.id, role: 'viewer' }),
      'DELETE /api/spaces/:spaceId/members/:principalType/:principalId': () => call('DELETE', `${s}/members/user/${user.id}`),
      'GET /api/spaces/:spaceId/files': () => call('GET', `${s}/files?path=/`),
      'POST /api/spaces/:spaceId/folders': () => call('POST', `${s}/folders`, { path: '/b' }),
      'POST /api/spaces/:spaceId/rename': () => call('POST', `${s}/rename`, { path: '/b', newName: 'c' }),
      'POST /api/spaces/:spaceId/delete': () => call('POST', `${s}/delete`, { paths: ['/c', '/missing'] }),
      'POST /api/spaces/:spaceId/copy': () => call('POST', `${s}/copy`, { paths: ['/a'], to: { spaceId: space.id, folder: '/copied' } }),
      'POST /api/spaces/:spaceId/name-conflicts': () => call('POST', `${s}/name-conflicts`, { folder: '/', names: ['c'] }),
      'GET /api/health': () => call('GET', '/api/health'),
      'GET /api/health/live': () => call('GET', '/api/health/live'),
      'GET /api/client-config': () => call('GET', '/api/client-config'),
      'GET /api/openapi.json': () => call('GET', '/api/openapi.json'),
      'GET /api/nodes': () => call('GET', '/api/nodes'),
      'POST /api/nodes': async () => undefined, // called above
      'POST /api/nodes/:nodeId/test': async () => {
        await call('POST', `/api/nodes/${other.id}/test`);
        const nodes = (await call('GET', '/api/nodes')).nodes as unknown as Array<{ id: string; name: string }>;
        await call('POST', `/api/nodes/${nodes.find((n) => n.name === 'embedded')?.id}/test`);
      },
      'GET /api/admin/nodes': () => call('GET', '/api/admin/nodes'),
      'PATCH /api/nodes/:nodeId': async () => {
        await call('PATCH', `/api/nodes/${other.id}`, { secret: nodeSecretOfOther });
        await call('PATCH', `/api/nodes/${other.id}`, { secret: '', gatewayUrl: node.gatewayUrl });
      },
      'GET /api/nodes/:nodeId/transfers': () => call('GET', `/api/nodes/${other.id}/transfers`),
      'DELETE /api/nodes/:nodeId': () => call('DELETE', `/api/nodes/${other.id}`),
      'GET /api/admin/spaces': () => call('GET', '/api/admin/spaces?q=leak'),
      'PATCH /api/spaces/:spaceId': () => call('PATCH', s, { name: 'Leaks renamed' }),
      'GET /api/users': () => call('GET', '/api/users'),
      'POST /api/users': async () => undefined, // called above
      'PATCH /api/users/:id': () => call('PATCH', `/api/users/${user.id}`, { email: 'walker@example.com' }),
      // The one-time password is the answer itself (shown once to the admin who asked).
      'POST /api/users/:id/password': () => call('POST', `/api/users/${user.id}/password`),
      'DELETE /api/users/:id': async () => {
        const doomed = await call('POST', '/api/users', { username: 'doomed', displayName: 'Doomed', password: TEST_PASSWORD });
        await call('DELETE', `/api/users/${doomed.id}?personalSpace=delete&transfers=delete`);
      },
      'GET /api/groups': () => call('GET', '/api/groups'),
      'PATCH /api/groups/:groupId': () => call('PATCH', `/api/groups/${group.id}`, { name: 'Walkers too' }),
      'DELETE /api/groups/:groupId': async () => {
        const doomed = await call('POST', '/api/groups', { name: 'Doomed' });
        await call('DELETE', `/api/groups/${doomed.id}`);
      },
      'POST /api/groups': async () => undefined, // called above
      'PUT /api/groups/:groupId/members/:userId': () => call('PUT', `/api/groups/${group.id}/members/${user.id}`),
      'DELETE /api/groups/:groupId/members/:userId': () => call('DELETE', `/api/groups/${group.id}/members/${user.id}`),
      'GET /api/audit': () => call('GET', '/api/audit'),
      'GET /api/admin/space-conflicts': () => call('GET', '/api/admin/space-conflicts'),
      'GET /api/admin/audit': () => call('GET', '/api/admin/audit?limit=200'),
      'GET /api/admin/audit.csv': async () => {
        // CSV, not JSON: kept as text.
        const r = await t.app.inject({ method: 'GET', url: '/api/admin/audit.csv', headers: { cookie: admin.cookie } });
        bodies.push(`GET /api/admin/audit.csv → ${r.statusCode}\n${r.body}\n${JSON.stringify(r.headers)}`);
      },
      'GET /api/admin/settings': () => call('GET', '/api/admin/settings'),
      'PUT /api/admin/settings/:key': () => call('PUT', '/api/admin/settings/transferTokenLifeSeconds', { value: 900 }),
      'GET /api/admin/login-locks': async () => {
        // A lock to list: its key names an account and an address, never a password.
        for (let i = 0; i < 5; i++) {
          await t.db.updateTable('login_throttle').set({ not_before: 0 }).execute(); // past the progressive delay
          await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'walker', password: `wrong-${i}` } });
        }
        const listed = await call('GET', '/api/admin/login-locks');
        expect(JSON.stringify(listed)).toContain('account-ip:walker|127.0.0.1');
        return listed;
      },
      'DELETE /api/admin/login-locks': () =>
        call('DELETE', `/api/admin/login-locks?key=${encodeURIComponent('account-ip:walker|127.0.0.1')}`),
      'POST /api/transfers': () => call('POST', '/api/transfers', { spaceId: space.id, direction: 'download', paths: ['/a'] }),
      'GET /api/transfers': () => call('GET', '/api/transfers?all=true'),
      // An event stream never ends under inject; its events are the records GET /api/transfers/:id returns (transfer-events.test.ts).
      'GET /api/transfers/events': async () => undefined,
      'GET /api/transfers/:transferId': () => call('GET', `/api/transfers/${transfer.transfer!.id}`),
      'PATCH /api/transfers/:transferId': () =>
        call('PATCH', `/api/transfers/${transfer.transfer!.id}`, { status: 'failed', error: 'test' }),
      'POST /api/requests': async () => {
        const created = await call('POST', '/api/requests', {
          spaceId: space.id,
          folder: '/a',
          title: 'Files please',
          deadline: new Date(Date.now() + 86_400_000).toISOString(),
          password: requestPassword,
        });
        requestId = created.request?.id ?? '';
      },
      'GET /api/requests': () => call('GET', '/api/requests?all=true'),
      'GET /api/requests/:requestId': () => call('GET', `/api/requests/${requestId}`),
      'PATCH /api/requests/:requestId': () => call('PATCH', `/api/requests/${requestId}`, { maxFiles: 10 }),
      'GET /api/public/requests/:requestId': () => call('GET', `/api/public/requests/${requestId}`),
      'POST /api/public/requests/:requestId/unlock': async () => {
        await call('POST', `/api/public/requests/${requestId}/unlock`, { password: 'wrong guess' });
        await call('POST', `/api/public/requests/${requestId}/unlock`, { password: requestPassword });
      },
      'POST /api/public/requests/:requestId/submissions': () =>
        call('POST', `/api/public/requests/${requestId}/submissions`, { files: [{ path: 'g.txt', size: 1 }] }),
      'DELETE /api/requests/:requestId': () => call('DELETE', `/api/requests/${requestId}`),
      'POST /api/shares': async () => {
        shareId = (await call('POST', '/api/shares', { spaceId: space.id, paths: ['/a'], password: SHARE_PASSWORD })).share!.id!;
      },
      'GET /api/shares': () => call('GET', '/api/shares?all=1'),
      'GET /api/shares/:shareId': () => call('GET', `/api/shares/${shareId}`),
      'PATCH /api/shares/:shareId': () => call('PATCH', `/api/shares/${shareId}`, { note: 'walked', password: SHARE_PASSWORD }),
      'GET /api/public/shares/:shareId': () => call('GET', `/api/public/shares/${shareId}`),
      'POST /api/public/shares/:shareId/unlock': async () => {
        const r = await t.app.inject({
          method: 'POST',
          url: `/api/public/shares/${shareId}/unlock`,
          payload: { password: SHARE_PASSWORD },
        });
        bodies.push(`unlock → ${r.statusCode}\n${r.body}\n${JSON.stringify(r.headers)}`);
        shareCookie = `courier_share_access=${r.cookies[0]?.value ?? ''}`;
      },
      'GET /api/public/shares/:shareId/files': () =>
        call('GET', `/api/public/shares/${shareId}/files?path=%2Fa`, undefined, { cookie: shareCookie, csrfToken: '' }),
      'POST /api/public/shares/:shareId/downloads': () =>
        call('POST', `/api/public/shares/${shareId}/downloads`, { paths: ['/a'] }, { cookie: shareCookie, csrfToken: '' }),
      'DELETE /api/shares/:shareId': () => call('DELETE', `/api/shares/${shareId}`),
      'POST /api/packages': async () => {
        const sent = await call('POST', '/api/packages', {
          recipients: { userIds: [user.id] },
          subject: 'Walked',
          files: [{ path: 'p.txt', size: 1 }],
        });
        packageId = sent.package?.id ?? '00000000-0000-4000-8000-000000000000';
      },
      'POST /api/packages/from-space': () =>
        call('POST', '/api/packages/from-space', {
          recipients: { userIds: [user.id] },
          subject: 'Walked too',
          from: { spaceId: space.id, paths: ['/a'] },
        }),
      'GET /api/packages/directory': () => call('GET', '/api/packages/directory?q=walk'),
      'GET /api/packages': () => call('GET', '/api/packages?box=sent&all=1'),
      'GET /api/packages/:packageId': () => call('GET', `/api/packages/${packageId}`),
      'POST /api/packages/:packageId/downloads': () => call('POST', `/api/packages/${packageId}/downloads`, {}),
      'PATCH /api/packages/:packageId': () =>
        call('PATCH', `/api/packages/${packageId}`, { expiresAt: new Date(Date.now() + 86_400_000).toISOString() }),
      'PUT /api/packages/:packageId/archive': () => call('PUT', `/api/packages/${packageId}/archive`, { archived: true }),
      'DELETE /api/packages/:packageId': () => call('DELETE', `/api/packages/${packageId}`),
      // A personal link nobody was sent: each answers 404 without a word of the package (docs/packages.md §7).
      'GET /api/public/packages/:link': () => call('GET', `/api/public/packages/${'A'.repeat(43)}`),
      'POST /api/public/packages/:link/code': () => call('POST', `/api/public/packages/${'A'.repeat(43)}/code`),
      'POST /api/public/packages/:link/unlock': () => call('POST', `/api/public/packages/${'A'.repeat(43)}/unlock`, { code: '123456' }),
      'POST /api/public/packages/:link/downloads': () => call('POST', `/api/public/packages/${'A'.repeat(43)}/downloads`, {}),
      'DELETE /api/spaces/:spaceId': async () => {
        const doomed = await call('POST', '/api/spaces', { name: 'Doomed' });
        await call('DELETE', `/api/spaces/${doomed.id}?files=delete&confirmName=Doomed`);
      },
      'PATCH /api/profile': () => call('PATCH', '/api/profile', { displayName: 'Alice A.' }),
      'GET /api/profile': () => call('GET', '/api/profile'),
      'GET /api/profile/sessions': () => call('GET', '/api/profile/sessions'),
      'DELETE /api/profile/sessions/:sessionId': async () => {
        const sessions = (await call('GET', '/api/profile/sessions')).sessions as unknown as Array<{ id: string; current: boolean }>;
        const other = sessions.find((x) => !x.current);
        if (other) await call('DELETE', `/api/profile/sessions/${other.id}`);
      },
      'DELETE /api/profile/sessions': () => call('DELETE', '/api/profile/sessions'),
      'POST /api/profile/password': () =>
        call('POST', '/api/profile/password', { currentPassword: TEST_PASSWORD, newPassword: 'another long password' }),
      'GET /api/profile/tokens': () => call('GET', '/api/profile/tokens'),
      // The answer carries the token's secret by design (shown once); it is no node secret.
      'POST /api/profile/tokens': () => call('POST', '/api/profile/tokens', { name: 'walk', scopes: ['read'], expiresInDays: 1 }),
      'DELETE /api/profile/tokens/:tokenId': async () => {
        const tokens = (await call('GET', '/api/profile/tokens')).tokens as unknown as Array<{ id: string }>;
        await call('DELETE', `/api/profile/tokens/${tokens[0]?.id}`);
      },
      'GET /api/notifications': () => call('GET', '/api/notifications'),
      'POST /api/notifications/read': () => call('POST', '/api/notifications/read', { all: true }),
      'GET /api/admin/mail': () => call('GET', '/api/admin/mail'),
      'POST /api/admin/mail/test': () => call('POST', '/api/admin/mail/test', { email: 'walker@example.com' }),
      'POST /api/admin/mail/:mailId/retry': async () => {
        const queued = await t.db.selectFrom('mail_outbox').select('id').executeTakeFirst();
        await call('POST', `/api/admin/mail/${queued?.id ?? 'none'}/retry`);
      },
      'DELETE /api/session': () => call('DELETE', '/api/session'),
    };
    expect(Object.keys(covered).sort()).toEqual(routesOf(t.app.printRoutes({ commonPrefix: false })).sort());
    for (const run of Object.values(covered)) await run();

    const sealed = (await t.db.selectFrom('nodes').select('secret_sealed').execute()).map((n) => n.secret_sealed);
    const basic = Buffer.from(`${node.username}:${node.password}`).toString('base64');
    const all = bodies.join('\n');
    expect(all).toContain(node.url); // the walk really saw node data
    for (const secret of [
      node.password,
      nodeSecretOfOther,
      smtpPassword,
      basic,
      'scrypt$',
      TEST_PASSWORD,
      requestPassword,
      SHARE_PASSWORD,
      ...sealed,
    ])
      expect(all).not.toContain(secret);
    // Every route, a node and the gateway: well past the default 20 s on a loaded machine.
  }, 60_000);
});
