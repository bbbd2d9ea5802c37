/**
 * The X-Accel-Redirect hand-off through a real Debian nginx running the repository's own
 * deploy/nginx/courier-node-locations.conf (docs/http-gateway.md §5.4): a signed URL of one file is
 * authorized by the node and sent by nginx, SHA-256 identical and resumable; nobody reaches the
 * internal location directly; a tampered or expired URL is refused; zips and script-read
 * downloads stay with the node; the node's record says what it handed off.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test-kit/free-port';
import { specHeader } from '../../test-kit/gateway-download';
import { hasNginx, startNginx, type NginxProcess } from '../../test-kit/nginx';
import { REPO_ROOT } from '../../test-kit/courier-process';
import { secretsPath } from '../secrets';
import { SealedBox } from '../tokens/sealed-box';
import { sha256, startTestNode, type TestNode } from '../test/node-harness';
import { requestFrom } from '../test/raw-client';
import { contentDisposition } from './send-download';
import { accelRedirectUri } from './accel-redirect';

const PREFIX = '/_courier_docroot/';
// A name nginx must map back exactly: a space, `%`, `?`, `#`, parentheses and Unicode.
const NAME = 'rapport 100% (final)?#é.bin';
const content = randomBytes(3 * 1024 * 1024 + 17);

let t: TestNode;
let nginx: NginxProcess;

if (!hasNginx()) console.warn('accel-redirect.test.ts: skipped, no nginx binary at /usr/sbin/nginx (apt-get install nginx)');

describe('accelRedirectUri', () => {
  it('percent-encodes each segment below the docroot and refuses a path outside it', () => {
    expect(accelRedirectUri(PREFIX, '/srv/d', '/srv/d/a b/100%?#.bin')).toBe('/_courier_docroot/a%20b/100%25%3F%23.bin');
    expect(accelRedirectUri(PREFIX, '/srv/d', '/srv/other/x')).toBeNull();
    expect(accelRedirectUri(PREFIX, '/srv/d', '/srv/d')).toBeNull();
  });
});

describe.runIf(hasNginx())('a node behind nginx with COURIER_NODE_ACCEL_REDIRECT', () => {
  beforeAll(async () => {
    const port = await freePort();
    t = await startTestNode({ publicUrl: `http://127.0.0.1:${port}`, accelRedirect: PREFIX, trustProxy: ['127.0.0.1'] });
    await mkdir(join(t.docroot, 'Outbox/folder'), { recursive: true });
    await writeFile(join(t.docroot, 'Outbox', NAME), content);
    await writeFile(join(t.docroot, 'Outbox/folder/a.txt'), 'alpha');
    const nodePort = new URL(t.node.url).port;
    nginx = await startNginx({
      port,
      workers: 1,
      http: (listen) => `  upstream courier_node { server 127.0.0.1:${nodePort}; }
  server {
    listen 127.0.0.1:${listen};
    set $courier_node_docroot ${t.docroot};
    include ${join(REPO_ROOT, 'deploy/nginx/courier-node-locations.conf')};
  }`,
    });
  });
  afterAll(async () => {
    await nginx?.stop();
    await t?.close();
  });

  const presign = async (paths: string[]) => {
    const res = await fetch(t.node.gatewayUrl + '/v3/presign', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ transfer_spec: await t.downloadSpec(paths) }),
    });
    expect(res.status).toBe(200);
    const { signed_url } = (await res.json()) as { signed_url: string };
    return signed_url;
  };
  const record = async (id: string) => (await t.apiJson(`/ops/transfers/${id}`)) as Record<string, never>;

  it('hands a signed URL of one file to nginx: identical bytes, the same headers, and a Range resume', async () => {
    const url = await presign([`/Outbox/${NAME}`]);
    expect(url.startsWith(`${nginx.url}/aspera/http-gwy/v3/signed/`)).toBe(true);
    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(sha256(Buffer.from(await whole.arrayBuffer()))).toBe(sha256(content));
    expect(whole.headers.get('content-length')).toBe(String(content.length));
    expect(whole.headers.get('content-disposition')).toBe(contentDisposition(NAME, true));
    expect(whole.headers.get('cache-control')).toBe('no-store');
    expect(whole.headers.get('content-type')).toBe('application/octet-stream');
    expect(whole.headers.get('x-accel-redirect')).toBeNull();
    const wholeId = whole.headers.get('x-transfer-id') ?? '';
    expect(await record(wholeId)).toMatchObject({ status: 'completed', bytes_transferred: content.length });

    // The browser's download manager resumes with the validator it saw: nginx's, for nginx's bytes.
    const etag = whole.headers.get('etag') ?? '';
    // nginx's validator (mtime-size), not the node's (inode-size-mtime): nginx sent the bytes.
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    const at = 1_000_003;
    const rest = await fetch(url, { headers: { range: `bytes=${at}-`, 'if-range': etag } });
    expect(rest.status).toBe(206);
    expect(rest.headers.get('content-range')).toBe(`bytes ${at}-${content.length - 1}/${content.length}`);
    const tail = Buffer.from(await rest.arrayBuffer());
    expect(sha256(Buffer.concat([content.subarray(0, at), tail]))).toBe(sha256(content));
    const restId = rest.headers.get('x-transfer-id') ?? '';
    expect(restId).not.toBe(wholeId);
    expect(await record(restId)).toMatchObject({ status: 'completed', bytes_transferred: content.length - at });

    // A validator of other bytes gets the whole file again, never the rest spliced onto old bytes.
    const stale = await fetch(url, { headers: { range: `bytes=${at}-`, 'if-range': '"0-0"' } });
    expect(stale.status).toBe(200);
    expect(sha256(Buffer.from(await stale.arrayBuffer()))).toBe(sha256(content));
  });

  it('records the client nginx forwarded (COURIER_NODE_TRUST_PROXY=127.0.0.1), not nginx, nor what the client wrote', async () => {
    // The client at 127.0.0.2 forges an entry; nginx (127.0.0.1 to the node) appends the address it saw.
    const res = await requestFrom(await presign([`/Outbox/${NAME}`]), {
      headers: { 'x-forwarded-for': '6.6.6.6' },
      localAddress: '127.0.0.2',
    });
    expect(res.status).toBe(200);
    const handedOff = await record(String(res.headers['x-transfer-id']));
    expect(handedOff).toMatchObject({ status: 'completed', sessions: [{ client_ip_address: '127.0.0.2' }] });
  });

  it('never serves the internal location to a client, nor a tampered or expired URL', async () => {
    const direct = await fetch(`${nginx.url}${accelRedirectUri(PREFIX, t.docroot, join(t.docroot, 'Outbox', NAME))}`);
    expect(direct.status).toBe(404);
    expect(Buffer.from(await direct.arrayBuffer()).includes(content.subarray(0, 64))).toBe(false);

    const url = await presign([`/Outbox/${NAME}`]);
    const sealed = url.slice(url.lastIndexOf('/') + 1);
    const flipped = sealed.slice(0, 40) + (sealed[40] === 'A' ? 'B' : 'A') + sealed.slice(41);
    const tampered = await fetch(url.replace(sealed, flipped));
    expect(tampered.status).toBe(401);
    expect(tampered.headers.get('x-transfer-id')).toBeNull();
    expect(await tampered.json()).toMatchObject({ code: 401 });

    // Sealed under the node's own key, so only the expiry is wrong.
    const key = Buffer.from((JSON.parse(await readFile(secretsPath(t.stateDir), 'utf8')) as { token_key: string }).token_key, 'base64');
    const expired = new SealedBox(key, 'courier-presigned-url-v1').seal({
      paths: [`/Outbox/${NAME}`],
      zip: false,
      user: 'xfer',
      exp: Math.floor(Date.now() / 1000) - 1,
    });
    const late = await fetch(url.replace(sealed, expired));
    expect(late.status).toBe(401);
    expect(await late.json()).toMatchObject({ message: 'Signed URL has expired' });
  });

  it('keeps a zip and a script-read /v3/download with the node, which streams them', async () => {
    const zip = await fetch(await presign(['/Outbox/folder']));
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const bytes = Buffer.from(await zip.arrayBuffer());
    expect(bytes.length).toBe(Number(zip.headers.get('content-length')));
    expect(bytes.subarray(0, 4).toString('hex')).toBe('504b0304');

    const spec = await t.downloadSpec([`/Outbox/${NAME}`]);
    const streamed = await fetch(`${nginx.url}/aspera/http-gwy/v3/download`, { headers: { 'x-aspera-spec': specHeader(spec) } });
    expect(streamed.status).toBe(200);
    expect(sha256(Buffer.from(await streamed.arrayBuffer()))).toBe(sha256(content));
    // The node's own validator: it sent the bytes itself.
    expect(streamed.headers.get('etag')).toMatch(/^"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+"$/);
  });
});
