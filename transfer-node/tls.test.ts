import { randomBytes, X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNodeCliConfig } from './cli';
import { sha256, startTestNode, type TestNode } from './test/node-harness';
import { exchange, openWs, specFrame, v2Frames } from './test/ws-gateway-client';

let t: TestNode;
let ca: Buffer;
beforeAll(async () => {
  t = await startTestNode({ tls: { selfSigned: true } });
  ca = await readFile(t.node.tlsCertFile as string);
});
afterAll(() => t.close());

/** A request trusting only the node's own certificate. */
function get(url: string, trust: Buffer | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: trust }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the node over HTTPS with a self-signed certificate', () => {
  it('serves https, and advertises an https gateway in /info and in every spec', async () => {
    expect(t.node.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(t.node.gatewayUrl).toBe(`${t.node.url}/aspera/http-gwy`);
    expect((await get(t.node.url + '/ping', ca)).status).toBe(200);
    const info = JSON.parse((await get(t.node.gatewayUrl + '/v1/info', ca)).body);
    expect(info.endpoints).toContain('/aspera/http-gwy/v2/upload');
  });

  it('made a certificate for localhost and 127.0.0.1 with a private key only its owner reads', async () => {
    const cert = new X509Certificate(ca);
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.subjectAltName).toContain('DNS:localhost');
    const key = await stat(join(t.stateDir, 'tls/self-signed-key.pem'));
    expect(key.mode & 0o077).toBe(0);
  });

  it('is not trusted without its certificate', async () => {
    await expect(get(t.node.url + '/ping', undefined)).rejects.toThrow(/self[- ]signed|certificate/i);
  });

  it('carries a WebSocket v2 upload over wss', async () => {
    const files = [{ name: 'secure.bin', data: randomBytes(100_000) }];
    const spec = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const body = JSON.stringify({ transfer_requests: [{ transfer_request: { paths: [{ destination: '/Secure' }] } }] });
      const req = request(
        t.node.url + '/files/upload_setup',
        { method: 'POST', ca, headers: { authorization: t.auth, 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(JSON.parse(text).transfer_specs[0].transfer_spec));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(spec.tags).toMatchObject({ aspera: { 'http-gateway': { url: t.node.gatewayUrl } } });
    const ws = await openWs(t.node.gatewayUrl + '/v2/upload', {}, ca);
    const outcome = await exchange(ws, [specFrame({ ...spec, paths: [{ source: 'secure.bin' }] }), ...v2Frames(files)]);
    expect(outcome.error).toBeNull();
    expect(sha256(await readFile(join(t.docroot, 'Secure/secure.bin')))).toBe(sha256(files[0]!.data));
  });

  it('keeps its certificate across restarts, and serves given certificate files', async () => {
    const again = await startTestNode({ tls: { selfSigned: true }, stateDir: t.stateDir, docroot: t.docroot }, join(t.dir, 'again'));
    try {
      expect(await readFile(again.node.tlsCertFile as string)).toEqual(ca);
    } finally {
      await again.close();
    }
    const given = await startTestNode({
      tls: { certFile: join(t.stateDir, 'tls/self-signed-cert.pem'), keyFile: join(t.stateDir, 'tls/self-signed-key.pem') },
    });
    try {
      expect((await get(given.node.url + '/ping', ca)).status).toBe(200);
    } finally {
      await given.close();
    }
  });
});

describe('TLS settings', () => {
  it('reads COURIER_NODE_TLS_* and refuses half or conflicting settings', () => {
    expect(parseNodeCliConfig([], { COURIER_NODE_TLS_SELF_SIGNED: 'true' })['tls-self-signed']).toBe('true');
    expect(() => parseNodeCliConfig([], { COURIER_NODE_TLS_CERT: 'c.pem' })).toThrow(/must be set together/);
    expect(() =>
      parseNodeCliConfig([], { COURIER_NODE_TLS_CERT: 'c.pem', COURIER_NODE_TLS_KEY: 'k.pem', COURIER_NODE_TLS_SELF_SIGNED: 'true' }),
    ).toThrow(/exclude each other/);
    expect(() => parseNodeCliConfig([], { COURIER_NODE_TLS_SELF_SIGNED: 'yes' })).toThrow(/COURIER_NODE_TLS_SELF_SIGNED/);
  });
});
