import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LOG_REDACTIONS } from '../../app';
import { createTestApp, TEST_PASSWORD } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

describe.each(DIALECTS)('logs on %s', (dialect) => {
  it('never contain a password, a session cookie or a CSRF token, even at trace level', async () => {
    let logs = '';
    const stream = new Writable({ write: (chunk: Buffer, _enc, done) => ((logs += chunk.toString()), done()) });
    const t = await createTestApp(dialect, {}, { logger: { level: 'trace', stream, redact: LOG_REDACTIONS } });
    try {
      await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'alice', password: 'a-wrong-password' } });
      const { cookie, csrfToken } = await t.login('alice', TEST_PASSWORD);
      await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
      await t.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, 'x-csrf-token': csrfToken } });
      await t.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, 'x-csrf-token': 'forged' } });

      expect(logs).toContain('logged in'); // the stream really received the request logs
      for (const secret of [TEST_PASSWORD, 'a-wrong-password', cookie.split('=')[1]!, csrfToken]) expect(logs).not.toContain(secret);
    } finally {
      await t.close();
    }
  });
});
