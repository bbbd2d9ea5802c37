import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The key that seals node secrets in the database: COURIER_SECRET_KEY when set (several portal
 * instances on one PostgreSQL must share it), otherwise generated on first start into
 * `<data dir>/secrets.json`, mode 0600.
 */
export function loadOrCreatePortalSecretKey(dataDir: string, configured: string | undefined): Buffer {
  if (configured) return Buffer.from(configured, 'base64');
  const file = path.join(dataDir, 'secrets.json');
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { secretKey?: string };
    if (stored.secretKey) return Buffer.from(stored.secretKey, 'base64');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  // 'wx': if another instance created the file meanwhile, fail instead of overwriting its key.
  writeFileSync(file, `${JSON.stringify({ secretKey: key.toString('base64') }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
