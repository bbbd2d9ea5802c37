import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Db, type Dialect } from '../db/database';

/** The dialects to run server tests on: SQLite always, PostgreSQL when the global setup has one. */
export const DIALECTS: Dialect[] = inject('postgresUrl') ? ['sqlite', 'postgres'] : ['sqlite'];

/** A fresh, migrated database of the given dialect; `drop` removes it. */
export async function createTestDatabase(dialect: Dialect, dataDir: string, migrateTo?: string): Promise<{ db: Db; drop: () => Promise<void> }> {
  const upTo = migrateTo ? { migrateTo } : {};
  if (dialect === 'sqlite') {
    const { db } = await openDatabase({ databaseUrl: 'sqlite::memory:', dataDir, ...upTo });
    return { db, drop: () => db.destroy() };
  }
  const adminUrl = inject('postgresUrl');
  const name = `courier_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const { db } = await openDatabase({ databaseUrl: url.toString(), dataDir, ...upTo });
  return {
    db,
    drop: async () => {
      await db.destroy();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
