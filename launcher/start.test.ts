import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Agent, fetch as tlsFetch } from 'undici';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../test-kit/free-port';
import { partialUpload } from '../test-kit/gateway-upload';

const BIN = path.resolve(import.meta.dirname, '../bin/courier.mjs');

interface Running {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [BIN, 'start', '--no-build'], { env: { ...process.env, COURIER_LOG_LEVEL: 'warn', ...env } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(running: Running, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = running.output().match(pattern);
    if (match) return match;
    if (Date.now() > deadline || running.child.exitCode !== null) throw new Error(`did not see ${pattern} in:\n${running.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('courier start', () => {
  const dirs: string[] = [];
  const children: Running[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.child.kill('SIGKILL');
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('starts portal and embedded node, prints the URL and a one-time admin password, keeps secrets 0600, and stops cleanly on SIGINT', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'courier-launch-'));
    dirs.push(dataDir);
    const env = { COURIER_DATA_DIR: dataDir, COURIER_PORT: String(await freePort()), COURIER_NODE_PORT: String(await freePort()) };

    const first = start(env);
    children.push(first);
    const [, url] = await waitFor(first, /Courier is running at (\S+)/);
    const [, password] = await waitFor(first, /log in as "admin" with password (\S+)/);
    expect(url).toBe(`http://localhost:${env.COURIER_PORT}`);

    const health = await fetch(`${url}/api/health`);
    expect(await health.json()).toEqual({ status: 'ok', database: { ok: true }, nodes: [{ name: 'embedded', ok: true }] });
    const login = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(login.status).toBe(200);

    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dataDir, 'courier.db')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dataDir, 'node', 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(first.output().split(password!).length - 1).toBe(1);

    // An upload in flight when Ctrl-C comes is finished before the node and the database close.
    const session = (await login.json()) as { csrfToken: string };
    const headers = {
      'content-type': 'application/json',
      cookie: login.headers.get('set-cookie')!.split(';')[0]!,
      'x-csrf-token': session.csrfToken,
    };
    const { spaces } = (await (await fetch(`${url}/api/spaces`, { headers })).json()) as {
      spaces: Array<{ id: string; personal: boolean }>;
    };
    const size = 4 * 1024 * 1024;
    const authorized = await fetch(`${url}/api/transfers`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        spaceId: spaces.find((s) => s.personal)!.id,
        direction: 'upload',
        folder: '/',
        files: [{ path: 'in-flight.bin', size }],
      }),
    });
    const { transferSpec, clients } = (await authorized.json()) as {
      transferSpec: Record<string, unknown>;
      clients: Array<{ url: string }>;
    };
    const held = partialUpload(clients[0]!.url, transferSpec, { path: 'in-flight.bin', size }, 1024 * 1024);
    // The node has begun writing it once its partial file exists.
    const staging = path.join(dataDir, 'node', 'docroot', '.courier-staging');
    while (readdirSync(staging).length === 0) await new Promise((r) => setTimeout(r, 20));

    first.child.kill('SIGINT');
    await waitFor(first, /SIGINT received/);
    held.finish();
    expect((await held.response).status).toBe(200);
    expect(await first.exited).toBe(0);
    expect(statSync(path.join(dataDir, 'node', 'docroot', 'home', 'admin', 'in-flight.bin')).size).toBe(size);
    expect(first.output()).toContain('Courier stopped: requests finished, node and database closed.');

    // The second start keeps the account and does not print a password again.
    const second = start(env);
    children.push(second);
    await waitFor(second, /Courier is running at/);
    expect(second.output()).not.toContain('password');
    const again = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(again.status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 90_000);

  it('serves the portal and the embedded node over HTTPS with a self-signed certificate made on first start, when asked', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'courier-launch-tls-'));
    dirs.push(dataDir);
    const port = await freePort();
    const running = start({
      COURIER_DATA_DIR: dataDir,
      COURIER_PORT: String(port),
      COURIER_NODE_PORT: String(await freePort()),
      COURIER_TLS_SELF_SIGNED: 'true',
    });
    children.push(running);
    const [, url] = await waitFor(running, /Courier is running at (\S+)/);
    const [, gateway] = await waitFor(running, /\(gateway (\S+)\)/);
    expect(url).toBe(`https://localhost:${port}`);
    expect(gateway).toMatch(/^https:\/\//);
    const certFile = path.join(dataDir, 'tls', 'self-signed-cert.pem');
    expect(statSync(path.join(dataDir, 'tls', 'self-signed-key.pem')).mode & 0o777).toBe(0o600);
    // A client told to trust that one file reaches both; the portal's own calls to its node work.
    const trusting = new Agent({ connect: { ca: readFileSync(certFile) } });
    const health = await tlsFetch(`${url}/api/health`, { dispatcher: trusting });
    expect(await health.json()).toEqual({ status: 'ok', database: { ok: true }, nodes: [{ name: 'embedded', ok: true }] });
    expect(health.headers.get('strict-transport-security')).toBeTruthy();
    expect((await tlsFetch(`${gateway}/v1/info`, { dispatcher: trusting })).status).toBe(200);
    // A client that trusts only the usual authorities refuses it: it is a self-signed certificate.
    await expect(tlsFetch(`${url}/api/health`)).rejects.toThrow();
    await trusting.close();
  }, 90_000);

  it("lets pages from the origins in COURIER_NODE_CORS_ORIGINS reach the embedded gateway, besides the portal's, and refuses others", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'courier-launch-cors-'));
    dirs.push(dataDir);
    const other = 'https://app.example.com';
    const running = start({
      COURIER_DATA_DIR: dataDir,
      COURIER_PORT: String(await freePort()),
      COURIER_NODE_PORT: String(await freePort()),
      COURIER_NODE_CORS_ORIGINS: `${other}, http://127.0.0.1:7001/`,
    });
    children.push(running);
    const [, portalUrl] = await waitFor(running, /Courier is running at (\S+)/);
    const [, gateway] = await waitFor(running, /\(gateway (\S+)\)/);
    // What a browser sends before a cross-origin upload: the preflight, over real HTTP.
    const preflight = (origin: string) =>
      fetch(`${gateway}/v3/upload`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    for (const origin of [other, 'http://127.0.0.1:7001', portalUrl!]) {
      const answer = await preflight(origin);
      expect(answer.status, origin).toBe(204);
      expect(answer.headers.get('access-control-allow-origin'), origin).toBe(origin);
      expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
    }
    const refused = await preflight('https://elsewhere.example.com');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  }, 60_000);

  it('refuses to start on an origin in COURIER_NODE_CORS_ORIGINS that is not one, naming the setting', async () => {
    const bad = start({ COURIER_DATA_DIR: path.join(tmpdir(), 'never-created'), COURIER_NODE_CORS_ORIGINS: 'app.example.com/path' });
    children.push(bad);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toMatch(/COURIER_NODE_CORS_ORIGINS \(nodeCorsOrigins\)/);
  }, 30_000);

  it('refuses to start on a bad setting, naming it', async () => {
    const bad = start({ COURIER_DATA_DIR: path.join(tmpdir(), 'never-created'), COURIER_PORT: 'eighty' });
    children.push(bad);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toMatch(/COURIER_PORT \(port\)/);
  }, 30_000);
});
