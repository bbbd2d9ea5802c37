import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TransferStore } from './transfer-store';

const init = { direction: 'send' as const, remoteHost: 'h', remoteUser: 'xfer', clientIp: '127.0.0.1', sourcePaths: [], destinationPath: '/', tags: null, cookie: null, bytesExpected: 0, filesExpected: 0 };

describe('TransferStore', () => {
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
});
