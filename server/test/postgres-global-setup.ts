import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../db/database';
import { freePort } from '../../test-kit/free-port';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of a PostgreSQL server for tests, or '' when none could be had. */
    postgresUrl: string;
    /** A database on that server with every migration applied, to copy for each test; '' when none. */
    postgresTemplate: string;
  }
}

/**
 * Gives the server tests a real PostgreSQL: COURIER_TEST_DATABASE_URL if set, else a throwaway
 * cluster started from the machine's PostgreSQL binaries in a temp folder on a free port.
 * Without either the run fails, naming the install command: the server is built for both dialects
 * and a suite that quietly tested one would say it tested both. COURIER_TEST_SKIP_POSTGRES=1 opts
 * out explicitly (the PostgreSQL variants are then skipped, with a warning).
 */
export default async function setup(project: TestProject) {
  const given = process.env.COURIER_TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    project.provide('postgresTemplate', '');
    return;
  }
  // Asked for, it holds whether or not the machine has PostgreSQL (a quick local run).
  if (process.env.COURIER_TEST_SKIP_POSTGRES === '1') {
    console.warn('[postgres] COURIER_TEST_SKIP_POSTGRES=1: the PostgreSQL variants of the server tests are skipped');
    project.provide('postgresUrl', '');
    project.provide('postgresTemplate', '');
    return;
  }
  const bin = findPostgresBin();
  if (!bin) {
    throw new Error(
      'No PostgreSQL found for the server tests. Install it (apt-get install postgresql), or set COURIER_TEST_DATABASE_URL, or run with COURIER_TEST_SKIP_POSTGRES=1 to test SQLite only.',
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'courier-pg-'));
  const asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  if (asPostgres.length) chownSync(dir, uid('postgres'), gid('postgres'));
  const run = (cmd: string, args: string[]) => {
    const [file, ...rest] = [...asPostgres, path.join(bin, cmd), ...args];
    execFileSync(file!, rest, { stdio: 'pipe' });
  };
  const port = await freePort();
  run('initdb', ['-D', path.join(dir, 'data'), '-A', 'trust', '-U', 'courier', '--no-sync', '-E', 'UTF8']);
  run('pg_ctl', [
    '-D',
    path.join(dir, 'data'),
    '-l',
    path.join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    'start',
  ]);
  const adminUrl = `postgres://courier@127.0.0.1:${port}/postgres`;
  project.provide('postgresUrl', adminUrl);
  project.provide('postgresTemplate', await createMigratedTemplate(adminUrl, dir));

  return () => {
    try {
      run('pg_ctl', ['-D', path.join(dir, 'data'), '-m', 'immediate', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/**
 * Migrating a fresh PostgreSQL database takes about half a second, and the server tests make
 * hundreds of them; copying an already migrated one (CREATE DATABASE … TEMPLATE) takes a tenth of
 * that. A test of the migrations themselves still starts from an empty database.
 */
async function createMigratedTemplate(adminUrl: string, dataDir: string): Promise<string> {
  const name = 'courier_migrated_template';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const { db } = await openDatabase({ databaseUrl: url.toString(), dataDir });
  await db.destroy();
  return name;
}

function findPostgresBin(): string | undefined {
  const onPath = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (onPath.status === 0 && existsSync(path.join(onPath.stdout.trim(), 'initdb'))) return onPath.stdout.trim();
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => path.join(root, v, 'bin')).find((dir) => existsSync(path.join(dir, 'initdb')));
}

const uid = (user: string) => Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
const gid = (user: string) => Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
