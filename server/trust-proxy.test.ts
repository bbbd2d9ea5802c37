/**
 * COURIER_TRUST_PROXY: behind a proxy the portal takes the client's address and scheme from the
 * proxy's X-Forwarded-* headers; without it, it takes neither, so a client cannot choose them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from './test/test-app';
import { DIALECTS } from './test/test-database';

describe.each(DIALECTS)('COURIER_TRUST_PROXY on %s', (dialect) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  // A browser at https://portal.example behind one proxy that terminates TLS and forwards to us.
  const throughProxy = {
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-proto': 'https',
    'x-forwarded-host': 'portal.example',
    origin: 'https://portal.example',
  };
  const login = (app: TestApp) =>
    app.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: throughProxy,
      remoteAddress: '10.0.0.5',
      payload: { username: 'alice', password: TEST_PASSWORD },
    });

  it('with one trusted hop, records the forwarded client address and takes the forwarded https origin as our own', async () => {
    t = await createTestApp(dialect, { COURIER_TRUST_PROXY: '1' });
    const response = await login(t);
    expect(response.statusCode).toBe(200);
    const [session] = await t.db.selectFrom('sessions').select('ip').execute();
    expect(session?.ip).toBe('203.0.113.7');
  });

  it('with the proxy named by address, takes the rightmost address it did not write, never a forged leftmost one', async () => {
    t = await createTestApp(dialect, { COURIER_TRUST_PROXY: '10.0.0.0/24' });
    const from = (remoteAddress: string) =>
      t!.app.inject({
        method: 'POST',
        url: '/api/session',
        headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.0.0.4' },
        remoteAddress,
        payload: { username: 'alice', password: TEST_PASSWORD },
      });
    expect((await from('10.0.0.5')).statusCode).toBe(200);
    // A client that reaches the portal past the proxy writes what it likes: it is its own address.
    expect((await from('192.0.2.9')).statusCode).toBe(200);
    const sessions = await t.db.selectFrom('sessions').select('ip').execute();
    expect(sessions.map((s) => s.ip).sort()).toEqual(['192.0.2.9', '203.0.113.7']);
  });

  it('without it, records the proxy address and refuses the https origin as another site', async () => {
    t = await createTestApp(dialect, { COURIER_TRUST_PROXY: 'false' });
    const response = await login(t);
    expect([response.statusCode, response.json().code]).toEqual([403, 'CSRF_FAILED']);
    const direct = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'x-forwarded-for': '203.0.113.7' },
      remoteAddress: '10.0.0.5',
      payload: { username: 'alice', password: TEST_PASSWORD },
    });
    expect(direct.statusCode).toBe(200);
    const [session] = await t.db.selectFrom('sessions').select('ip').execute();
    expect(session?.ip).toBe('10.0.0.5');
  });
});
