import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TransferStore } from './transfer-store';

const init = {
  direction: 'send' as const,
  remoteHost: 'h',
  remoteUser: 'xfer',
  clientIp: '127.0.0.1',
  sourcePaths: [],
  destinationPath: '/',
  tags: null,
  cookie: null,
  bytesExpected: 0,
  filesExpected: 0,
};

describe('TransferStore', () => {
  it('keeps transfers.db and its -wal and -shm private to the node user (0600), also for an older 0644 file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'courier-store-'));
    const mode = async (name: string) => (await stat(join(dir, name))).mode & 0o777;
    try {
      const fresh = new TransferStore(dir);
      fresh.finish(fresh.begin(init), 'completed');
      for (const name of ['transfers.db', 'transfers.db-wal', 'transfers.db-shm']) expect(await mode(name), name).toBe(0o600);
      fresh.close();
      await rm(join(dir, 'transfers.db-wal'), { force: true });
      await rm(join(dir, 'transfers.db-shm'), { force: true });
      await chmod(join(dir, 'transfers.db'), 0o644);
      await writeFile(join(dir, 'transfers.db-wal'), '', { mode: 0o644 });
      const reopened = new TransferStore(dir);
      reopened.close();
      expect(await mode('transfers.db')).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps running transfers and recent ones, prunes finished ones past the retention', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'courier-store-'));
    const store = new TransferStore(dir);
    try {
      const done = store.begin(init);
      store.finish(done, 'completed');
      const running = store.begin(init);
      expect(store.prune()).toBe(0);
      expect(store.prune(Date.now() * 1000 + 31 * 86400 * 1e6)).toBe(1);
      expect(store.get(done.record.id)).toBeNull();
      expect(store.get(running.record.id)?.status).toBe('running');
    } finally {
      store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('on opening, fails the transfers a killed process left running, after the last token a follower holds', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'courier-store-'));
    // The first store is never closed before the second opens: a SIGKILL runs no shutdown.
    const killed = new TransferStore(dir);
    const done = killed.begin(init);
    killed.finish(done, 'completed');
    const running = killed.begin({ ...init, direction: 'receive' });
    const { lastSeq } = killed.list({ afterSeq: 0, count: 100 });
    const restarted = new TransferStore(dir);
    try {
      const { records } = restarted.list({ afterSeq: lastSeq, count: 100 });
      expect(records.map((r) => [r.id, r.status, r.errorDesc])).toEqual([
        [running.record.id, 'failed', 'The node stopped during the transfer'],
      ]);
      expect(records[0]?.endUsec).toBeGreaterThan(0);
      expect(restarted.get(done.record.id)?.status).toBe('completed');
      expect(restarted.activeCount()).toBe(0);
    } finally {
      restarted.close();
      killed.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
