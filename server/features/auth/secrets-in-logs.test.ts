import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LOG_REDACTIONS } from '../../app';
import { createTestApp, TEST_PASSWORD } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

describe.each(DIALECTS)('logs on %s', (dialect) => {
  it('never contain a password, a session cookie or a CSRF token, even at trace level', async () => {
    let logs = '';
    const stream = new Writable({ write: (chunk: Buffer, _enc, done) => ((logs += chunk.toString()), done()) });
    // An SMTP server that is not there: the mail worker's failure is logged, its password must not be.
    const smtpPassword = 'smtp-pw-never-logged';
    const t = await createTestApp(
      dialect,
      { COURIER_SMTP_URL: `smtp://mailer:${smtpPassword}@127.0.0.1:1` },
      { logger: { level: 'trace', stream, redact: LOG_REDACTIONS } },
    );
    try {
      await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'alice', password: 'a-wrong-password' } });
      const { cookie, csrfToken } = await t.login('alice', TEST_PASSWORD);
      await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
      await t.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, 'x-csrf-token': csrfToken } });
      await t.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, 'x-csrf-token': 'forged' } });
      await t.app.courier.notifier.notify({ email: 'ana@example.test', kind: 'k', subject: 's', text: 't' });
      await t.app.courier.mailWorker.flush();

      expect(logs).toContain('logged in'); // the stream really received the request logs
      expect(logs).toContain('mail not delivered: will try again'); // and the mail worker's
      for (const secret of [TEST_PASSWORD, 'a-wrong-password', cookie.split('=')[1]!, csrfToken, smtpPassword])
        expect(logs).not.toContain(secret);
    } finally {
      await t.close();
    }
  });
});
