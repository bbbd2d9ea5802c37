import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { createServiceFixture, type ServiceFixture } from '../../test/service-fixture';
import { DIALECTS } from '../../test/test-database';
import { createGroupsRepository } from '../users/groups-repository';
import { createSpacesService } from './spaces-service';

// The spaces service called directly over a real database, against a real embedded node started
// once for the file as a process, as the other server tests start it (docs/reliability.md,
// "Mutation testing").
let node: NodeProcess;
beforeAll(async () => {
  node = await startNodeProcess();
});
afterAll(() => node.stop());

const isFolder = (nodePath: string) =>
  stat(join(node.docroot, nodePath)).then(
    (s) => s.isDirectory(),
    () => false,
  );

describe.each(DIALECTS)('spaces service on %s', (dialect) => {
  let f: ServiceFixture;
  let nodeId: string;
  let service: ReturnType<typeof createSpacesService>;

  beforeEach(async () => {
    f = await createServiceFixture(dialect);
    nodeId = await f.addNode({ url: node.url, username: node.username, secret: node.password, gatewayUrl: node.gatewayUrl });
    service = createSpacesService({ db: f.db, spaces: f.spaces, nodes: f.nodes, clients: f.clients, access: f.access, audit: f.audit });
  });
  afterEach(() => f.close());

  const unique = () => Math.random().toString(36).slice(2, 8);

  describe('personal spaces', () => {
    it('creates "My files" at /home/<username> on the default node once, with its folder', async () => {
      await service.ensurePersonalSpace(f.bob);
      await service.ensurePersonalSpace(f.bob);
      const personal = await f.spaces.findPersonal(f.bob.id);
      expect(personal).toMatchObject({ name: 'My files', node_id: nodeId, root_path: '/home/bob', owner_user_id: f.bob.id });
      expect((await f.spaces.listAll()).filter((s) => s.owner_user_id === f.bob.id)).toHaveLength(1);
      expect(await isFolder('/home/bob')).toBe(true);
    });

    it('takes /home/<username>-<id> when a shared space from before holds /home/<username>', async () => {
      await f.addSpace(nodeId, 'Old', '/home/carol');
      await service.ensurePersonalSpace(f.carol);
      const personal = await f.spaces.findPersonal(f.carol.id);
      expect(personal?.root_path).toMatch(/^\/home\/carol-[0-9a-f]{6}$/);
      expect(await isFolder(personal?.root_path as string)).toBe(true);
    });

    it('refuses a personal space that would lie inside another space, naming it', async () => {
      await f.addSpace(nodeId, 'All homes', '/home');
      await expect(service.ensurePersonalSpace(f.carol)).rejects.toThrow(
        expect.objectContaining({ code: 'SPACE_ROOT_OVERLAPS', message: expect.stringContaining('the space "All homes" (/home)') }),
      );
      expect(await f.spaces.findPersonal(f.carol.id)).toBeUndefined();
    });

    it('does nothing without a node', async () => {
      const bare = await createServiceFixture(dialect);
      try {
        const s = createSpacesService({
          db: bare.db,
          spaces: bare.spaces,
          nodes: bare.nodes,
          clients: bare.clients,
          access: bare.access,
          audit: bare.audit,
        });
        await s.ensurePersonalSpace(bare.bob);
        expect(await bare.spaces.findPersonal(bare.bob.id)).toBeUndefined();
      } finally {
        await bare.close();
      }
    });
  });

  describe('list and get', () => {
    it("lists the user's own space first, then shared ones by name", async () => {
      const zeta = await f.addSpace(nodeId, 'Zeta', `/spaces/zeta-${unique()}`);
      const alpha = await f.addSpace(nodeId, 'Alpha', `/spaces/alpha-${unique()}`);
      await f.spaces.putMember({ space_id: zeta, principal_type: 'user', principal_id: f.bob.id, role: 'viewer' });
      await f.spaces.putMember({ space_id: alpha, principal_type: 'user', principal_id: f.bob.id, role: 'contributor' });
      const personal = (await service.list(f.bob))[0];
      expect(await service.list(f.bob)).toEqual([
        { id: personal?.id, name: 'My files', personal: true, role: 'manager' },
        { id: alpha, name: 'Alpha', personal: false, role: 'contributor' },
        { id: zeta, name: 'Zeta', personal: false, role: 'viewer' },
      ]);
    });

    it("shows an admin other people's personal spaces last, by their owner's name", async () => {
      await service.ensurePersonalSpace(f.bob);
      await service.ensurePersonalSpace(f.carol);
      const shared = await f.addSpace(nodeId, 'Shared', `/spaces/shared-${unique()}`);
      const listed = await service.list(f.alice);
      expect(listed.map((s) => [s.name, s.personal, s.role])).toEqual([
        ['My files', true, 'manager'],
        ['Shared', false, 'manager'],
        ["Bob's files", false, 'manager'],
        ["Carol's files", false, 'manager'],
      ]);
      expect(listed[1]?.id).toBe(shared);
      const bobs = listed[2]?.id as string;
      expect(await service.get(f.alice, bobs)).toEqual({ id: bobs, name: "Bob's files", personal: false, role: 'manager' });
      expect(await service.get(f.bob, bobs)).toEqual({ id: bobs, name: 'My files', personal: true, role: 'manager' });
    });

    it('lists what it has when the default node is down', async () => {
      const down = await createServiceFixture(dialect);
      try {
        const downNode = await down.addNode({ url: 'http://127.0.0.1:9', username: 'n', secret: 's', gatewayUrl: null });
        const space = await down.addSpace(downNode, 'Kept', '/spaces/kept');
        await down.spaces.putMember({ space_id: space, principal_type: 'user', principal_id: down.bob.id, role: 'viewer' });
        const s = createSpacesService({
          db: down.db,
          spaces: down.spaces,
          nodes: down.nodes,
          clients: down.clients,
          access: down.access,
          audit: down.audit,
        });
        expect(await s.list(down.bob)).toEqual([{ id: space, name: 'Kept', personal: false, role: 'viewer' }]);
      } finally {
        await down.close();
      }
    });

    it('answers "not found" for a space the user is not in', async () => {
      const hidden = await f.addSpace(nodeId, 'Hidden', `/spaces/hidden-${unique()}`);
      await expect(service.get(f.bob, hidden)).rejects.toThrow(expect.objectContaining({ code: 'SPACE_NOT_FOUND' }));
    });
  });

  describe('create', () => {
    it('creates a shared space with a generated folder on the default node', async () => {
      const space = await service.create(f.alice, { name: 'Q3 Reports' });
      expect(space).toEqual({ id: expect.any(String), name: 'Q3 Reports', personal: false, role: 'manager' });
      const row = await f.spaces.find(space.id);
      expect(row).toMatchObject({ name: 'Q3 Reports', node_id: nodeId, owner_user_id: null });
      expect(row?.root_path).toMatch(/^\/spaces\/q3-reports-[0-9a-f]{6}$/);
      expect(await isFolder(row?.root_path as string)).toBe(true);
    });

    it("uses the admin's folder on the node the admin names", async () => {
      const second = await f.addNode({ url: node.url, username: node.username, secret: node.password, gatewayUrl: null, name: 'second' });
      const root = `/projects/p-${unique()}`;
      const space = await service.create(f.alice, { name: `Project ${unique()}`, nodeId: second, rootPath: `${root}/` });
      expect(await f.spaces.find(space.id)).toMatchObject({ node_id: second, root_path: root });
      expect(await isFolder(root)).toBe(true);
    });

    it('refuses a non-admin, an unknown node, an invisible name and a name taken after folding', async () => {
      await expect(service.create(f.bob, { name: 'Mine' })).rejects.toThrow(
        expect.objectContaining({ statusCode: 403, message: 'You are not allowed to create spaces.' }),
      );
      await expect(service.create(f.alice, { name: 'X', nodeId: 'no-such-node' })).rejects.toThrow(
        expect.objectContaining({ code: 'NODE_NOT_FOUND' }),
      );
      await expect(service.create(f.alice, { name: ' \u200b ' })).rejects.toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED', message: 'Enter a name with at least one visible character.' }),
      );
      await service.create(f.alice, { name: 'Finance' });
      await expect(service.create(f.alice, { name: ' FINANCE ' })).rejects.toThrow(
        expect.objectContaining({ code: 'NAME_TAKEN', message: 'A space named "Finance" exists; choose another name.' }),
      );
      // A personal space's name does not take a shared one's.
      await service.ensurePersonalSpace(f.bob);
      await expect(service.create(f.alice, { name: 'My files' })).resolves.toMatchObject({ name: 'My files' });
    });

    it('refuses a folder that equals, contains or lies inside another space, naming whose', async () => {
      const root = `/projects/r-${unique()}`;
      await service.create(f.alice, { name: 'Outer', rootPath: root });
      await service.ensurePersonalSpace(f.bob);
      const overlaps = (message: string) => expect.objectContaining({ statusCode: 409, code: 'SPACE_ROOT_OVERLAPS', message });
      await expect(service.create(f.alice, { name: 'Same', rootPath: root.toUpperCase() })).rejects.toThrow(
        overlaps(
          `The folder ${JSON.stringify(root.toUpperCase())} is the folder of the space "Outer" (${root}) on this node; each space needs a folder of its own.`,
        ),
      );
      await expect(service.create(f.alice, { name: 'Inner', rootPath: `${root}/in` })).rejects.toThrow(
        overlaps(
          `The folder "${root}/in" lies inside the folder of the space "Outer" (${root}) on this node; each space needs a folder of its own.`,
        ),
      );
      await expect(service.create(f.alice, { name: 'Whole', rootPath: '/projects' })).rejects.toThrow(
        overlaps(
          `The folder "/projects" contains the folder of the space "Outer" (${root}) on this node; each space needs a folder of its own.`,
        ),
      );
      await f.db
        .updateTable('spaces')
        .set({ root_path: '/elsewhere/bob', root_key: '/elsewhere/bob' })
        .where('owner_user_id', '=', f.bob.id)
        .execute();
      await expect(service.create(f.alice, { name: 'Bobs', rootPath: '/elsewhere' })).rejects.toThrow(
        overlaps(
          'The folder "/elsewhere" contains the folder of the personal space of bob (/elsewhere/bob) on this node; each space needs a folder of its own.',
        ),
      );
    });
  });

  describe('root conflicts', () => {
    it('lists nested spaces for an admin only, with their node', async () => {
      const outer = await f.addSpace(nodeId, 'Outer', '/nest');
      const inner = await f.addSpace(nodeId, 'Inner', '/nest/in');
      await expect(service.listRootConflicts(f.bob)).rejects.toThrow(
        expect.objectContaining({ message: 'You are not allowed to see which spaces share folders.' }),
      );
      expect(await service.listRootConflicts(f.alice)).toEqual([
        {
          nodeId,
          nodeName: 'node-1',
          kind: 'nested',
          spaces: [
            { id: outer, name: 'Outer', rootPath: '/nest', personal: false, ownerUsername: null },
            { id: inner, name: 'Inner', rootPath: '/nest/in', personal: false, ownerUsername: null },
          ],
        },
      ]);
    });

    it('is empty when every space has a folder of its own', async () => {
      await f.addSpace(nodeId, 'One', '/one');
      await service.ensurePersonalSpace(f.bob);
      expect(await service.rootConflicts()).toEqual([]);
    });
  });

  describe('members', () => {
    it('adds users and groups by name, replaces a role, and removes a member', async () => {
      const space = await f.addSpace(nodeId, 'Team space', `/spaces/team-${unique()}`);
      const team = await createGroupsRepository(f.db).create('Team');
      await service.putMember(f.alice, space, { principalType: 'user', principalId: f.bob.id, role: 'viewer' });
      const members = await service.putMember(f.alice, space, { principalType: 'group', principalId: team.id, role: 'contributor' });
      expect(members).toEqual(
        expect.arrayContaining([
          { principalType: 'user', principalId: f.bob.id, role: 'viewer', name: 'Bob' },
          { principalType: 'group', principalId: team.id, role: 'contributor', name: 'Team' },
        ]),
      );
      expect(members).toHaveLength(2);
      await service.putMember(f.alice, space, { principalType: 'user', principalId: f.bob.id, role: 'manager' });
      // Bob manages the space now, so he may see its members.
      expect((await service.members(f.bob, space)).find((m) => m.principalType === 'user')?.role).toBe('manager');
      await service.removeMember(f.alice, space, 'group', team.id);
      expect(await service.members(f.alice, space)).toEqual([
        { principalType: 'user', principalId: f.bob.id, role: 'manager', name: 'Bob' },
      ]);
      await expect(service.removeMember(f.alice, space, 'group', team.id)).rejects.toThrow(
        expect.objectContaining({ statusCode: 404, message: 'This member was not found.' }),
      );
    });

    it('names a member whose user is gone "(deleted)"', async () => {
      const space = await f.addSpace(nodeId, 'Gone', `/spaces/gone-${unique()}`);
      await f.spaces.putMember({ space_id: space, principal_type: 'user', principal_id: 'gone-user', role: 'viewer' });
      await f.spaces.putMember({ space_id: space, principal_type: 'group', principal_id: 'gone-group', role: 'viewer' });
      expect((await service.members(f.alice, space)).map((m) => m.name)).toEqual(['(deleted)', '(deleted)']);
    });

    it('refuses an unknown principal, and anyone who does not manage the space', async () => {
      const space = await f.addSpace(nodeId, 'Guarded', `/spaces/guarded-${unique()}`);
      await expect(service.putMember(f.alice, space, { principalType: 'user', principalId: 'nobody', role: 'viewer' })).rejects.toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED', message: 'No user with id nobody.' }),
      );
      await expect(service.putMember(f.alice, space, { principalType: 'group', principalId: 'nobody', role: 'viewer' })).rejects.toThrow(
        expect.objectContaining({ message: 'No group with id nobody.' }),
      );
      await f.spaces.putMember({ space_id: space, principal_type: 'user', principal_id: f.bob.id, role: 'contributor' });
      const forbidden = expect.objectContaining({ statusCode: 403 });
      await expect(service.members(f.bob, space)).rejects.toThrow(forbidden);
      await expect(service.putMember(f.bob, space, { principalType: 'user', principalId: f.carol.id, role: 'manager' })).rejects.toThrow(
        forbidden,
      );
      await expect(service.removeMember(f.bob, space, 'user', f.bob.id)).rejects.toThrow(forbidden);
      expect(await f.spaces.members(space)).toHaveLength(1);
      const targets = (await f.auditEntries()).filter((e) => e.user_id === f.bob.id).map((e) => [e.action, e.target, e.decision]);
      expect(targets).toEqual(
        expect.arrayContaining([
          ['manageMembers', 'members', 'deny'],
          ['manageMembers', `user:${f.carol.id}`, 'deny'],
          ['manageMembers', `user:${f.bob.id}`, 'deny'],
        ]),
      );
    });
  });
});
