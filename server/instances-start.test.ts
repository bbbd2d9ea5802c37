/**
 * Several portal instances started together against a fresh PostgreSQL database, as an
 * orchestrator starts them (docs/deployment.md §6): the schema is migrated once, under Kysely's
 * advisory lock, the `admin` account is created once, and every instance starts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, startPortal, type Portal } from './index';
import { createTestDatabaseUrl, DIALECTS } from './test/test-database';

describe.runIf(DIALECTS.includes('postgres'))('three portal instances starting at once on a fresh PostgreSQL database', () => {
  const portals: Portal[] = [];
  const dirs: string[] = [];
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    for (const p of portals) await p.close();
    await drop?.();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('migrates once, creates one admin account, and all of them serve', async () => {
    // Empty: the three starts must migrate it, together.
    const database = await createTestDatabaseUrl('postgres', { empty: true });
    drop = database.drop;
    const secretKey = randomBytes(32).toString('base64');
    const started = await Promise.allSettled(
      [0, 1, 2].map(() => {
        const dataDir = mkdtempSync(path.join(tmpdir(), 'courier-start-'));
        dirs.push(dataDir);
        const config = loadConfig({
          COURIER_DATA_DIR: dataDir,
          COURIER_LOG_LEVEL: 'silent',
          COURIER_HOST: '127.0.0.1',
          COURIER_PORT: '0',
          COURIER_SECRET_KEY: secretKey,
          DATABASE_URL: database.url,
        });
        return startPortal({ config, logger: false });
      }),
    );
    for (const s of started) if (s.status === 'fulfilled') portals.push(s.value);
    expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'started'))).toEqual(['started', 'started', 'started']);

    const db = portals[0]!.db;
    const migrations = await db
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute();
    const names = migrations.map((m) => (m as { name: string }).name);
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names).size).toBe(names.length);
    expect(await db.selectFrom('users').select('username').where('username', '=', 'admin').execute()).toHaveLength(1);
    // One of them made the account and printed its password; the others found it.
    expect(portals.filter((p) => p.admin.created)).toHaveLength(1);
    for (const p of portals) expect((await fetch(`http://127.0.0.1:${p.port}/api/health/live`)).status).toBe(200);
  });
});
