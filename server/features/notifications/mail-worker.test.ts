/**
 * The mail queue against a real SMTP server in this process and real files on disk, on both
 * databases: what the server receives, the .eml outbox, retries with backoff on a driven clock,
 * a claim lease that survives a dead worker, two workers on one database, and no secret in a log.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { simpleParser } from 'mailparser';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { openDatabase, type Db } from '../../db/database';
import { addTestUsers } from '../../test/test-app';
import { createTestDatabaseUrl, DIALECTS } from '../../test/test-database';
import { SMTP_TEST_PASSWORD, startSmtpTestServer } from '../../test/smtp-test-server';
import { createNotifier } from './create-notifier';
import { createMailDelivery } from './mail-delivery';
import { createMailQueue } from './mail-queue';
import { backoffMs, createMailWorker } from './mail-worker';

const FROM = 'Courier Test <courier@example.test>';

/** A logger whose every line is kept, to look for secrets in. */
function capturedLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: pino({ level: 'trace' }, stream), lines };
}

describe('backoffMs', () => {
  it('doubles from 30 s after each failure, up to an hour', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(20)).toBe(3_600_000);
  });
});

describe.each(DIALECTS)('the mail queue on %s', (dialect) => {
  let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
  let dataDir: string;
  let database: { url: string; drop: () => Promise<void> };
  let db: Db;
  let clock: number;
  let aliceId: string;

  const config = (env: Record<string, string> = {}) =>
    loadConfig({ COURIER_DATA_DIR: dataDir, COURIER_PUBLIC_URL: 'https://files.example.test', ...env });
  const worker = (env: Record<string, string>, extra: { db?: Db; log?: pino.Logger; maxAttempts?: number } = {}) =>
    createMailWorker({
      queue: createMailQueue(extra.db ?? db),
      delivery: createMailDelivery(config(env)),
      from: FROM,
      log: extra.log ?? pino({ level: 'silent' }),
      now: () => clock,
      maxAttempts: extra.maxAttempts,
    });
  const notifier = () => createNotifier({ db, config: config() });
  const rows = () => db.selectFrom('mail_outbox').selectAll().execute();

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
  });
  afterAll(async () => smtp.close());
  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'courier-mail-'));
    // A file, not memory, for SQLite: the two-worker case opens it twice, as two portals would.
    database =
      dialect === 'sqlite'
        ? { url: `sqlite:${path.join(dataDir, 'courier.db')}`, drop: async () => undefined }
        : await createTestDatabaseUrl(dialect);
    db = (await openDatabase({ databaseUrl: database.url, dataDir })).db;
    await addTestUsers(db);
    aliceId = (await db.selectFrom('users').select('id').where('username', '=', 'alice').executeTakeFirstOrThrow()).id;
    // Ahead of the wall clock the notifier stamps rows with: what a test queues is due at once.
    clock = Date.now() + 60_000;
    smtp.received.length = 0;
    smtp.refuseNext(0);
  });
  afterEach(async () => {
    await db.destroy();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('notify only records: a bell row for the user and a queued mail, nothing sent until the worker runs', async () => {
    await notifier().notify({
      userId: aliceId,
      email: 'ana@example.test',
      kind: 'share.downloaded',
      subject: 'Bo downloaded report.pdf',
      text: 'Bo downloaded report.pdf.',
      link: '/files',
    });
    const bell = await db.selectFrom('notifications').selectAll().execute();
    expect(bell).toMatchObject([{ user_id: aliceId, subject: 'Bo downloaded report.pdf', link: '/files', read_at: null }]);
    // The mail's link is absolute: a mail reader has no page to resolve a path against.
    expect(await rows()).toMatchObject([
      { to_address: 'ana@example.test', status: 'queued', attempts: 0, link: 'https://files.example.test/files' },
    ]);
    expect(smtp.received).toHaveLength(0);
  });

  it('refuses a notice with a bad address, a script link or no recipient, saying which', async () => {
    const n = notifier();
    await expect(n.notify({ email: 'not-an-address', kind: 'k', subject: 's', text: 't' })).rejects.toThrow(/email/);
    await expect(n.notify({ email: 'a@example.test', kind: 'k', subject: 's', text: 't', link: 'javascript:alert(1)' })).rejects.toThrow(
      /link/,
    );
    await expect(n.notify({ email: 'a@example.test', kind: 'k', subject: 's', text: 't', link: '//evil.example/x' })).rejects.toThrow(
      /link/,
    );
    await expect(n.notify({ kind: 'k', subject: 's', text: 't' })).rejects.toThrow(/neither a user nor an email/);
    expect(await rows()).toEqual([]);
  });

  it('sends through SMTP: the server receives the sender, recipient, subject, text and escaped HTML with the link', async () => {
    await notifier().notify({
      email: 'ana@example.test',
      kind: 'share.created',
      subject: 'Bo shared 3 files with you',
      text: 'Bo shared 3 files with you.\n\nNote from Bo: <b>Q3 & Q4</b>',
      link: 'https://files.example.test/s/abc?x=1&y=2',
    });
    expect(await worker({ COURIER_SMTP_URL: smtp.url }).tick()).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.from?.value).toEqual([{ name: 'Courier Test', address: 'courier@example.test' }]);
    expect(mail.to).toMatchObject({ value: [{ address: 'ana@example.test' }] });
    expect(mail.subject).toBe('Bo shared 3 files with you');
    expect(mail.text).toContain('Note from Bo: <b>Q3 & Q4</b>');
    expect(mail.text).toContain('https://files.example.test/s/abc?x=1&y=2');
    expect(mail.html).toContain('Note from Bo: &#60;b&#62;Q3 &#38; Q4&#60;/b&#62;');
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).toContain('<a href="https://files.example.test/s/abc?x=1&#38;y=2">');
    expect(await rows()).toMatchObject([{ status: 'sent', attempts: 1, last_error: null }]);
  });

  it('with no SMTP server writes each message as a MIME .eml file in <data dir>/outbox', async () => {
    await notifier().notify({ email: 'ana@example.test', kind: 'k', subject: 'Ana, a test', text: 'Hello <there>', link: '/transfers' });
    const w = worker({});
    expect(await w.tick()).toBe(1);
    const [row] = await rows();
    const folder = path.join(dataDir, 'outbox');
    expect(readdirSync(folder)).toEqual([`${row!.id}.eml`]);
    const mail = await simpleParser(readFileSync(path.join(folder, `${row!.id}.eml`)));
    expect(mail.from?.value).toEqual([{ name: 'Courier Test', address: 'courier@example.test' }]);
    expect(mail.to).toMatchObject({ text: 'ana@example.test' });
    expect(mail.subject).toBe('Ana, a test');
    expect(mail.text).toContain('Hello <there>');
    expect(mail.text).toContain('https://files.example.test/transfers');
    expect(mail.html).toContain('Hello &#60;there&#62;');
    expect(row!.status).toBe('sent');
    expect(smtp.received).toHaveLength(0);
  });

  it('retries a refused message with a doubling backoff on the worker clock, then delivers it once', async () => {
    smtp.refuseNext(2);
    await notifier().notify({ email: 'ana@example.test', kind: 'k', subject: 'Retry me', text: 't' });
    const w = worker({ COURIER_SMTP_URL: smtp.url });

    expect(await w.tick()).toBe(0);
    const [first] = await rows();
    expect(first).toMatchObject({ status: 'queued', attempts: 1, next_attempt_at: clock + 30_000 });
    expect(first!.last_error).toMatch(/451|busy/);

    clock += 29_999; // not due yet: no attempt
    expect(await w.tick()).toBe(0);
    expect((await rows())[0]!.attempts).toBe(1);

    clock += 1;
    expect(await w.tick()).toBe(0);
    expect((await rows())[0]).toMatchObject({ status: 'queued', attempts: 2, next_attempt_at: clock + 60_000 });

    clock += 60_000;
    expect(await w.tick()).toBe(1);
    expect((await rows())[0]).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(smtp.received.map((m) => m.subject)).toEqual(['Retry me']);
  });

  it('marks a message failed after the last attempt, and an admin retry queues it afresh', async () => {
    smtp.refuseNext(100);
    await notifier().notify({ email: 'ana@example.test', kind: 'k', subject: 'Doomed', text: 't' });
    const w = worker({ COURIER_SMTP_URL: smtp.url }, { maxAttempts: 2 });
    await w.tick();
    clock += 30_000;
    await w.tick();
    const [failed] = await rows();
    expect(failed).toMatchObject({ status: 'failed', attempts: 2 });
    clock += 10 * 3_600_000;
    expect(await w.tick()).toBe(0); // a failed message stays failed
    expect((await rows())[0]!.attempts).toBe(2);

    smtp.refuseNext(0);
    expect(await createMailQueue(db).requeueFailed(failed!.id, clock)).toBe(true);
    expect(await w.tick()).toBe(1);
    expect(smtp.received.map((m) => m.subject)).toEqual(['Doomed']);
  });

  it('sends again a message whose worker died mid-send, once its claim has lapsed', async () => {
    await notifier().notify({ email: 'ana@example.test', kind: 'k', subject: 'Orphan', text: 't' });
    const [row] = await rows();
    // A worker claims the row and stops before it records anything (a portal killed mid-send).
    expect(await createMailQueue(db).claim(row!.id, clock, clock + 5 * 60_000)).toBeDefined();
    const w = worker({ COURIER_SMTP_URL: smtp.url });
    expect(await w.tick()).toBe(0); // the claim holds
    clock += 5 * 60_000;
    expect(await w.tick()).toBe(1);
    expect(smtp.received.map((m) => m.subject)).toEqual(['Orphan']);
  });

  it('forgets sent messages after a week, keeping newer ones and everything unsent', async () => {
    const n = notifier();
    for (const subject of ['Old', 'Recent', 'Unsent']) await n.notify({ email: 'ana@example.test', kind: 'k', subject, text: 't' });
    const day = 24 * 3_600_000;
    await db
      .updateTable('mail_outbox')
      .set({ status: 'sent', sent_at: clock - 8 * day })
      .where('subject', '=', 'Old')
      .execute();
    await db
      .updateTable('mail_outbox')
      .set({ status: 'sent', sent_at: clock - 6 * day })
      .where('subject', '=', 'Recent')
      .execute();
    await db.updateTable('mail_outbox').set({ status: 'failed' }).where('subject', '=', 'Unsent').execute();
    await worker({ COURIER_SMTP_URL: smtp.url }).tick();
    expect((await rows()).map((r) => r.subject).sort()).toEqual(['Recent', 'Unsent']);
  });

  it('sends each message exactly once when two portals run the worker on one database', async () => {
    const n = notifier();
    for (let i = 0; i < 15; i++) await n.notify({ email: `r${i}@example.test`, kind: 'k', subject: `Message ${i}`, text: 't' });
    const other = (await openDatabase({ databaseUrl: database.url, dataDir })).db;
    try {
      const [a, b] = await Promise.all([
        worker({ COURIER_SMTP_URL: smtp.url }).tick(),
        worker({ COURIER_SMTP_URL: smtp.url }, { db: other }).tick(),
      ]);
      expect(a + b).toBe(15);
      const subjects = smtp.received.map((m) => m.subject).sort();
      expect(subjects).toEqual(Array.from({ length: 15 }, (_, i) => `Message ${i}`).sort());
      expect((await rows()).every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    } finally {
      await other.destroy();
    }
  });

  it('keeps the SMTP password out of every log line and stored error, even when the server quotes it', async () => {
    const careless = await startSmtpTestServer({ echoPasswordOnRefusal: true });
    try {
      careless.refuseNext(1);
      const { log, lines } = capturedLog();
      const w = worker({ COURIER_SMTP_URL: careless.url }, { log });
      w.start(); // says where mail goes; its passes run beside ours, claims keep them apart
      await notifier().notify({ email: 'ana@example.test', kind: 'k', subject: 'Quiet', text: 't' });
      await w.flush();
      expect((await rows())[0]).toMatchObject({ status: 'queued', attempts: 1 });
      clock += 30_000;
      await w.flush();
      await w.stop();
      const [row] = await rows();
      expect(row!.status).toBe('sent');
      const logged = lines.join('\n');
      expect(logged).toContain(`127.0.0.1:${careless.port} as courier-mailer`); // where mail goes, said at start
      expect(logged).toContain('will try again');
      expect(logged).toContain('password ***');
      expect(logged).not.toContain(SMTP_TEST_PASSWORD);
    } finally {
      await careless.close();
    }
  });
});
