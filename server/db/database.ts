import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Migration } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';
import * as m0001 from './migrations/0001-users-and-sessions';
import * as m0002 from './migrations/0002-nodes-spaces-transfers';
import * as m0003 from './migrations/0003-one-personal-space';
import * as m0004 from './migrations/0004-space-root-keys';
import * as m0005 from './migrations/0005-login-throttle-delay';
import * as m0006 from './migrations/0006-user-admin';
import * as m0007 from './migrations/0007-spaces-admin-index';
import * as m0008 from './migrations/0008-runtime-settings-and-admin-indexes';
import * as m0009 from './migrations/0009-notifications';
import * as m0010 from './migrations/0010-share-links';
import * as m0011 from './migrations/0011-file-requests';
import * as m0012 from './migrations/0012-api-tokens';
import * as m0013 from './migrations/0013-oidc-identities';
import * as m0014 from './migrations/0014-user-lifecycle';
import * as m0015 from './migrations/0015-packages';
import * as m0016 from './migrations/0016-node-access-keys';
import * as m0017 from './migrations/0017-copy-transfers';
import * as m0018 from './migrations/0018-package-external-links';
import * as m0019 from './migrations/0019-leases';
import * as m0020 from './migrations/0020-node-token-keys';
import * as m0021 from './migrations/0021-idempotency-keys';

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';

/** Migrations in order; a new one is appended, never edited once released. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-users-and-sessions': m0001,
  '0002-nodes-spaces-transfers': m0002,
  '0003-one-personal-space': m0003,
  '0004-space-root-keys': m0004,
  '0005-login-throttle-delay': m0005,
  '0006-user-admin': m0006,
  '0007-spaces-admin-index': m0007,
  '0008-runtime-settings-and-admin-indexes': m0008,
  '0009-notifications': m0009,
  '0010-share-links': m0010,
  '0011-file-requests': m0011,
  '0012-api-tokens': m0012,
  '0013-oidc-identities': m0013,
  '0014-user-lifecycle': m0014,
  '0015-packages': m0015,
  '0016-node-access-keys': m0016,
  '0017-copy-transfers': m0017,
  '0018-package-external-links': m0018,
  '0019-leases': m0019,
  '0020-node-token-keys': m0020,
  '0021-idempotency-keys': m0021,
};

/**
 * Opens the database named by `databaseUrl` (postgres://… or sqlite:<file>), or the SQLite file
 * in the data folder, and applies pending migrations.
 */
export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  /** Stop after this migration: for a test of the next one. */
  migrateTo?: string;
}): Promise<{ db: Db; dialect: Dialect }> {
  const url = options.databaseUrl;
  let db: Db;
  let dialect: Dialect;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      // bigint columns hold epoch milliseconds, well inside Number's exact range.
      types: { getTypeParser: (oid, format) => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) },
    });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    dialect = 'postgres';
  } else {
    const file = url ? url.replace(/^sqlite:(\/\/)?/, '') : path.join(options.dataDir, 'courier.db');
    if (file !== ':memory:') {
      mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      // Created 0600 before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
      closeSync(openSync(file, 'a', 0o600));
    }
    const sqlite = new SqliteDatabase(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    dialect = 'sqlite';
  }
  await migrate(db, options.migrateTo);
  return { db, dialect };
}

/** Applies pending migrations, all of them or up to `upTo`. */
export async function migrate(db: Db, upTo?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(
      `Database migration ${failed?.migrationName ?? ''} failed: ${(error as Error | undefined)?.message ?? 'unknown error'}`,
    );
  }
}

export async function isDatabaseReachable(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
