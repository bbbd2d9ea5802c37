import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation, Role } from '../../../contract/spaces';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { gatewayUpload } from '../../../test-kit/gateway-upload';
import type { TokenScope } from '../../../contract/api-tokens';
import { scopesGrant, TOKEN_NEEDS } from '../api-tokens/token-scopes';
import { createTestApp, embeddedNodeOf, createToken, TEST_PASSWORD, type ByToken, type LoggedIn, type TestApp } from '../../test/test-app';
import { routesOf } from '../../test/route-tree';
import { DIALECTS } from '../../test/test-database';

type Who = LoggedIn | ByToken;
type Caller = Role | 'outsider' | 'group-contributor';

const ALLOWED: Record<Caller, Operation[]> = {
  outsider: [],
  viewer: ['list', 'download'],
  contributor: ['list', 'download', 'upload', 'mkdir', 'rename'],
  'group-contributor': ['list', 'download', 'upload', 'mkdir', 'rename'],
  manager: ['list', 'download', 'upload', 'mkdir', 'rename', 'delete', 'manageMembers'],
};
const OPERATIONS: Operation[] = ['list', 'download', 'upload', 'mkdir', 'rename', 'delete', 'manageMembers'];

describe.each(DIALECTS)('permission matrix on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  let admin: Who;
  let spaceId: string;
  const callers = {} as Record<Caller, LoggedIn>;
  /** Each caller's personal API tokens, one per scope (docs/api-tokens.md §2). */
  const tokens = {} as Record<Caller, Record<TokenScope, ByToken>>;

  const api: TestApp['api'] = (...args) => t.api(...args);

  /** The request for `operation` by `caller`; `escape` names a path outside the space instead. */
  function attempt(caller: Caller, operation: Operation, escape = false, who: Who = callers[caller]) {
    // A token's changes get folders of their own: the session's run already renamed and deleted its.
    const own = escape ? '/../../../etc' : `/${caller}${'bearer' in who ? '-token' : ''}`;
    const base = `/api/spaces/${spaceId}`;
    switch (operation) {
      case 'list':
        return api(who, 'GET', `${base}/files?path=${encodeURIComponent(escape ? '/a/../../..' : '/')}`);
      case 'download':
        return api(who, 'POST', '/api/transfers', { spaceId, direction: 'download', paths: [escape ? '../outside' : '/shared'] });
      case 'upload':
        return api(who, 'POST', '/api/transfers', {
          spaceId,
          direction: 'upload',
          folder: escape ? '/x/../..' : '/',
          files: [{ path: escape ? '../../evil.txt' : `${caller}.txt`, size: 1 }],
        });
      case 'mkdir':
        return api(who, 'POST', `${base}/folders`, { path: `${own}/new` });
      case 'rename':
        return api(who, 'POST', `${base}/rename`, { path: `${own}/rename-me`, newName: 'renamed' });
      case 'delete':
        return api(who, 'POST', `${base}/delete`, { paths: [`${own}/delete-me`] });
      case 'manageMembers':
        return escape
          ? api(who, 'PUT', `${base}/members`, { principalType: 'user', principalId: '../../admin', role: 'manager' })
          : api(who, 'GET', `${base}/members`);
    }
  }

  beforeAll(async () => {
    node = await startNodeProcess();
    t = await createTestApp(dialect, {}, { embeddedNode: embeddedNodeOf(node) });
    admin = await t.login('alice');
    spaceId = (await api(admin, 'POST', '/api/spaces', { name: 'Matrix' })).json.id as string;
    const group = await api(admin, 'POST', '/api/groups', { name: 'Team' });
    for (const caller of Object.keys(ALLOWED) as Caller[]) {
      const user = await api(admin, 'POST', '/api/users', { username: caller, displayName: caller, password: TEST_PASSWORD });
      expect(user.status).toBe(201);
      if (caller === 'group-contributor') {
        await api(admin, 'PUT', `/api/groups/${group.json.id as string}/members/${user.json.id as string}`);
        await api(admin, 'PUT', `/api/spaces/${spaceId}/members`, {
          principalType: 'group',
          principalId: group.json.id,
          role: 'contributor',
        });
      } else if (caller !== 'outsider') {
        await api(admin, 'PUT', `/api/spaces/${spaceId}/members`, { principalType: 'user', principalId: user.json.id, role: caller });
      }
      for (const folder of [
        `/${caller}/rename-me`,
        `/${caller}/delete-me`,
        `/${caller}/move-me`,
        `/${caller}-token/rename-me`,
        `/${caller}-token/delete-me`,
      ])
        expect((await api(admin, 'POST', `/api/spaces/${spaceId}/folders`, { path: folder })).status).toBe(201);
      callers[caller] = await t.login(caller);
      tokens[caller] = {
        read: await createToken(t.app, callers[caller], ['read']),
        transfer: await createToken(t.app, callers[caller], ['transfer']),
        // Only an admin may hold the admin scope: a member's "admin" token is a read one.
        admin: await createToken(t.app, callers[caller], ['read']),
      };
    }
    expect((await api(admin, 'POST', `/api/spaces/${spaceId}/folders`, { path: '/shared' })).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await node?.stop();
  });

  const cases = (Object.keys(ALLOWED) as Caller[]).flatMap((caller) =>
    OPERATIONS.map((operation) => [caller, operation, ALLOWED[caller].includes(operation)] as const),
  );

  it.each(cases)('%s → %s: allowed=%s', async (caller, operation, allowed) => {
    const response = await attempt(caller, operation);
    if (allowed) {
      expect(response.status, JSON.stringify(response.json)).toBeLessThan(300);
    } else {
      expect(response.status).toBe(caller === 'outsider' ? 404 : 403);
      expect(response.json.code).toBe(caller === 'outsider' ? 'SPACE_NOT_FOUND' : 'FORBIDDEN');
    }
  });

  it.each(cases.filter(([, op]) => op !== 'manageMembers'))(
    '%s → %s with a path escaping the space is refused',
    async (caller, operation) => {
      const response = await attempt(caller, operation, true);
      expect(response.status).toBe(400);
      expect(response.json.code).toBe('INVALID_PATH');
    },
  );

  // Sharing lends the sharer's download right (docs/sharing.md §2): whoever may download may share;
  // a space's links are listed to its managers only.
  it.each(Object.keys(ALLOWED) as Caller[])('%s → share a link, list the space links, share a path escaping the space', async (caller) => {
    const mayDownload = ALLOWED[caller].includes('download');
    const created = await api(callers[caller], 'POST', '/api/shares', { spaceId, paths: ['/shared'] });
    expect([created.status, created.json.code]).toEqual(mayDownload ? [201, undefined] : [404, 'SPACE_NOT_FOUND']);
    const listed = await api(callers[caller], 'GET', `/api/shares?spaceId=${spaceId}`);
    expect(listed.status).toBe(ALLOWED[caller].includes('manageMembers') ? 200 : caller === 'outsider' ? 404 : 403);
    const escaped = await api(callers[caller], 'POST', '/api/shares', { spaceId, paths: ['/../../etc'] });
    expect([escaped.status, escaped.json.code]).toEqual([400, 'INVALID_PATH']);
  });

  // Copy to… needs download on the source and upload on the destination; Move to… also delete on
  // the source (docs/node-api.md §5.1). Here both sides are the matrix space.
  it.each(Object.keys(ALLOWED) as Caller[])('%s → copy and move within the space, and a copy escaping it', async (caller) => {
    const who = callers[caller];
    const copied = await api(who, 'POST', `/api/spaces/${spaceId}/copy`, { paths: ['/shared'], to: { spaceId, folder: `/${caller}` } });
    const mayCopy = ALLOWED[caller].includes('download') && ALLOWED[caller].includes('upload');
    expect([copied.status, copied.json.code]).toEqual(
      mayCopy ? [201, undefined] : [caller === 'outsider' ? 404 : 403, caller === 'outsider' ? 'SPACE_NOT_FOUND' : 'FORBIDDEN'],
    );
    const moved = await api(who, 'POST', `/api/spaces/${spaceId}/copy`, {
      paths: [`/${caller}/move-me`],
      to: { spaceId, folder: '/shared' },
      move: true,
    });
    const mayMove = mayCopy && ALLOWED[caller].includes('delete');
    expect([moved.status, moved.json.code]).toEqual(
      mayMove ? [201, undefined] : [caller === 'outsider' ? 404 : 403, caller === 'outsider' ? 'SPACE_NOT_FOUND' : 'FORBIDDEN'],
    );
    const escaped = await api(who, 'POST', `/api/spaces/${spaceId}/copy`, { paths: ['/shared'], to: { spaceId, folder: '/../..' } });
    expect([escaped.status, escaped.json.code]).toEqual([400, 'INVALID_PATH']);
  });

  // Packages (docs/packages.md §2) belong to no space: their sender, their recipients and admins
  // decide, whatever a space grants. The contributor sends to the viewer; everyone else is on none.
  type PackageOp = 'view' | 'download' | 'extend' | 'archive' | 'recall' | 'list everyone' | 'find people';
  type PackageCaller = 'sender' | 'recipient' | 'not on it' | 'admin';
  const PACKAGE_STATUS: Record<PackageCaller, Record<PackageOp, number>> = {
    sender: { view: 200, download: 201, extend: 200, archive: 200, recall: 204, 'list everyone': 403, 'find people': 200 },
    recipient: { view: 200, download: 201, extend: 403, archive: 200, recall: 403, 'list everyone': 403, 'find people': 200 },
    'not on it': { view: 404, download: 404, extend: 404, archive: 404, recall: 404, 'list everyone': 403, 'find people': 200 },
    admin: { view: 200, download: 201, extend: 200, archive: 404, recall: 204, 'list everyone': 200, 'find people': 200 },
  };
  async function readyPackage(): Promise<string> {
    const users = (await api(admin, 'GET', '/api/users')).json.users as Array<{ id: string; username: string }>;
    const viewerId = users.find((u) => u.username === 'viewer')!.id;
    const sent = await api(callers.contributor, 'POST', '/api/packages', {
      recipients: { userIds: [viewerId] },
      subject: 'Matrix package',
      files: [{ path: 'm.txt', size: 5 }],
    });
    expect(sent.status, JSON.stringify(sent.json)).toBe(201);
    const upload = await gatewayUpload(node.gatewayUrl, sent.json.transferSpec as object, [{ path: 'm.txt', data: Buffer.from('hello') }]);
    expect(upload.status).toBeLessThan(400);
    const transferId = (sent.json.transfer as { id: string }).id;
    for (let i = 0; i < 100; i++) {
      await t.app.courier.tracker.sync();
      const row = await t.db.selectFrom('packages').select('status').where('upload_transfer_id', '=', transferId).executeTakeFirst();
      if (row?.status === 'ready') return (sent.json.package as { id: string }).id;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the package never became ready');
  }
  const packageCases = (Object.keys(PACKAGE_STATUS) as PackageCaller[]).flatMap((caller) =>
    (Object.keys(PACKAGE_STATUS[caller]) as PackageOp[]).map((op) => [caller, op, PACKAGE_STATUS[caller][op]] as const),
  );
  it.each(packageCases)('package: %s → %s answers %s', async (caller, op, status) => {
    const who = { sender: callers.contributor, recipient: callers.viewer, 'not on it': callers.manager, admin }[caller];
    const id = await readyPackage();
    const url = `/api/packages/${id}`;
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const response = {
      view: () => api(who, 'GET', url),
      download: () => api(who, 'POST', `${url}/downloads`, {}),
      extend: () => api(who, 'PATCH', url, { expiresAt: later }),
      archive: () => api(who, 'PUT', `${url}/archive`, { archived: true }),
      recall: () => api(who, 'DELETE', url),
      'list everyone': () => api(who, 'GET', '/api/packages?box=sent&all=1'),
      'find people': () => api(who, 'GET', '/api/packages/directory?q=view'),
    }[op];
    const answer = await response();
    expect(answer.status, JSON.stringify(answer.json)).toBe(status);
    // A refused recall leaves the package to its recipient.
    if (op === 'recall') expect((await api(callers.viewer, 'GET', url)).status).toBe(status === 204 ? 404 : 200);
  });

  it('a manager cannot add a member who does not exist (no id smuggling)', async () => {
    const response = await attempt('manager', 'manageMembers', true);
    expect(response.status).toBe(400);
  });

  it('writes every decision to the audit log, which only admins read', async () => {
    const log = await api(admin, 'GET', '/api/audit?limit=500');
    const entries = log.json.entries as Array<{ action: string; decision: string; reason: string | null }>;
    expect(entries.some((e) => e.action === 'delete' && e.decision === 'deny' && e.reason === 'role viewer may not delete')).toBe(true);
    expect(entries.some((e) => e.action === 'upload' && e.decision === 'allow')).toBe(true);
    expect(entries.some((e) => e.decision === 'deny' && e.reason?.includes('".."'))).toBe(true);
    expect((await api(callers.manager, 'GET', '/api/audit')).status).toBe(403);
  });

  it('shows which spaces share a folder to admins only, not even to a manager', async () => {
    for (const caller of Object.keys(ALLOWED) as Caller[]) {
      const response = await api(callers[caller], 'GET', '/api/admin/space-conflicts');
      expect([response.status, response.json.code], caller).toEqual([403, 'FORBIDDEN']);
    }
    expect(await api(admin, 'GET', '/api/admin/space-conflicts')).toEqual({ status: 200, json: { conflicts: [] } });
  });

  it.each(Object.keys(ALLOWED) as Caller[])('%s may not list or lift login locks (admins only)', async (caller) => {
    expect(await api(callers[caller], 'GET', '/api/admin/login-locks')).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    expect(await api(callers[caller], 'DELETE', `/api/admin/login-locks?key=${encodeURIComponent('account:alice')}`)).toMatchObject({
      status: 403,
      json: { code: 'FORBIDDEN' },
    });
  });

  it.each(Object.keys(ALLOWED) as Caller[])('%s may not list, rename or delete spaces as an admin (admins only)', async (caller) => {
    const forbidden = { status: 403, json: { code: 'FORBIDDEN' } };
    expect(await api(callers[caller], 'GET', '/api/admin/spaces')).toMatchObject(forbidden);
    expect(await api(callers[caller], 'PATCH', `/api/spaces/${spaceId}`, { name: 'Taken over' })).toMatchObject(forbidden);
    expect(await api(callers[caller], 'DELETE', `/api/spaces/${spaceId}?files=delete&confirmName=Matrix`)).toMatchObject(forbidden);
    expect((await api(admin, 'GET', `/api/spaces/${spaceId}`)).json.name).toBe('Matrix');
  });

  it.each(Object.keys(ALLOWED) as Caller[])('%s may not list, change, remove or look into nodes (admins only)', async (caller) => {
    const nodeId = ((await api(admin, 'GET', '/api/nodes')).json.nodes as Array<{ id: string }>)[0]?.id ?? 'none';
    const forbidden = { status: 403, json: { code: 'FORBIDDEN' } };
    expect(await api(callers[caller], 'GET', '/api/admin/nodes')).toMatchObject(forbidden);
    expect(await api(callers[caller], 'PATCH', `/api/nodes/${nodeId}`, { url: 'http://127.0.0.1:9' })).toMatchObject(forbidden);
    expect(await api(callers[caller], 'GET', `/api/nodes/${nodeId}/transfers`)).toMatchObject(forbidden);
    expect(await api(callers[caller], 'POST', `/api/nodes/${nodeId}/test`)).toMatchObject(forbidden);
    expect(await api(callers[caller], 'DELETE', `/api/nodes/${nodeId}`)).toMatchObject(forbidden);
    expect(
      await api(callers[caller], 'POST', '/api/nodes', { name: 'n', url: node.url, username: node.username, secret: node.password }),
    ).toMatchObject(forbidden);
  });

  it('an admin lists login locks and lifts one', async () => {
    expect(await api(admin, 'GET', '/api/admin/login-locks')).toMatchObject({ status: 200, json: { locks: [] } });
    expect((await api(admin, 'DELETE', `/api/admin/login-locks?key=${encodeURIComponent('account:nobody')}`)).status).toBe(404);
  });

  // The admin activity console (audit log, its export, run-time settings): admins only, whatever a space grants.
  const ACTIVITY_ADMIN_ROUTES = [
    ['GET', '/api/admin/audit'],
    ['GET', '/api/admin/audit.csv'],
    ['GET', '/api/admin/settings'],
    ['PUT', '/api/admin/settings/transferTokenLifeSeconds'],
  ] as const;
  it.each(Object.keys(ALLOWED) as Caller[])('%s may not read the audit log or change settings (admins only)', async (caller) => {
    for (const [method, url] of ACTIVITY_ADMIN_ROUTES)
      expect(await api(callers[caller], method, url, method === 'PUT' ? { value: 600 } : undefined), `${method} ${url}`).toMatchObject({
        status: 403,
        json: { code: 'FORBIDDEN' },
      });
    expect((await api(admin, 'GET', '/api/admin/settings')).json.settings).toContainEqual(
      expect.objectContaining({ key: 'transferTokenLifeSeconds', overridden: false }),
    );
  });

  it.each(Object.keys(ALLOWED) as Caller[])('%s may not see the mail queue, retry mail or send a test (admins only)', async (caller) => {
    const forbidden = { status: 403, json: { code: 'FORBIDDEN' } };
    expect(await api(callers[caller], 'GET', '/api/admin/mail')).toMatchObject(forbidden);
    expect(await api(callers[caller], 'POST', '/api/admin/mail/any-id/retry')).toMatchObject(forbidden);
    expect(await api(callers[caller], 'POST', '/api/admin/mail/test', {})).toMatchObject(forbidden);
  });

  it('gives every caller their own notifications only, whatever their role in a space', async () => {
    const ids = await t.db.selectFrom('users').select(['id', 'username']).execute();
    for (const { id, username } of ids)
      await t.app.courier.notifier.notify({ userId: id, kind: 'matrix', subject: `For ${username}`, text: '' });
    for (const caller of Object.keys(ALLOWED) as Caller[]) {
      const mine = await api(callers[caller], 'GET', '/api/notifications');
      expect(mine.status).toBe(200);
      // Only this test's notices: the package cases above told their recipients too.
      const notices = (mine.json.notifications as Array<{ subject: string; kind: string }>).filter((n) => n.kind === 'matrix');
      expect(notices.map((n) => n.subject)).toEqual([`For ${caller}`]);
      // Marking every id there is changes only the caller's own.
      const all = (await t.db.selectFrom('notifications').select('id').execute()).map((n) => n.id);
      expect(await api(callers[caller], 'POST', '/api/notifications/read', { ids: all })).toEqual({ status: 200, json: { unread: 0 } });
    }
    const adminNotices = (await api(admin, 'GET', '/api/notifications')).json.notifications as Array<{ kind: string; read: boolean }>;
    expect(adminNotices.filter((n) => n.kind === 'matrix').map((n) => n.read)).toEqual([false]);
  });

  it('shows each caller only the spaces they belong to, with their role', async () => {
    const spacesOf = async (caller: Caller) =>
      (await api(callers[caller], 'GET', '/api/spaces')).json.spaces as Array<{ id: string; role: string; personal: boolean }>;
    expect((await spacesOf('viewer')).find((s) => s.id === spaceId)?.role).toBe('viewer');
    expect((await spacesOf('group-contributor')).find((s) => s.id === spaceId)?.role).toBe('contributor');
    const outsider = await spacesOf('outsider');
    expect(outsider.map((s) => s.personal)).toEqual([true]);
  });

  describe('with personal API tokens', () => {
    // A space operation is a GET (list, the member list) or a change; `read` allows only the GETs.
    const READ_OPERATIONS: Operation[] = ['list', 'manageMembers'];

    it.each(cases)('%s → %s with a transfer token: allowed=%s, as with a session', async (caller, operation, allowed) => {
      const response = await attempt(caller, operation, false, tokens[caller].transfer);
      if (allowed) {
        expect(response.status, JSON.stringify(response.json)).toBeLessThan(300);
      } else {
        expect(response.status).toBe(caller === 'outsider' ? 404 : 403);
        expect(response.json.code).toBe(caller === 'outsider' ? 'SPACE_NOT_FOUND' : 'FORBIDDEN');
      }
    });

    it.each(cases)('%s → %s with a read token: allowed only if a GET the role allows', async (caller, operation, allowed) => {
      const response = await attempt(caller, operation, false, tokens[caller].read);
      if (!READ_OPERATIONS.includes(operation)) {
        // Refused for the scope before the space is even looked at: an outsider learns nothing either.
        expect(response.status).toBe(403);
        expect(response.json.message).toMatch(/needs the transfer scope/);
      } else if (allowed) {
        expect(response.status, JSON.stringify(response.json)).toBeLessThan(300);
      } else {
        expect(response.json.code).toBe(caller === 'outsider' ? 'SPACE_NOT_FOUND' : 'FORBIDDEN');
      }
    });

    it.each(cases.filter(([, op]) => op !== 'manageMembers'))(
      '%s → %s with a transfer token and a path escaping the space is refused',
      async (caller, operation) => {
        const response = await attempt(caller, operation, true, tokens[caller].transfer);
        expect([response.status, response.json.code]).toEqual([400, 'INVALID_PATH']);
      },
    );

    it("an admin's token without the admin scope acts as a member: no admin override, no admin routes", async () => {
      const [read, transfer] = [
        await createToken(t.app, admin as LoggedIn, ['read']),
        await createToken(t.app, admin as LoggedIn, ['transfer']),
      ];
      // As a session an admin manages every space; the token is not a member of Matrix.
      expect((await api(admin, 'GET', `/api/spaces/${spaceId}/files?path=/`)).status).toBe(200);
      expect(await api(read, 'GET', `/api/spaces/${spaceId}/files?path=/`)).toMatchObject({
        status: 404,
        json: { code: 'SPACE_NOT_FOUND' },
      });
      expect(await api(read, 'GET', '/api/transfers?all=true')).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
      expect((await api(read, 'GET', '/api/session')).json.user).toMatchObject({ username: 'alice', isAdmin: false });
      expect(await api(transfer, 'GET', '/api/users')).toMatchObject({
        status: 403,
        json: { message: expect.stringMatching(/admin scope/) },
      });
      const full = await createToken(t.app, admin as LoggedIn, ['admin']);
      expect((await api(full, 'GET', '/api/users')).status).toBe(200);
      expect((await api(full, 'GET', `/api/spaces/${spaceId}/files?path=/`)).status).toBe(200);
    });

    it('a member cannot give a token the admin scope', async () => {
      const response = await api(callers.manager, 'POST', '/api/profile/tokens', { name: 'x', scopes: ['admin'], expiresInDays: 7 });
      expect([response.status, response.json.code]).toEqual([403, 'FORBIDDEN']);
    });

    // Every route of Fastify's route tree, tried with a token of each scope: refused for the scope
    // exactly when token-scopes.ts says so, and otherwise let through to the route.
    const PUBLIC_ROUTES = [
      'GET /api/client-config',
      'GET /api/health',
      'GET /api/health/live',
      'GET /api/openapi.json',
      'GET /api/public/packages/:link',
      'GET /api/public/requests/:requestId',
      'GET /api/public/shares/:shareId',
      'GET /api/public/shares/:shareId/files',
      'POST /api/public/packages/:link/code',
      'POST /api/public/packages/:link/downloads',
      'POST /api/public/packages/:link/unlock',
      'POST /api/public/requests/:requestId/submissions',
      'POST /api/public/requests/:requestId/unlock',
      'POST /api/public/shares/:shareId/downloads',
      'POST /api/public/shares/:shareId/unlock',
      'POST /api/session',
    ];
    const SCOPES: TokenScope[] = ['read', 'transfer', 'admin'];

    it('lists every route that is not public in the token table', () => {
      const routes = routesOf(t.app.printRoutes({ commonPrefix: false })).filter((r) => r.includes(' /api/'));
      expect(routes.filter((r) => !Object.hasOwn(TOKEN_NEEDS, r)).sort()).toEqual(PUBLIC_ROUTES);
      expect(Object.keys(TOKEN_NEEDS).filter((r) => !routes.includes(r))).toEqual([]);
    });

    it.each(SCOPES)('tries every route with a token of scope %s', async (scope) => {
      const token = await createToken(t.app, admin as LoggedIn, [scope]);
      const routes = routesOf(t.app.printRoutes({ commonPrefix: false })).filter((r) => r.includes(' /api/') && !PUBLIC_ROUTES.includes(r));
      let refusedCount = 0;
      for (const route of routes) {
        const [method, pattern] = route.split(' ') as ['GET', string];
        const granted = scopesGrant([scope], TOKEN_NEEDS[route] ?? 'session');
        // An event stream never ends under inject; every token reads, so it is never refused.
        if (route === 'GET /api/transfers/events' && granted) continue;
        // Made-up ids: a route let through answers 4xx for them, but not a token's refusal.
        const url = pattern.replace(/:[A-Za-z]+/g, 'no-such-id');
        const response = await api(token, method, url, method === 'GET' || method === 'DELETE' ? undefined : {});
        const refusedForScope = response.status === 403 && /API token/.test(response.json.message ?? '');
        expect({ route, refused: refusedForScope }).toEqual({ route, refused: !granted });
        expect(response.status, route).not.toBe(401);
        if (!granted) refusedCount += 1;
      }
      // The table really separates the scopes: each refuses some routes (admin: the account's own).
      expect(refusedCount).toBeGreaterThan(0);
    });
  });
  // File requests (docs/file-requests.md §3): a guest gets no more than the requester has, so only
  // a role that may upload may ask; a request is managed by its requester, the space's managers and admins.
  const deadline = () => new Date(Date.now() + 86_400_000).toISOString();
  it.each(Object.keys(ALLOWED) as Caller[])('%s → request files: allowed when the role may upload', async (caller) => {
    const mayUpload = ALLOWED[caller].includes('upload');
    const response = await api(callers[caller], 'POST', '/api/requests', {
      spaceId,
      folder: `/${caller}`,
      title: 'Files please',
      deadline: deadline(),
    });
    if (mayUpload) expect(response.status, JSON.stringify(response.json)).toBe(201);
    else expect([response.status, response.json.code]).toEqual(caller === 'outsider' ? [404, 'SPACE_NOT_FOUND'] : [403, 'FORBIDDEN']);
    const escape = await api(callers[caller], 'POST', '/api/requests', { spaceId, folder: '/x/../..', title: 'Out', deadline: deadline() });
    expect([escape.status, escape.json.code]).toEqual([400, 'INVALID_PATH']);
  });

  it.each(Object.keys(ALLOWED) as Caller[])(
    "%s → a contributor's file request: only managers (and its requester) read, edit or close it",
    async (caller) => {
      const created = await api(callers.contributor, 'POST', '/api/requests', {
        spaceId,
        folder: '/contributor',
        title: 'Theirs',
        deadline: deadline(),
      });
      const id = (created.json.request as { id: string }).id;
      const manages = caller === 'manager' || caller === 'contributor';
      const read = await api(callers[caller], 'GET', `/api/requests/${id}`);
      const listed = ((await api(callers[caller], 'GET', `/api/requests?spaceId=${spaceId}`)).json.requests ?? []) as Array<{ id: string }>;
      const edit = await api(callers[caller], 'PATCH', `/api/requests/${id}`, { title: 'Changed' });
      const close = await api(callers[caller], 'DELETE', `/api/requests/${id}`);
      expect([read.status, edit.status, close.status]).toEqual(manages ? [200, 200, 200] : [404, 404, 404]);
      expect(listed.some((r) => r.id === id)).toBe(manages);
    },
  );
});
