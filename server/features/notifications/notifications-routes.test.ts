/**
 * The bell's API and the admin's Mail page through the portal, on both databases, with a real SMTP
 * server: each user reads and marks only their own notifications; only admins see the queue, retry
 * a failed message or send a test; the SMTP password reaches neither an answer nor the log.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type LoggedIn, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';
import { SMTP_TEST_PASSWORD, startSmtpTestServer } from '../../test/smtp-test-server';

describe.each(DIALECTS)('notifications routes on %s', (dialect) => {
  let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
  let t: TestApp;
  let alice: LoggedIn;
  let bob: LoggedIn;
  let aliceId: string;
  let bobId: string;
  const logLines: string[] = [];

  const api: TestApp['api'] = (...args) => t.api(...args);
  const idOf = async (username: string) =>
    (await t.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    t = await createTestApp(
      dialect,
      { COURIER_SMTP_URL: smtp.url, COURIER_MAIL_FROM: 'Courier <courier@example.test>' },
      {
        logger: { level: 'debug', stream },
      },
    );
    alice = await t.login('alice');
    bob = await t.login('bob');
    aliceId = await idOf('alice');
    bobId = await idOf('bob');
    for (const [userId, subject] of [
      [aliceId, 'First for Alice'],
      [bobId, 'For Bob'],
      [aliceId, 'Second for Alice'],
      [aliceId, 'Third for Alice'],
    ] as const) {
      await t.app.courier.notifier.notify({ userId, kind: 'test.kind', subject, text: `${subject}, in full.`, link: '/files' });
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('lists the caller’s own notifications, newest first, a page at a time, with the unread count', async () => {
    const page = await api(alice, 'GET', '/api/notifications?limit=2');
    expect(page.status).toBe(200);
    expect(page.json).toMatchObject({ total: 3, unread: 3 });
    expect((page.json.notifications as Array<{ subject: string }>).map((n) => n.subject)).toEqual(['Third for Alice', 'Second for Alice']);
    const next = await api(alice, 'GET', '/api/notifications?limit=2&offset=2');
    expect(next.json.notifications).toEqual([
      {
        id: expect.any(String),
        kind: 'test.kind',
        subject: 'First for Alice',
        text: 'First for Alice, in full.',
        link: '/files',
        createdAt: expect.any(String),
        read: false,
      },
    ]);
    const bobs = await api(bob, 'GET', '/api/notifications');
    expect(bobs.json).toMatchObject({ total: 1, unread: 1, notifications: [{ subject: 'For Bob' }] });
  });

  it('does not count the bell’s poll as use of the session, so polling never keeps an idle session alive', async () => {
    const bobsSession = () => t.db.selectFrom('sessions').select('last_seen_at').where('user_id', '=', bobId).executeTakeFirstOrThrow();
    const earlier = Date.now() - 5 * 60_000; // past the touch interval, inside the idle timeout
    await t.db.updateTable('sessions').set({ last_seen_at: earlier }).where('user_id', '=', bobId).execute();
    expect((await api(bob, 'GET', '/api/notifications')).status).toBe(200);
    expect(Number((await bobsSession()).last_seen_at)).toBe(earlier);
    expect((await api(bob, 'GET', '/api/spaces')).status).toBe(200);
    expect(Number((await bobsSession()).last_seen_at)).toBeGreaterThan(earlier);
  });

  it('refuses a caller without a session, and a bad page or mark-read body with a clear error', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/notifications' })).statusCode).toBe(401);
    expect((await api(alice, 'GET', '/api/notifications?limit=1000')).status).toBe(400);
    for (const body of [{}, { ids: [] }, { all: false }, { ids: ['x'], all: true }]) {
      const answer = await api(alice, 'POST', '/api/notifications/read', body);
      expect([answer.status, answer.json.code], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED']);
    }
  });

  it('does not let one user mark another’s notifications read', async () => {
    const aliceIds = ((await api(alice, 'GET', '/api/notifications')).json.notifications as Array<{ id: string }>).map((n) => n.id);
    expect(await api(bob, 'POST', '/api/notifications/read', { ids: aliceIds })).toEqual({ status: 200, json: { unread: 1 } });
    expect((await api(alice, 'GET', '/api/notifications')).json.unread).toBe(3);
  });

  it('marks chosen notifications read, then all of them', async () => {
    const [newest] = (await api(alice, 'GET', '/api/notifications')).json.notifications as Array<{ id: string }>;
    expect(await api(alice, 'POST', '/api/notifications/read', { ids: [newest!.id] })).toEqual({ status: 200, json: { unread: 2 } });
    const after = (await api(alice, 'GET', '/api/notifications')).json.notifications as Array<{ id: string; read: boolean }>;
    expect(after.map((n) => n.read)).toEqual([true, false, false]);
    expect(await api(alice, 'POST', '/api/notifications/read', { all: true })).toEqual({ status: 200, json: { unread: 0 } });
    expect((await api(bob, 'GET', '/api/notifications')).json.unread).toBe(1);
  });

  it('shows an admin where mail goes and the queue, never the SMTP password; anyone else is refused', async () => {
    expect(await api(bob, 'GET', '/api/admin/mail')).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    const mail = await api(alice, 'GET', '/api/admin/mail');
    expect(mail.status).toBe(200);
    expect(mail.json).toMatchObject({
      destination: { kind: 'smtp', host: '127.0.0.1', port: smtp.port, secure: false, username: 'courier-mailer' },
      from: 'Courier <courier@example.test>',
      maxAttempts: 8,
    });
    expect(JSON.stringify(mail.json)).not.toContain(SMTP_TEST_PASSWORD);
  });

  it('sends an admin’s test notification to the bell and, through SMTP, to the address given', async () => {
    expect(await api(bob, 'POST', '/api/admin/mail/test', {})).toMatchObject({ status: 403 });
    expect((await api(alice, 'POST', '/api/admin/mail/test', { email: 'nope' })).status).toBe(400);
    expect(await api(alice, 'POST', '/api/admin/mail/test', { email: 'ops@example.test' })).toEqual({
      status: 202,
      json: { email: 'ops@example.test' },
    });
    await t.app.courier.mailWorker.flush();
    const received = smtp.received.find((m) => m.subject === 'Courier test notification');
    expect(received?.to).toMatchObject({ value: [{ address: 'ops@example.test' }] });
    expect(received?.text).toContain('http://localhost:8080/admin/mail');
    expect((await api(alice, 'GET', '/api/notifications?limit=1')).json).toMatchObject({
      unread: 1,
      notifications: [{ kind: 'mail.test', link: '/admin/mail' }],
    });
    // Without an address of her own and none given, only the bell.
    expect(await api(alice, 'POST', '/api/admin/mail/test', {})).toEqual({ status: 202, json: { email: null } });
  });

  it('lets an admin retry a failed message, and only a failed one', async () => {
    await t.app.courier.notifier.notify({ email: 'later@example.test', kind: 'k', subject: 'Failed once', text: 't' });
    await t.app.courier.mailWorker.flush();
    const row = await t.db.selectFrom('mail_outbox').selectAll().where('subject', '=', 'Failed once').executeTakeFirstOrThrow();
    expect(row.status).toBe('sent');
    // As the worker leaves a message after its last attempt.
    await t.db.updateTable('mail_outbox').set({ status: 'failed', last_error: '550 no such mailbox' }).where('id', '=', row.id).execute();

    const listed = await api(alice, 'GET', '/api/admin/mail');
    expect(listed.json.counts).toMatchObject({ failed: 1 });
    expect(listed.json.messages).toContainEqual(
      expect.objectContaining({
        id: row.id,
        to: 'later@example.test',
        status: 'failed',
        lastError: '550 no such mailbox',
        nextAttemptAt: null,
      }),
    );
    expect(await api(bob, 'POST', `/api/admin/mail/${row.id}/retry`)).toMatchObject({ status: 403 });
    expect((await api(alice, 'POST', `/api/admin/mail/${row.id}/retry`)).status).toBe(204);
    await t.app.courier.mailWorker.flush();
    expect(smtp.received.filter((m) => m.subject === 'Failed once')).toHaveLength(2);
    expect(await api(alice, 'POST', `/api/admin/mail/${row.id}/retry`)).toMatchObject({ status: 409, json: { code: 'CONFLICT' } });
    expect(await api(alice, 'POST', '/api/admin/mail/no-such-id/retry')).toMatchObject({ status: 404, json: { code: 'NOT_FOUND' } });
  });

  it('says at start where mail goes, and never logs the SMTP password', () => {
    const logged = logLines.join('\n');
    expect(logged).toContain(`mail: SMTP 127.0.0.1:${smtp.port} as courier-mailer`);
    expect(logged).not.toContain(SMTP_TEST_PASSWORD);
  });

  it('forgets a user’s notifications with the user', async () => {
    expect(await t.db.selectFrom('notifications').select('id').where('user_id', '=', bobId).execute()).not.toEqual([]);
    expect((await api(alice, 'DELETE', `/api/users/${bobId}?personalSpace=delete&transfers=delete`)).status).toBe(204);
    expect(await t.db.selectFrom('notifications').select('id').where('user_id', '=', bobId).execute()).toEqual([]);
  });
});
