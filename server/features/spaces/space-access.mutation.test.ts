import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServiceFixture, type ServiceFixture } from '../../test/service-fixture';
import { DIALECTS } from '../../test/test-database';
import { createGroupsRepository } from '../users/groups-repository';

// The one gate of every file operation, called directly over a real database
// (docs/reliability.md, "Mutation testing"): the effective role, the refusal and the audit entry.
describe.each(DIALECTS)('space access on %s', (dialect) => {
  let f: ServiceFixture;
  let nodeId: string;
  let finance: string;

  beforeEach(async () => {
    f = await createServiceFixture(dialect);
    nodeId = await f.addNode({ url: 'http://127.0.0.1:9', username: 'n', secret: 's', gatewayUrl: null });
    finance = await f.addSpace(nodeId, 'Finance', '/spaces/finance');
  });
  afterEach(() => f.close());

  const grant = (spaceId: string, principal_type: 'user' | 'group', principal_id: string, role: 'viewer' | 'contributor' | 'manager') =>
    f.spaces.putMember({ space_id: spaceId, principal_type, principal_id, role });

  describe('roleIn', () => {
    it('is null for a space that does not exist or a user who is not a member', async () => {
      expect(await f.access.roleIn(f.alice, 'no-such-space')).toBeNull();
      expect(await f.access.roleIn(f.bob, finance)).toBeNull();
      // A role in another space does not count here.
      const other = await f.addSpace(nodeId, 'Other', '/spaces/other');
      await grant(other, 'user', f.bob.id, 'manager');
      expect(await f.access.roleIn(f.bob, finance)).toBeNull();
    });

    it('makes an admin manager of every space', async () => {
      expect(await f.access.roleIn(f.alice, finance)).toMatchObject({ space: { id: finance, name: 'Finance' }, role: 'manager' });
    });

    it('takes the highest of direct and group roles, whichever comes first', async () => {
      const groups = createGroupsRepository(f.db);
      const team = await groups.create('Team');
      await groups.addMember(team.id, f.bob.id);
      await grant(finance, 'group', team.id, 'contributor');
      await grant(finance, 'user', f.bob.id, 'viewer');
      expect((await f.access.roleIn(f.bob, finance))?.role).toBe('contributor');
      await grant(finance, 'user', f.bob.id, 'manager');
      expect((await f.access.roleIn(f.bob, finance))?.role).toBe('manager');
      await grant(finance, 'group', team.id, 'viewer');
      expect((await f.access.roleIn(f.bob, finance))?.role).toBe('manager');
      await grant(finance, 'user', f.bob.id, 'viewer');
      expect((await f.access.roleIn(f.bob, finance))?.role).toBe('viewer');
    });
  });

  describe('visibleSpaces', () => {
    it("lists the user's spaces once each with the best role, personal space first, then by name", async () => {
      const groups = createGroupsRepository(f.db);
      const team = await groups.create('Team');
      await groups.addMember(team.id, f.bob.id);
      const archive = await f.addSpace(nodeId, 'Archive', '/spaces/archive');
      await f.addSpace(nodeId, 'Hidden', '/spaces/hidden');
      const personal = (await f.spaces.insert({ name: 'My files', node_id: nodeId, root_path: '/home/bob', owner_user_id: f.bob.id })).id;
      await grant(finance, 'user', f.bob.id, 'viewer');
      await grant(finance, 'group', team.id, 'contributor');
      await grant(archive, 'group', team.id, 'manager');
      await grant(archive, 'user', f.bob.id, 'viewer');
      const seen = await f.access.visibleSpaces(f.bob);
      expect(seen.map((g) => [g.space.id, g.role])).toEqual([
        [personal, 'manager'],
        [archive, 'manager'],
        [finance, 'contributor'],
      ]);
    });

    it('shows an admin every space as manager, their own personal space first', async () => {
      await f.addSpace(nodeId, 'Zeta', '/spaces/zeta');
      await f.addSpace(nodeId, 'Alpha', '/spaces/alpha');
      await f.spaces.insert({ name: 'My files', node_id: nodeId, root_path: '/home/bob', owner_user_id: f.bob.id });
      await f.spaces.insert({ name: 'My files', node_id: nodeId, root_path: '/home/alice', owner_user_id: f.alice.id });
      const seen = await f.access.visibleSpaces(f.alice);
      expect(seen.map((g) => [g.space.root_path, g.role])).toEqual([
        ['/home/alice', 'manager'],
        ['/spaces/alpha', 'manager'],
        ['/spaces/finance', 'manager'],
        ['/home/bob', 'manager'],
        ['/spaces/zeta', 'manager'],
      ]);
    });

    it('is empty for a user with no grant', async () => {
      expect(await f.access.visibleSpaces(f.carol)).toEqual([]);
    });
  });

  describe('authorize', () => {
    it('allows what the role allows and writes the decision to the audit log', async () => {
      await grant(finance, 'user', f.bob.id, 'contributor');
      const granted = await f.access.authorize(f.bob, finance, 'upload', '/in');
      expect(granted).toMatchObject({ space: { id: finance }, role: 'contributor' });
      expect(await f.auditEntries()).toEqual([
        expect.objectContaining({
          user_id: f.bob.id,
          action: 'upload',
          space_id: finance,
          target: '/in',
          decision: 'allow',
          reason: 'role contributor',
        }),
      ]);
    });

    it('refuses what the role does not allow, in words, and audits why', async () => {
      await grant(finance, 'user', f.bob.id, 'viewer');
      await expect(f.access.authorize(f.bob, finance, 'upload', '/in')).rejects.toThrow(
        expect.objectContaining({ statusCode: 403, code: 'FORBIDDEN', message: 'You are not allowed to upload to this space.' }),
      );
      expect(await f.auditEntries()).toEqual([
        expect.objectContaining({
          user_id: f.bob.id,
          action: 'upload',
          target: '/in',
          decision: 'deny',
          reason: 'role viewer may not upload',
        }),
      ]);
    });

    it.each([
      ['download', 'viewer', null],
      ['upload', 'viewer', 'upload to this space'],
      ['mkdir', 'viewer', 'create folders in this space'],
      ['rename', 'viewer', 'rename in this space'],
      ['delete', 'contributor', 'delete in this space'],
      ['manageMembers', 'contributor', 'manage the members of this space'],
    ] as const)('%s as %s: %s', async (operation, role, refused) => {
      await grant(finance, 'user', f.bob.id, role);
      const attempt = f.access.authorize(f.bob, finance, operation, null);
      if (refused === null) await expect(attempt).resolves.toMatchObject({ role });
      else await expect(attempt).rejects.toThrow(expect.objectContaining({ message: `You are not allowed to ${refused}.` }));
    });

    it('answers "not found" to a non-member, as for a space that does not exist, and audits it', async () => {
      const notFound = expect.objectContaining({ statusCode: 404, code: 'SPACE_NOT_FOUND' });
      await expect(f.access.authorize(f.bob, finance, 'list', '/')).rejects.toThrow(notFound);
      await expect(f.access.authorize(f.alice, 'no-such-space', 'list', null)).rejects.toThrow(notFound);
      const entries = await f.auditEntries();
      expect(entries).toHaveLength(2);
      for (const entry of entries) expect(entry).toMatchObject({ decision: 'deny', reason: 'not a member', action: 'list' });
      expect(entries.map((e) => e.space_id).sort()).toEqual([finance, 'no-such-space'].sort());
    });
  });

  describe('confine', () => {
    it('returns the normalized path without an audit entry', async () => {
      expect(await f.access.confine(f.bob, finance, 'list', 'a//b/')).toBe('/a/b');
      expect(await f.auditEntries()).toEqual([]);
    });

    it('audits a refused path as a denial with its reason, then throws it', async () => {
      await expect(f.access.confine(f.bob, finance, 'download', '../etc')).rejects.toThrow(
        expect.objectContaining({ code: 'INVALID_PATH', message: 'The path "../etc" may not contain "..".' }),
      );
      expect(await f.auditEntries()).toEqual([
        expect.objectContaining({
          user_id: f.bob.id,
          action: 'download',
          space_id: finance,
          target: '../etc',
          decision: 'deny',
          reason: 'The path "../etc" may not contain "..".',
        }),
      ]);
    });

    it('audits a refused path holding a NUL on every dialect (PostgreSQL text cannot store one)', async () => {
      await expect(f.access.confine(f.bob, finance, 'list', 'a\u0000b')).rejects.toThrow(
        expect.objectContaining({ statusCode: 400, code: 'INVALID_PATH', message: 'The path "a\\u0000b" contains a NUL character.' }),
      );
      expect(await f.auditEntries()).toEqual([
        expect.objectContaining({ target: 'a\\u0000b', decision: 'deny', reason: 'The path "a\\u0000b" contains a NUL character.' }),
      ]);
    });
  });
});
