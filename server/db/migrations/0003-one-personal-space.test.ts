import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS } from '../../test/test-database';
import { migrate } from '../database';

describe.each(DIALECTS)('migration 0003, one personal space per user, on %s', (dialect) => {
  it('keeps the oldest of duplicate personal spaces, moves transfers and members to it, and refuses another', async () => {
    const { db, drop } = await createTestDatabase(dialect, mkdtempSync(path.join(tmpdir(), 'courier-m3-')), '0002-nodes-spaces-transfers');
    try {
      const user = (id: string) => ({
        id,
        username_key: id,
        username: id,
        display_name: id,
        password_hash: 'x',
        is_admin: 0,
        created_at: 1,
      });
      await db
        .insertInto('users')
        .values([user('u1'), user('u2')])
        .execute();
      await db
        .insertInto('nodes')
        .values({
          id: 'n1',
          name: 'n',
          url: 'http://n',
          username: 'u',
          secret_sealed: 's',
          gateway_url: null,
          verify_tls: 1,
          kind: 'embedded',
          is_default: 1,
          created_at: 1,
        })
        .execute();
      const space = (id: string, owner: string | null, created: number) => ({
        id,
        name: 'My files',
        node_id: 'n1',
        root_path: `/home/${owner}`,
        owner_user_id: owner,
        created_at: created,
      });
      // u1 got three at once (the one made first is kept), u2 one; two shared spaces have no owner.
      await db
        .insertInto('spaces')
        .values([
          space('late', 'u1', 20),
          space('first', 'u1', 10),
          space('later', 'u1', 30),
          space('u2-own', 'u2', 5),
          space('shared-a', null, 1),
          space('shared-b', null, 1),
        ])
        .execute();
      await db
        .insertInto('space_members')
        .values([
          { space_id: 'late', principal_type: 'user', principal_id: 'u2', role: 'viewer' },
          { space_id: 'first', principal_type: 'user', principal_id: 'u2', role: 'viewer' },
          { space_id: 'later', principal_type: 'group', principal_id: 'g1', role: 'contributor' },
        ])
        .execute();
      const transfer = (id: string, spaceId: string) => ({
        id,
        user_id: 'u1',
        space_id: spaceId,
        node_id: 'n1',
        direction: 'upload' as const,
        title: id,
        folder: '/',
        paths_json: '[]',
        file_count: 1,
        bytes_expected: 1,
        bytes_transferred: 0,
        client: null,
        status: 'completed' as const,
        node_transfer_id: null,
        error: null,
        created_at: 1,
        updated_at: 1,
        started_at: null,
        ended_at: null,
      });
      await db
        .insertInto('transfers')
        .values([transfer('t1', 'late'), transfer('t2', 'first'), transfer('t3', 'u2-own')])
        .execute();

      await migrate(db);

      const spaces = await db.selectFrom('spaces').select(['id', 'owner_user_id']).orderBy('id').execute();
      expect(spaces.map((s) => s.id)).toEqual(['first', 'shared-a', 'shared-b', 'u2-own']);
      const transfers = await db.selectFrom('transfers').select(['id', 'space_id']).orderBy('id').execute();
      expect(transfers).toEqual([
        { id: 't1', space_id: 'first' },
        { id: 't2', space_id: 'first' },
        { id: 't3', space_id: 'u2-own' },
      ]);
      const members = await db.selectFrom('space_members').select(['space_id', 'principal_id', 'role']).orderBy('principal_id').execute();
      expect(members).toEqual([
        { space_id: 'first', principal_id: 'g1', role: 'contributor' },
        { space_id: 'first', principal_id: 'u2', role: 'viewer' },
      ]);

      await expect(
        db
          .insertInto('spaces')
          .values(space('again', 'u1', 40))
          .execute(),
      ).rejects.toThrow();
      await db
        .insertInto('spaces')
        .values(space('shared-c', null, 1))
        .execute();
    } finally {
      await drop();
    }
  });
});
