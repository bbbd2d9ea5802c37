/**
 * Run-time settings: listed over their environment defaults, validated, audited, refused to
 * non-admins, and used by the running portal from the next request on. The token life is followed
 * to the node: a recording proxy in front of the embedded node (its own process) keeps each
 * `upload_setup` body the portal sends (docs/node-api.md §4).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { createTestApp, type LoggedIn, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

/** An HTTP proxy to `target` that keeps the JSON bodies of the setup calls. */
async function recordingProxy(target: string) {
  const setups: Array<{ transfer_requests: Array<{ transfer_request: { token_life_seconds?: number } }> }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url?.endsWith('_setup')) setups.push(JSON.parse(body.toString('utf8')));
      const upstream = http.request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    lastTokenLife: () => setups.at(-1)?.transfer_requests[0]?.transfer_request.token_life_seconds,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(DIALECTS)('run-time settings on %s', (dialect) => {
  let node: NodeProcess;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let t: TestApp;
  let admin: LoggedIn;
  let bob: LoggedIn;
  let spaceId: string;
  const api: TestApp['api'] = (...args) => t.api(...args);
  const upload = () =>
    api(admin, 'POST', '/api/transfers', {
      spaceId,
      direction: 'upload',
      folder: '/',
      files: [{ path: `f-${randomBytes(3).toString('hex')}.txt`, size: 3 }],
    });
  const setting = async (key: string) =>
    ((await api(admin, 'GET', '/api/admin/settings')).json.settings as Array<Record<string, unknown>>).find((s) => s.key === key);

  beforeAll(async () => {
    node = await startNodeProcess();
    proxy = await recordingProxy(node.url);
    t = await createTestApp(
      dialect,
      { COURIER_TRANSFER_TOKEN_LIFE_SECONDS: '1234' },
      { embeddedNode: { url: proxy.url, username: node.username, secret: node.password, gatewayUrl: node.gatewayUrl } },
    );
    admin = await t.login('alice');
    bob = await t.login('bob');
    spaceId = (await api(admin, 'POST', '/api/spaces', { name: `Settings ${randomBytes(4).toString('hex')}` })).json.id as string;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await node?.stop();
  });

  it('lists each setting with its environment variable, its default and the value in use', async () => {
    const { status, json } = await api(admin, 'GET', '/api/admin/settings');
    expect(status).toBe(200);
    expect(json.settings).toEqual([
      expect.objectContaining({
        key: 'transferTokenLifeSeconds',
        env: 'COURIER_TRANSFER_TOKEN_LIFE_SECONDS',
        defaultValue: 1234,
        value: 1234,
        overridden: false,
        updatedBy: null,
      }),
      expect.objectContaining({
        key: 'sessionIdleTimeoutSeconds',
        env: 'COURIER_SESSION_IDLE_TIMEOUT_SECONDS',
        defaultValue: t.config.sessionIdleTimeoutSeconds,
        value: t.config.sessionIdleTimeoutSeconds,
        overridden: false,
      }),
      expect.objectContaining({ key: 'shareDefaultExpiryDays', env: 'COURIER_SHARE_DEFAULT_EXPIRY_DAYS', defaultValue: 7, value: 7 }),
      expect.objectContaining({ key: 'shareMaxExpiryDays', env: 'COURIER_SHARE_MAX_EXPIRY_DAYS', defaultValue: 90, min: 1, max: 3650 }),
      expect.objectContaining({ key: 'shareNeverExpires', env: 'COURIER_SHARE_NEVER_EXPIRES', defaultValue: 0, min: 0, max: 1 }),
      expect.objectContaining({ key: 'localLoginForm', env: 'COURIER_LOCAL_LOGIN_FORM', defaultValue: 1, value: 1, min: 0, max: 1 }),
      expect.objectContaining({ key: 'oidcMatchEmail', env: 'COURIER_OIDC_MATCH_EMAIL', defaultValue: 0, value: 0, min: 0, max: 1 }),
      expect.objectContaining({
        key: 'packageExternalRecipients',
        env: 'COURIER_PACKAGE_EXTERNAL_RECIPIENTS',
        defaultValue: 0,
        min: 0,
        max: 1,
      }),
    ]);
  });

  it('asks the node for the stored token life from the next transfer on, and for the default again once reset', async () => {
    const before = await upload();
    expect(before.status).toBe(201);
    expect(before.json.tokenLifeSeconds).toBe(1234);
    expect(proxy.lastTokenLife()).toBe(1234);

    const changed = await api(admin, 'PUT', '/api/admin/settings/transferTokenLifeSeconds', { value: 600 });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ value: 600, defaultValue: 1234, overridden: true, updatedBy: 'alice' });

    const after = await upload();
    expect(after.status).toBe(201);
    expect(after.json.tokenLifeSeconds).toBe(600);
    expect(proxy.lastTokenLife()).toBe(600);

    expect((await api(admin, 'PUT', '/api/admin/settings/transferTokenLifeSeconds', { value: null })).json).toMatchObject({
      value: 1234,
      overridden: false,
    });
    expect((await upload()).json.tokenLifeSeconds).toBe(1234);
    expect(proxy.lastTokenLife()).toBe(1234);

    const audited = await t.db
      .selectFrom('audit_log')
      .select(['target', 'decision'])
      .where('action', '=', 'setting-change')
      .orderBy('at')
      .execute();
    expect(audited).toEqual([
      { target: 'transferTokenLifeSeconds: 1234 -> 600', decision: 'allow' },
      { target: 'transferTokenLifeSeconds: 600 -> default (1234)', decision: 'allow' },
    ]);
  });

  it('ends sessions by the stored idle timeout from the next request on', async () => {
    const other = await t.login('bob');
    // Idle for 5 minutes: alive under the 30-minute default.
    const idleFiveMinutes = () =>
      t.db
        .updateTable('sessions')
        .set({ last_seen_at: Date.now() - 300_000 })
        .execute();
    await idleFiveMinutes();
    expect((await api(other, 'GET', '/api/session')).status).toBe(200);

    expect((await api(admin, 'PUT', '/api/admin/settings/sessionIdleTimeoutSeconds', { value: 120 })).status).toBe(200);
    const session = await api(admin, 'GET', '/api/session');
    expect(session.json.idleTimeoutSeconds).toBe(120);

    await idleFiveMinutes();
    const ended = await api(other, 'GET', '/api/session');
    expect(ended).toMatchObject({ status: 401, json: { code: 'SESSION_EXPIRED' } });

    // Back to the default (everyone logs in again: the 5-minute idle ended the others too).
    admin = await t.login('alice');
    expect((await api(admin, 'PUT', '/api/admin/settings/sessionIdleTimeoutSeconds', { value: null })).status).toBe(200);
    bob = await t.login('bob');
  });

  it('refuses values out of bounds, not whole numbers, and unknown settings, changing nothing', async () => {
    for (const [key, body] of [
      ['transferTokenLifeSeconds', { value: 59 }],
      ['transferTokenLifeSeconds', { value: 7 * 86_400 + 1 }],
      ['transferTokenLifeSeconds', { value: 90.5 }],
      ['transferTokenLifeSeconds', { value: '600' }],
      ['transferTokenLifeSeconds', {}],
      ['sessionIdleTimeoutSeconds', { value: 0 }],
      ['loginWindowSeconds', { value: 600 }],
    ] as const) {
      const refused = await api(admin, 'PUT', `/api/admin/settings/${key}`, body);
      expect(refused.status, `${key} ${JSON.stringify(body)}`).toBe(400);
      expect(refused.json.message).toEqual(expect.any(String));
    }
    expect((await api(admin, 'PUT', '/api/admin/settings/transferTokenLifeSeconds', { value: 59 })).json.message).toBe(
      'Transfer token life (seconds) must be between 60 and 604800.',
    );
    expect(await setting('transferTokenLifeSeconds')).toMatchObject({ value: 1234, overridden: false });
    expect(await setting('sessionIdleTimeoutSeconds')).toMatchObject({ value: t.config.sessionIdleTimeoutSeconds, overridden: false });
  });

  it('refuses a non-admin with 403 on reading and changing, and audits the refusal', async () => {
    expect((await api(bob, 'GET', '/api/admin/settings')).status).toBe(403);
    const put = await api(bob, 'PUT', '/api/admin/settings/transferTokenLifeSeconds', { value: 86_400 });
    expect(put).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    expect(await setting('transferTokenLifeSeconds')).toMatchObject({ value: 1234 });
    const denied = await t.db
      .selectFrom('audit_log')
      .select(['action', 'target'])
      .where('decision', '=', 'deny')
      .where('action', 'in', ['settings-read', 'setting-change'])
      .orderBy('at')
      .execute();
    expect(denied).toEqual([
      { action: 'settings-read', target: null },
      { action: 'setting-change', target: 'transferTokenLifeSeconds' },
    ]);
  });
});
