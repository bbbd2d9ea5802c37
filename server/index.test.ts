import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, startPortal } from './index';

describe('startPortal', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('creates the admin once, keeps the sealing key across starts, listens, and closes', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'courier-portal-'));
    dirs.push(dataDir);
    const config = loadConfig({ COURIER_DATA_DIR: dataDir, COURIER_PORT: '0', COURIER_LOG_LEVEL: 'silent' });

    const first = await startPortal({ config, logger: false });
    expect(first.dialect).toBe('sqlite');
    expect(first.admin).toEqual({ created: true, generatedPassword: expect.any(String) });
    const login = await fetch(`http://127.0.0.1:${first.port}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: first.admin.generatedPassword }),
    });
    expect(login.status).toBe(200);
    await first.close();
    const key = readFileSync(path.join(dataDir, 'secrets.json'), 'utf8');
    expect(statSync(path.join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);

    const second = await startPortal({ config, logger: false });
    expect(second.admin).toEqual({ created: false });
    await second.close();
    expect(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')).toBe(key);
  });

  it('fails with the listen error when the port is taken, releasing what it opened', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'courier-portal-'));
    dirs.push(dataDir);
    const taken = await startPortal({
      config: loadConfig({ COURIER_DATA_DIR: dataDir, COURIER_PORT: '0', COURIER_LOG_LEVEL: 'silent' }),
      logger: false,
    });
    const config = loadConfig({
      COURIER_DATA_DIR: path.join(dataDir, 'second'),
      COURIER_PORT: String(taken.port),
      COURIER_LOG_LEVEL: 'silent',
    });
    await expect(startPortal({ config, logger: false })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await taken.close();
  });
});
