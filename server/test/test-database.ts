import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Db, type Dialect } from '../db/database';

/** The dialects to run server tests on: SQLite always, PostgreSQL when the global setup has one. */
export const DIALECTS: Dialect[] = inject('postgresUrl') ? ['sqlite', 'postgres'] : ['sqlite'];

/** A fresh, migrated database of the given dialect; `drop` removes it. */
export async function createTestDatabase(
  dialect: Dialect,
  dataDir: string,
  migrateTo?: string,
): Promise<{ db: Db; drop: () => Promise<void> }> {
  // A test of one migration needs the database as it was before it: start from empty.
  const database = await createTestDatabaseUrl(dialect, { empty: migrateTo !== undefined });
  const { db } = await openDatabase({ databaseUrl: database.url, dataDir, ...(migrateTo ? { migrateTo } : {}) });
  return {
    db,
    drop: async () => {
      await db.destroy();
      await database.drop();
    },
  };
}

/**
 * Where a fresh database of `dialect` is, for a test that opens it itself (through `startPortal`):
 * SQLite in memory, or a new database on the test PostgreSQL, a copy of one already migrated
 * (opening it applies no migration) unless `empty` asks for none at all. `drop` removes it once
 * it is closed.
 */
export async function createTestDatabaseUrl(
  dialect: Dialect,
  options: { empty?: boolean } = {},
): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') return { url: 'sqlite::memory:', drop: async () => undefined };
  const adminUrl = inject('postgresUrl');
  const template = options.empty ? '' : inject('postgresTemplate');
  const name = `courier_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      // pg's pool resolves end() once it has asked its clients to close, not when they have: a
      // forced drop then kills a session still closing, whose client reports it as an unhandled
      // error (57P01). Give the sessions a moment to go; FORCE only ends what is left after that.
      for (let tries = 0; tries < 50; tries += 1) {
        const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (rows[0]?.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
