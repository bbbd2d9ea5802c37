/**
 * The portal serving HTTPS itself (COURIER_TLS_CERT and COURIER_TLS_KEY; README, "HTTPS"): a real
 * listener, a real certificate made by openssl, and a client that trusts only that certificate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, fetch as tlsFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../test-kit/self-signed';
import { ConfigError, loadConfig, startPortal, type Portal } from './index';

let dir: string;
let portal: Portal;
let agent: Agent;
let certFile: string;
let keyFile: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'courier-https-'));
  const made = selfSignedCertificate(dir);
  ({ certFile, keyFile } = made);
  agent = new Agent({ connect: { ca: made.cert } });
  const config = loadConfig({
    COURIER_DATA_DIR: path.join(dir, 'data'),
    COURIER_PORT: '0',
    COURIER_LOG_LEVEL: 'silent',
    COURIER_TLS_CERT: certFile,
    COURIER_TLS_KEY: keyFile,
  });
  portal = await startPortal({ config, logger: false });
});
afterAll(async () => {
  await portal?.close();
  await agent?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTPS on the portal', () => {
  it('serves the API over TLS with HSTS, and signs in with a Secure session cookie', async () => {
    const base = `https://localhost:${portal.port}`;
    const health = await tlsFetch(`${base}/api/health`, { dispatcher: agent });
    expect(health.status).toBe(200);
    expect(health.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    const login = await tlsFetch(`${base}/api/session`, {
      dispatcher: agent,
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ username: 'admin', password: portal.admin.generatedPassword }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });

  it('answers no plain HTTP on its port', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port: portal.port, path: '/api/health' }, (res) => resolve(`status ${res.statusCode}`));
      req.on('error', (err) => resolve(`error ${(err as NodeJS.ErrnoException).code ?? err.message}`));
      req.end();
    });
    expect(outcome).not.toBe('status 200');
  });

  it('refuses to start on a certificate file it cannot read, naming the setting', async () => {
    const config = loadConfig({
      COURIER_DATA_DIR: path.join(dir, 'other'),
      COURIER_PORT: '0',
      COURIER_LOG_LEVEL: 'silent',
      COURIER_TLS_CERT: path.join(dir, 'missing.pem'),
      COURIER_TLS_KEY: keyFile,
    });
    const failure = await startPortal({ config, logger: false }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toMatch(/^COURIER_TLS_CERT: cannot read .*missing\.pem/);
  });
});
