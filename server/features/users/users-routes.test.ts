import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

describe.each(DIALECTS)('user and group administration on %s', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  const as = async (username: string) => {
    const who = await t.login(username);
    return (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken }, ...(payload ? { payload } : {}) });
  };

  it('lets an admin create users who can then log in, and refuses duplicates and bad usernames', async () => {
    const admin = await as('alice');
    const created = await admin('POST', '/api/users', { username: 'Carol.M', displayName: 'Carol', password: TEST_PASSWORD });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      id: expect.any(String),
      username: 'Carol.M',
      displayName: 'Carol',
      isAdmin: false,
      email: null,
      disabled: false,
    });
    expect((await t.login('carol.m')).csrfToken).toBeTruthy();

    expect((await admin('POST', '/api/users', { username: 'CAROL.m', displayName: 'x', password: TEST_PASSWORD })).json().code).toBe(
      'CONFLICT',
    );
    for (const username of ['../etc', 'a b', '', '.hidden', 'x'.repeat(65)]) {
      const bad = await admin('POST', '/api/users', { username, displayName: 'x', password: TEST_PASSWORD });
      expect(bad.statusCode, username).toBe(400);
    }
    expect((await admin('POST', '/api/users', { username: 'dave', displayName: 'Dave', password: 'short' })).json().message).toMatch(
      /at least 8/,
    );
    const list = await admin('GET', '/api/users');
    expect(list.json().users.map((u: { username: string }) => u.username)).toEqual(['alice', 'bob', 'Carol.M']);
    expect(list.body).not.toContain('scrypt');
  });

  it('manages groups and their members', async () => {
    const admin = await as('alice');
    const group = (await admin('POST', '/api/groups', { name: 'Finance' })).json();
    expect((await admin('POST', '/api/groups', { name: 'finance' })).statusCode).toBe(409);
    const bob = (await admin('GET', '/api/users')).json().users.find((u: { username: string }) => u.username === 'bob');
    expect((await admin('PUT', `/api/groups/${group.id}/members/${bob.id}`)).json().memberIds).toEqual([bob.id]);
    expect((await admin('PUT', `/api/groups/${group.id}/members/no-such-user`)).statusCode).toBe(404);
    expect((await admin('DELETE', `/api/groups/${group.id}/members/${bob.id}`)).json().memberIds).toEqual([]);
    expect((await admin('GET', '/api/groups')).json().groups).toEqual([{ id: group.id, name: 'Finance', memberIds: [] }]);
  });

  it('refuses every administration route to a non-admin', async () => {
    const bob = await as('bob');
    const aliceId = (await (await as('alice'))('GET', '/api/users')).json().users[0].id as string;
    const group = (await (await as('alice'))('POST', '/api/groups', { name: 'Ops' })).json().id as string;
    for (const [method, url, payload] of [
      ['PATCH', `/api/users/${aliceId}`, { displayName: 'Mallory' }],
      ['PATCH', `/api/users/${aliceId}`, { isAdmin: false }],
      ['POST', `/api/users/${aliceId}/password`],
      ['DELETE', `/api/users/${aliceId}?personalSpace=delete&transfers=delete`],
      ['PATCH', `/api/groups/${group}`, { name: 'Mine' }],
      ['DELETE', `/api/groups/${group}`],
      ['PUT', `/api/groups/${group}/members/${aliceId}`],
      ['DELETE', `/api/groups/${group}/members/${aliceId}`],
      ['GET', '/api/users'],
      ['POST', '/api/users', { username: 'eve', displayName: 'Eve', password: TEST_PASSWORD }],
      ['GET', '/api/groups'],
      ['POST', '/api/groups', { name: 'x' }],
      ['GET', '/api/audit'],
      ['GET', '/api/nodes'],
      ['POST', '/api/nodes', { name: 'n', url: 'http://127.0.0.1:9', username: 'u', secret: 's' }],
      ['POST', '/api/spaces', { name: 'x' }],
      ['GET', '/api/transfers?all=true'],
    ] as const) {
      const response = await bob(method, url, payload);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().code).toBe('FORBIDDEN');
    }
    // Nothing changed.
    const alice = await as('alice');
    expect((await alice('GET', `/api/users?search=alice`)).json().users[0]).toMatchObject({ displayName: 'Alice Admin', isAdmin: true });
    expect((await alice('GET', '/api/groups')).json().groups).toEqual([{ id: group, name: 'Ops', memberIds: [] }]);
  });
});
