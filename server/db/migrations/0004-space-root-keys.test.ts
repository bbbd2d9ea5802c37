import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRootConflicts } from '../../features/spaces/space-root';
import { createTestDatabase, DIALECTS } from '../../test/test-database';
import { migrate } from '../database';

describe.each(DIALECTS)('migration 0004, one folder per space, on %s', (dialect) => {
  it('keys every space by its folder, leaves spaces sharing one as they are for the admin, and refuses another on the same folder', async () => {
    const { db, drop } = await createTestDatabase(dialect, mkdtempSync(path.join(tmpdir(), 'courier-m4-')), '0003-one-personal-space');
    try {
      await db
        .insertInto('users')
        .values({
          id: 'u1',
          username_key: 'alice',
          username: 'alice',
          display_name: 'Alice',
          password_hash: 'x',
          is_admin: 0,
          created_at: 1,
        })
        .execute();
      const node = (id: string) => ({
        id,
        name: id,
        url: `http://${id}`,
        username: 'u',
        secret_sealed: 's',
        gateway_url: null,
        verify_tls: 1,
        kind: 'embedded' as const,
        is_default: Number(id === 'n1'),
        created_at: 1,
      });
      await db
        .insertInto('nodes')
        .values([node('n1'), node('n2')])
        .execute();
      const space = (id: string, rootPath: string, created: number, nodeId = 'n1', owner: string | null = null) => ({
        id,
        name: id,
        node_id: nodeId,
        root_path: rootPath,
        owner_user_id: owner,
        created_at: created,
      });
      const before = [
        // "Project X" and "project-x" slugged alike; a third spelled its folder in capitals; one inside them.
        space('project-x', '/spaces/project-x', 10),
        space('project-x-2', '/spaces/project-x', 20),
        space('project-x-caps', '/Spaces/Project-X', 30),
        space('docs', '/spaces/project-x/docs', 40),
        space('other', '/spaces/other', 50),
        space('elsewhere', '/spaces/project-x', 5, 'n2'),
        space('alice', '/home/alice', 60, 'n1', 'u1'),
        space('alice-share', '/home/alice', 70),
      ];
      await db.insertInto('spaces').values(before).execute();

      await migrate(db);

      const after = await db
        .selectFrom('spaces')
        .select(['id', 'name', 'node_id', 'root_path', 'owner_user_id', 'root_key'])
        .orderBy('id')
        .execute();
      expect(after.map(({ root_key: _, ...rest }) => rest)).toEqual(
        before.map(({ created_at: _, ...rest }) => rest).sort((a, b) => a.id.localeCompare(b.id)),
      );
      expect(Object.fromEntries(after.map((s) => [s.id, s.root_key]))).toEqual({
        'project-x': '/spaces/project-x',
        'project-x-2': null,
        'project-x-caps': null,
        docs: '/spaces/project-x/docs',
        other: '/spaces/other',
        elsewhere: '/spaces/project-x',
        alice: '/home/alice',
        'alice-share': null,
      });
      const conflicts = findRootConflicts(after).map((c) => `${c.kind}: ${c.spaces.map((s) => s.id).join(' ')}`);
      expect(conflicts.sort()).toEqual([
        'nested: project-x docs',
        'nested: project-x-2 docs',
        'nested: project-x-caps docs',
        'same-folder: alice alice-share',
        'same-folder: project-x project-x-2 project-x-caps',
      ]);

      await expect(
        db
          .insertInto('spaces')
          .values({ ...space('again', '/SPACES/project-x', 80), root_key: '/spaces/project-x' })
          .execute(),
      ).rejects.toThrow();
      await db
        .insertInto('spaces')
        .values({ ...space('on-n2', '/spaces/other', 80, 'n2'), root_key: '/spaces/other' })
        .execute();
    } finally {
      await drop();
    }
  });
});
