/** The node's log never carries the node password, Authorization headers, transfer tokens or signed URLs. */
import { Writable } from 'node:stream';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specHeader } from '../../test-kit/gateway-download';
import { startTestNode, upload } from './node-harness';

describe('logging', () => {
  it('logs requests without secrets', async () => {
    let log = '';
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        log += chunk.toString();
        done();
      },
    });
    const t = await startTestNode({ logger: { level: 'trace', stream } });
    try {
      await mkdir(join(t.docroot, 'Outbox'));
      await writeFile(join(t.docroot, 'Outbox/a.txt'), 'a');
      const down = await t.downloadSpec(['/Outbox/a.txt']);
      await (await fetch(t.node.gatewayUrl + '/v3/download', { headers: { 'x-aspera-spec': specHeader(down) } })).text();
      const presign = await fetch(t.node.gatewayUrl + '/v3/presign', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ transfer_spec: down }),
      });
      const { signed_url } = await presign.json();
      await (await fetch(signed_url)).text();
      const up = await t.uploadSpec('/In');
      await upload(t, up, [{ name: 'b.txt', data: new Blob(['b']) }]);
      // An upload session's id authorizes its parts (docs/http-gateway.md §11.2): masked like a signed URL.
      const chunked = await t.uploadSpec('/Chunked');
      const created = await fetch(t.node.gatewayUrl + '/v3/upload-sessions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ transfer_spec: { ...chunked, paths: [{ source: 'c.txt' }] }, files: [{ size: 1 }] }),
      });
      const { session_id } = await created.json();
      const part = await fetch(`${t.node.gatewayUrl}/v3/upload-sessions/${session_id}/files/0`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
        body: 'c',
      });
      expect(part.status).toBe(204);
      await (await fetch(`${t.node.gatewayUrl}/v3/upload-sessions/${session_id}/complete`, { method: 'POST' })).text();
      await t.api('/info', undefined, {
        headers: { authorization: 'Basic ' + Buffer.from('node_admin:wrong-password').toString('base64') },
      });
      expect(log).toContain('/v3/signed/<redacted>');
      expect(log).toContain('/v3/upload-sessions/<redacted>/files/0');
      const sealed = new URL(signed_url).pathname.split('/').pop() as string;
      for (const secret of [
        t.node.credentials.password,
        t.auth,
        down.token,
        up.token,
        chunked.token,
        sealed,
        session_id,
        'wrong-password',
      ]) {
        expect(log).not.toContain(secret);
      }
      expect(log.toLowerCase()).not.toContain('authorization');
    } finally {
      await t.close();
    }
  });
});
