import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NodeApiError } from './node-api-error';
import { createNodeClient, type NodeClient } from './node-client';
import { pingNode } from './ping';
import * as hsts from './test/hsts-responses';
import { type RecordingNode, startRecordingNode } from './test/recording-node';

const password = 'Pa55-word-never-shown';
const auth = { type: 'basic' as const, username: 'nodeuser', password };
const headerValue = Buffer.from(`nodeuser:${password}`).toString('base64');

/** Every way an error can reach a log or a response: none may carry the credentials. */
function expectNoSecret(error: unknown) {
  expect(error).toBeInstanceOf(NodeApiError);
  const e = error as NodeApiError;
  const surfaces = [e.message, e.nodeMessage ?? '', String(e), e.stack ?? '', JSON.stringify(e), JSON.stringify(Object.entries(e))];
  for (const text of surfaces) {
    expect(text).not.toContain(password);
    expect(text).not.toContain(headerValue);
  }
}

async function closedPortUrl(): Promise<string> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('node client: a node that is down or answers garbage', () => {
  let node: RecordingNode;
  let client: NodeClient;
  beforeEach(async () => {
    node = await startRecordingNode();
    client = createNodeClient({ url: node.url, auth, verifyTls: true, timeoutMs: 400 });
  });
  afterEach(() => node.close());

  it('calls a 500 HTML page a node_error without echoing the page', async () => {
    node.answer('POST /files/browse', { status: 500, headers: { 'content-type': 'text/html' }, body: hsts.htmlErrorPage });
    const error = await client.browse({ path: '/' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'node_error', status: 500, nodeMessage: null });
    expect((error as Error).message).not.toContain('<html>');
    expectNoSecret(error);
  });

  it('keeps the node message of a JSON 503 (access key locked for backup, §0)', async () => {
    node.answer('GET /info', {
      status: 503,
      body: { error: { code: 503, reason: 'Service Unavailable', user_message: 'Access key locked for backup' } },
    });
    await expect(client.info()).rejects.toMatchObject({ kind: 'node_error', status: 503, nodeMessage: 'Access key locked for backup' });
  });

  it.each([
    ['an HTML page with 200', { status: 200, body: hsts.htmlErrorPage }],
    ['truncated JSON', { status: 200, body: '{"self":{"path":"/","type":"direc' }],
    ['an empty 200', { status: 200 }],
    ['a JSON array where an object belongs', { status: 200, body: [1, 2] }],
    ['a redirect', { status: 302, headers: { location: 'https://login.example.com/' } }],
  ])('calls %s a bad_response', async (_label, answer) => {
    node.answer('POST /files/browse', answer);
    const error = await client.browse({ path: '/' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'bad_response' });
    expectNoSecret(error);
  });

  it('calls an unclassified error inside a 200 a node_error, keeping the status the node sent', async () => {
    node.answer('POST /files/browse', { status: 200, body: hsts.errorWithInternalMessage });
    await expect(client.browse({ path: '/' })).rejects.toMatchObject({ kind: 'node_error', status: 200, nodeMessage: 'Redis unavailable' });
  });

  it('calls https on a plain-HTTP port (9091 for 9092) unavailable', async () => {
    const error = await createNodeClient({ url: node.url.replace('http:', 'https:'), auth, verifyTls: true })
      .info()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unavailable' });
    expectNoSecret(error);
  });

  it('parses JSON by body, not content type (§0: old nodes say application/x-javascript)', async () => {
    node.answer('POST /files/browse', {
      headers: { 'content-type': 'application/x-javascript' },
      body: JSON.stringify(hsts.browseWithCounts),
    });
    expect((await client.browse({ path: '/Upload' })).totalCount).toBe(1);
  });

  it.each([
    [401, hsts.errorUnauthorized, 'auth'],
    [403, { error: { code: 403, reason: 'Forbidden', user_message: 'Forbidden' } }, 'forbidden'],
  ])('calls %i %s, so only a 401 blames the credentials', async (status, body, kind) => {
    node.answer('GET /info', { status, body });
    const error = await client.info().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind, status });
    expectNoSecret(error);
  });

  it("calls a 429 (a node throttling this address) a node error, not the caller's bad request", async () => {
    node.answer('GET /info', { status: 429, body: { error: { code: 429, user_message: 'Too many failed logins from this address' } } });
    await expect(client.info()).rejects.toMatchObject({ kind: 'node_error', status: 429 });
  });

  it('redacts a node that echoes our Authorization header back in its message', async () => {
    node.answer('GET /info', (request) => ({
      status: 401,
      body: { error: { code: 401, user_message: `bad header ${request.headers.authorization}` } },
    }));
    const error = await client.info().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth', nodeMessage: 'bad header ***' });
    expectNoSecret(error);
  });

  it('calls a hung node unavailable after the timeout', async () => {
    node.answer('POST /files/browse', { hang: true });
    const started = Date.now();
    const error = await client.browse({ path: '/' }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error).toMatchObject({ kind: 'unavailable', status: null, code: 'TIMEOUT' });
    expect((error as Error).message).toContain('400 ms');
    expectNoSecret(error);
  });

  it('calls a node that stalls in the middle of its body unavailable', async () => {
    node.answer('POST /files/browse', { body: hsts.browseWithCounts, stallAfterHeaders: true });
    await expect(client.browse({ path: '/' })).rejects.toMatchObject({ kind: 'unavailable', code: 'TIMEOUT' });
  });

  it('calls a refused connection unavailable', async () => {
    const url = await closedPortUrl();
    const error = await createNodeClient({ url, auth, verifyTls: true })
      .ping()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unavailable', status: null, code: 'ECONNREFUSED' });
    expect((error as Error).message).toContain('connection refused');
    expectNoSecret(error);
  });

  it('calls an unknown host unavailable', async () => {
    const error = await createNodeClient({ url: 'http://node.invalid:9092', auth, verifyTls: true, timeoutMs: 5000 })
      .info()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unavailable' });
    expectNoSecret(error);
  });

  it('never puts credentials given in the URL into a message', async () => {
    const url = (await closedPortUrl()).replace('http://', `http://nodeuser:${password}@`);
    const error = await createNodeClient({ url, auth, verifyTls: true })
      .info()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unavailable' });
    expectNoSecret(error);
  });

  it('refuses a malformed node URL without repeating it (it may hold credentials)', () => {
    for (const url of [`http://nodeuser:${password}@bad host`, `ftp://nodeuser:${password}@node`, 'node:9092']) {
      let thrown: unknown;
      try {
        createNodeClient({ url, auth, verifyTls: true });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      expect(JSON.stringify(thrown) + String(thrown)).not.toContain(password);
    }
  });

  it('keeps pingNode answering { ok, message } for the health route', async () => {
    node.answer('GET /ping', [{ status: 200 }, { status: 500, body: hsts.htmlErrorPage }, { hang: true }]);
    expect(await pingNode(node.url)).toEqual({ ok: true });
    expect(await pingNode(node.url)).toEqual({ ok: false, message: 'ping answered HTTP 500' });
    expect(await pingNode(node.url, 300)).toEqual({ ok: false, message: 'no answer within 300 ms' });
    expect(await pingNode(await closedPortUrl())).toEqual({ ok: false, message: 'unreachable' });
    expect(node.requests[0]!.headers.authorization).toBeUndefined();
  });
});

describe('node client: TLS verification per node', () => {
  let dir: string;
  let server: HttpsServer;
  let url: string;
  beforeAll(async () => {
    // A self-signed certificate, as a freshly installed HSTS has on port 9092.
    dir = mkdtempSync(path.join(tmpdir(), 'courier-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-days',
        '1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    server = createHttpsServer(
      { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) },
      (req, res) => {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(req.url === '/info' ? JSON.stringify({ application: 'node', version: '4.4.6' }) : '');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a self-signed certificate when verification is on, as unavailable', async () => {
    const error = await createNodeClient({ url, auth, verifyTls: true })
      .info()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unavailable', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect((error as Error).message).toContain('TLS verification failed');
    expectNoSecret(error);
  });

  it('talks to it when the operator turned verification off for that node only', async () => {
    await expect(createNodeClient({ url, auth, verifyTls: false }).info()).resolves.toMatchObject({ version: '4.4.6' });
    await expect(createNodeClient({ url, auth, verifyTls: true }).info()).rejects.toMatchObject({ kind: 'unavailable' });
    expect(await pingNode(url, 2000, { verifyTls: false })).toEqual({ ok: true });
  });
});
