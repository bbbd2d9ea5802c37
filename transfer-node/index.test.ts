import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestNode } from './test/node-harness';

describe('startTransferNode', () => {
  it('builds specs, /info and Link headers on the public URL, and keeps a 0600 secrets file', async () => {
    const t = await startTestNode({ publicUrl: 'https://files.example.com/', transferUser: 'aspera' });
    try {
      expect(t.node.gatewayUrl).toBe('https://files.example.com/aspera/http-gwy');
      expect(t.node.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const info = await t.apiJson('/info');
      expect(info).toMatchObject({ http_gateway_url: 'https://files.example.com/aspera/http-gwy', transfer_user: 'aspera' });
      const spec = await t.uploadSpec('/In');
      expect(spec).toMatchObject({ remote_host: 'files.example.com', remote_user: 'aspera' });
      const secrets = join(t.stateDir, 'secrets.json');
      expect((await stat(secrets)).mode & 0o777).toBe(0o600);
      const stored = JSON.parse(await readFile(secrets, 'utf8'));
      expect(Buffer.from(stored.token_key, 'base64')).toHaveLength(32);
      expect(stored.node_password).toBe(t.node.credentials.password);
    } finally {
      await t.close();
    }
  });

  it('keeps its key and generated credentials across restarts, so issued tokens stay valid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'courier-node-restart-'));
    try {
      const first = await startTestNode({}, dir);
      const spec = await first.downloadSpec(['/']);
      const { credentials } = first.node;
      await first.close();
      const second = await startTestNode({}, dir);
      try {
        expect(second.node.credentials).toEqual(credentials);
        const res = await fetch(second.node.gatewayUrl + '/v3/presign', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ transfer_spec: spec }),
        });
        expect(res.status).toBe(200);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('uses given credentials without storing them, and refuses half of a pair', async () => {
    const t = await startTestNode({ nodeUser: 'portal', nodePassword: 'a-long-password' });
    try {
      expect(t.node.credentials).toEqual({ username: 'portal', password: 'a-long-password' });
      expect(await readFile(join(t.stateDir, 'secrets.json'), 'utf8')).not.toContain('a-long-password');
    } finally {
      await t.close();
    }
    const dir = await mkdtemp(join(tmpdir(), 'courier-node-half-'));
    await expect(startTestNode({ nodeUser: 'portal' }, dir)).rejects.toThrow(/together/);
    await rm(dir, { recursive: true, force: true });
  });
});
