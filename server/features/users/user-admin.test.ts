/**
 * The admin console's people routes, asserted on what they answer and what they change: paging and
 * search over 10,000 users, edits, the admin role and its refusals, disabling (sessions end, logins
 * refused), password resets, deletion with each choice for the personal space (on the node's disk),
 * and groups renamed and deleted.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { createTestApp, embeddedNodeOf, TEST_PASSWORD, type LoggedIn, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

type Listed = { id: string; username: string; displayName: string; email: string | null; isAdmin: boolean; disabled: boolean };

describe.each(DIALECTS)('user administration on %s', (dialect) => {
  let t: TestApp;
  let admin: LoggedIn;
  beforeEach(async () => {
    t = await createTestApp(dialect);
    admin = await t.login('alice');
  });
  afterEach(() => t.close());

  const idOf = async (username: string) =>
    ((await t.api(admin, 'GET', `/api/users?search=${username}`)).json.users as Listed[]).find((u) => u.username === username)!.id;
  const loginStatus = async (username: string, password = TEST_PASSWORD) => {
    const r = await t.app.inject({ method: 'POST', url: '/api/session', payload: { username, password } });
    return { status: r.statusCode, code: (r.json() as { code?: string }).code, message: (r.json() as { message?: string }).message };
  };
  const auditActions = async () =>
    (await t.db.selectFrom('audit_log').select(['action', 'decision']).execute()).map((r) => `${r.action}:${r.decision}`);

  it('pages and searches 10,000 users on the server, by username, display name and email', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => {
      const n = String(i).padStart(5, '0');
      return {
        id: `bulk-${n}`,
        username_key: `user${n}`,
        username: `user${n}`,
        display_name: i === 4321 ? 'Zelda Quartermaine' : `Person ${n}`,
        password_hash: 'x',
        is_admin: 0,
        created_at: 0,
        email: i === 7777 ? 'lucky.seven@example.org' : null,
      };
    });
    for (let i = 0; i < rows.length; i += 500)
      await t.db
        .insertInto('users')
        .values(rows.slice(i, i + 500))
        .execute();

    const first = await t.api(admin, 'GET', '/api/users?limit=25');
    expect(first.status).toBe(200);
    expect(first.json.total).toBe(10_002);
    expect((first.json.users as Listed[]).map((u) => u.username).slice(0, 3)).toEqual(['alice', 'bob', 'user00000']);
    expect(first.json.users).toHaveLength(25);
    const later = await t.api(admin, 'GET', '/api/users?offset=5002&limit=2');
    expect((later.json.users as Listed[]).map((u) => u.username)).toEqual(['user05000', 'user05001']);

    const byName = await t.api(admin, 'GET', '/api/users?search=quarterMAINE');
    expect(byName.json).toMatchObject({ total: 1, users: [{ username: 'user04321', displayName: 'Zelda Quartermaine' }] });
    const byEmail = await t.api(admin, 'GET', '/api/users?search=LUCKY.seven');
    expect(byEmail.json).toMatchObject({ total: 1, users: [{ username: 'user07777', email: 'lucky.seven@example.org' }] });
    expect((await t.api(admin, 'GET', '/api/users?search=user0999')).json.total).toBe(10);
    // LIKE's wildcards are searched for as themselves.
    expect((await t.api(admin, 'GET', '/api/users?search=%25')).json.total).toBe(0);
    expect((await t.api(admin, 'GET', '/api/users?search=_')).json.total).toBe(0);
    expect((await t.api(admin, 'GET', '/api/users?limit=0')).status).toBe(400);
  });

  it('edits display name and email, refusing a bad address, and creates users with an email', async () => {
    const created = await t.api(admin, 'POST', '/api/users', {
      username: 'erin',
      displayName: 'Erin',
      password: TEST_PASSWORD,
      email: 'erin@example.com',
    });
    expect(created.json).toMatchObject({ username: 'erin', email: 'erin@example.com', disabled: false, isAdmin: false });
    const id = created.json.id as string;
    expect((await t.api(admin, 'PATCH', `/api/users/${id}`, { displayName: 'Erin Eck', email: 'e@example.net' })).json).toMatchObject({
      displayName: 'Erin Eck',
      email: 'e@example.net',
    });
    const bad = await t.api(admin, 'PATCH', `/api/users/${id}`, { email: 'not-an-address' });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/email address/);
    expect((await t.api(admin, 'PATCH', `/api/users/${id}`, {})).status).toBe(400);
    expect((await t.api(admin, 'PATCH', `/api/users/${id}`, { email: '' })).json.email).toBeNull();
    expect((await t.api(admin, 'PATCH', '/api/users/nobody', { displayName: 'x' })).status).toBe(404);
    expect(await auditActions()).toEqual(expect.arrayContaining(['user-create:allow', 'user-update:allow']));
  });

  it('makes and unmakes admins, never the caller themselves', async () => {
    const bobId = await idOf('bob');
    const aliceId = await idOf('alice');
    expect((await t.api(admin, 'PATCH', `/api/users/${bobId}`, { isAdmin: true })).json.isAdmin).toBe(true);
    const bob = await t.login('bob');
    expect((await t.api(bob, 'GET', '/api/users')).status).toBe(200);

    const self = await t.api(admin, 'PATCH', `/api/users/${aliceId}`, { isAdmin: false });
    expect(self.status).toBe(403);
    expect(self.json.message).toMatch(/your own admin role/);
    expect((await t.api(admin, 'PATCH', `/api/users/${aliceId}`, { disabled: true })).json.message).toMatch(/disable your own account/);
    expect(await auditActions()).toContain('user-update:deny');

    // Bob, an admin now, may take Alice's role away; then Alice is refused at once.
    expect((await t.api(bob, 'PATCH', `/api/users/${aliceId}`, { isAdmin: false })).json.isAdmin).toBe(false);
    expect((await t.api(admin, 'GET', '/api/users')).status).toBe(403);
    // And Bob, the last admin, cannot step down.
    expect((await t.api(bob, 'PATCH', `/api/users/${bobId}`, { isAdmin: false })).status).toBe(403);
  });

  it('disables a user: their sessions end at once and a login is refused with the reason; re-enabling lets them back', async () => {
    const bobId = await idOf('bob');
    const bob = await t.login('bob');
    expect((await t.api(bob, 'GET', '/api/session')).status).toBe(200);
    expect((await t.api(admin, 'PATCH', `/api/users/${bobId}`, { disabled: true })).json.disabled).toBe(true);
    expect((await t.api(bob, 'GET', '/api/session')).status).toBe(401);
    expect(await loginStatus('bob')).toEqual({
      status: 403,
      code: 'ACCOUNT_DISABLED',
      message: 'This account is disabled. Ask an administrator.',
    });
    // Only someone who knows the password learns the account is disabled.
    expect((await loginStatus('bob', 'wrong password')).code).toBe('INVALID_CREDENTIALS');

    expect((await t.api(admin, 'PATCH', `/api/users/${bobId}`, { disabled: false })).json.disabled).toBe(false);
    expect((await loginStatus('bob')).status).toBe(200);
  });

  it('resets a password to a one-time one: the old password and sessions stop working, the new one logs in', async () => {
    const bobId = await idOf('bob');
    const bob = await t.login('bob');
    const reset = await t.api(admin, 'POST', `/api/users/${bobId}/password`);
    expect(reset.status).toBe(200);
    const password = reset.json.password as string;
    expect(password).toMatch(/^[A-Za-z2-9]{16}$/);
    expect((await t.api(bob, 'GET', '/api/session')).status).toBe(401);
    expect((await loginStatus('bob')).code).toBe('INVALID_CREDENTIALS');
    expect((await loginStatus('bob', password)).status).toBe(200);
    expect((await t.api(admin, 'POST', `/api/users/${bobId}/password`)).json.password).not.toBe(password);
    const audited = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'user-password-reset').execute();
    expect(JSON.stringify(audited)).not.toContain(password);
  });

  it('lets a one-time password do nothing but choose a new one', async () => {
    const bobId = await idOf('bob');
    const password = (await t.api(admin, 'POST', `/api/users/${bobId}/password`)).json.password as string;
    const bob = await t.login('bob', password);
    expect((await t.api(bob, 'GET', '/api/session')).json.passwordChangeRequired).toBe(true);
    for (const [method, url] of [
      ['GET', '/api/spaces'],
      ['GET', '/api/transfers'],
      ['PATCH', '/api/profile'],
      ['GET', '/api/profile/sessions'],
    ] as const) {
      const refused = await t.api(bob, method, url, method === 'PATCH' ? { displayName: 'B' } : undefined);
      expect({ url, status: refused.status, code: refused.json.code }).toEqual({ url, status: 403, code: 'PASSWORD_CHANGE_REQUIRED' });
    }
    // Not the same one again.
    const same = await t.api(bob, 'POST', '/api/profile/password', { currentPassword: password, newPassword: password });
    expect(same.status).toBe(400);
    const changed = await t.api(bob, 'POST', '/api/profile/password', { currentPassword: password, newPassword: TEST_PASSWORD });
    expect(changed.status).toBe(200);
    expect((await t.api(bob, 'GET', '/api/session')).json.passwordChangeRequired).toBe(false);
    expect((await t.api(bob, 'GET', '/api/spaces')).status).toBe(200);
    // A password the user chose is theirs: logging in with it requires nothing more.
    expect((await t.api(await t.login('bob'), 'GET', '/api/session')).json.passwordChangeRequired).toBe(false);
  });

  it('refuses to delete yourself, or without saying what becomes of the personal space', async () => {
    const aliceId = await idOf('alice');
    const bobId = await idOf('bob');
    expect((await t.api(admin, 'DELETE', `/api/users/${aliceId}?personalSpace=delete&transfers=delete`)).json.message).toMatch(
      /delete your own account/,
    );
    const unsaid = await t.api(admin, 'DELETE', `/api/users/${bobId}`);
    expect(unsaid.status).toBe(400);
    expect((await t.api(admin, 'DELETE', `/api/users/${bobId}?personalSpace=maybe&transfers=keep`)).status).toBe(400);
    // The transfer history is asked about too.
    expect((await t.api(admin, 'DELETE', `/api/users/${bobId}?personalSpace=keep`)).status).toBe(400);
    expect((await t.api(admin, 'GET', '/api/users')).json.total).toBe(2);
    expect((await t.api(admin, 'DELETE', '/api/users/nobody?personalSpace=keep&transfers=keep')).status).toBe(404);
  });

  it('renames and deletes groups, the deleted group losing its space roles', async () => {
    const group = (await t.api(admin, 'POST', '/api/groups', { name: 'Finance' })).json;
    await t.api(admin, 'POST', '/api/groups', { name: 'Legal' });
    expect((await t.api(admin, 'PATCH', `/api/groups/${group.id as string}`, { name: 'legal' })).status).toBe(409);
    expect((await t.api(admin, 'PATCH', `/api/groups/${group.id as string}`, { name: 'FINANCE' })).json.name).toBe('FINANCE');
    expect((await t.api(admin, 'PATCH', `/api/groups/${group.id as string}`, { name: '  ' })).status).toBe(400);
    await t.db
      .insertInto('space_members')
      .values({ space_id: 'no-space', principal_type: 'group', principal_id: group.id as string, role: 'viewer' })
      .execute()
      .catch(() => undefined); // a foreign key may refuse a made-up space; the delete must work either way
    expect((await t.api(admin, 'DELETE', `/api/groups/${group.id as string}`)).status).toBe(204);
    expect(((await t.api(admin, 'GET', '/api/groups')).json.groups as Array<{ name: string }>).map((g) => g.name)).toEqual(['Legal']);
    expect(
      await t.db
        .selectFrom('space_members')
        .selectAll()
        .where('principal_id', '=', group.id as string)
        .execute(),
    ).toEqual([]);
    expect((await t.api(admin, 'DELETE', `/api/groups/${group.id as string}`)).status).toBe(404);
    expect(await auditActions()).toEqual(expect.arrayContaining(['group-create:allow', 'group-rename:allow', 'group-delete:allow']));
  });
});

describe.each(DIALECTS)('deleting a user with a personal space on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  let admin: LoggedIn;
  beforeAll(async () => {
    node = await startNodeProcess();
    t = await createTestApp(dialect, {}, { embeddedNode: embeddedNodeOf(node) });
    admin = await t.login('alice');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await node?.stop();
  });

  /** A user who logged in once (so has a personal space) with a file in it, and a transfer record. */
  const userWithFiles = async (username: string) => {
    const id = (await t.api(admin, 'POST', '/api/users', { username, displayName: `${username} D`, password: TEST_PASSWORD })).json
      .id as string;
    const who = await t.login(username);
    const personal = ((await t.api(who, 'GET', '/api/spaces')).json.spaces as Array<{ id: string; personal: boolean }>).find(
      (s) => s.personal,
    )!;
    const folder = path.join(node.docroot, 'home', username);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'report.txt'), 'kept or not');
    expect(
      (await t.api(who, 'POST', '/api/transfers', { spaceId: personal.id, direction: 'download', paths: ['/report.txt'] })).status,
    ).toBe(201);
    return { id, spaceId: personal.id, file: path.join(folder, 'report.txt') };
  };
  const transfersOf = (userId: string) => t.db.selectFrom('transfers').select('id').where('user_id', '=', userId).execute();

  it('keeps the personal space as a shared space with its files, and the transfer history, when asked to', async () => {
    const gone = await userWithFiles('kept');
    const shared = (await t.api(admin, 'POST', '/api/spaces', { name: 'Shared with kept' })).json.id as string;
    await t.api(admin, 'PUT', `/api/spaces/${shared}/members`, { principalType: 'user', principalId: gone.id, role: 'viewer' });
    expect((await t.api(admin, 'GET', `/api/spaces/${shared}/members`)).json.members).toHaveLength(1);
    expect(await transfersOf(gone.id)).toHaveLength(1);
    expect((await t.api(admin, 'DELETE', `/api/users/${gone.id}?personalSpace=keep&transfers=keep`)).status).toBe(204);
    expect(existsSync(gone.file)).toBe(true);
    const space = await t.api(admin, 'GET', `/api/spaces/${gone.spaceId}`);
    expect(space.json).toMatchObject({ name: "kept D's files", personal: false });
    expect(
      ((await t.api(admin, 'GET', `/api/spaces/${gone.spaceId}/files?path=/`)).json.items as Array<{ name: string }>).map((i) => i.name),
    ).toEqual(['report.txt']);
    // The record stays, still naming who moved what; the user is nobody to every route.
    expect(await transfersOf(gone.id)).toHaveLength(1);
    expect((await t.api(admin, 'GET', '/api/users?search=kept')).json.total).toBe(0);
    expect((await t.api(admin, 'PATCH', `/api/users/${gone.id}`, { disabled: false })).status).toBe(404);
    expect((await t.api(admin, 'DELETE', `/api/users/${gone.id}?personalSpace=keep&transfers=keep`)).status).toBe(404);
    const retired = await t.db.selectFrom('users').selectAll().where('id', '=', gone.id).executeTakeFirstOrThrow();
    expect(retired).toMatchObject({ display_name: 'kept D', disabled: 1, email: null });
    // The username is free for someone new, who logs in to nothing of theirs.
    const again = (await t.api(admin, 'POST', '/api/users', { username: 'kept', displayName: 'New kept', password: TEST_PASSWORD })).json
      .id as string;
    expect(again).not.toBe(gone.id);
    const newcomer = await t.login('kept');
    expect((await t.api(newcomer, 'GET', '/api/transfers')).json.transfers).toEqual([]);
    // Their roles in other spaces go with them, not left behind as "(deleted)".
    expect((await t.api(admin, 'GET', `/api/spaces/${shared}/members`)).json.members).toEqual([]);
  });

  it('deletes the personal space and its files on disk when asked to', async () => {
    const gone = await userWithFiles('removed');
    expect((await t.api(admin, 'DELETE', `/api/users/${gone.id}?personalSpace=delete&transfers=delete`)).status).toBe(204);
    expect(existsSync(path.dirname(gone.file))).toBe(false);
    expect((await t.api(admin, 'GET', `/api/spaces/${gone.spaceId}`)).status).toBe(404);
    expect(await transfersOf(gone.id)).toEqual([]);
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user-delete')
      .where('target', '=', gone.id)
      .execute();
    expect(audit[0]?.reason).toMatch(/personal space deleted \/home\/removed/);
  });
});
