/**
 * The end-to-end suite's SMTP server: a real `smtp-server` that the main portal under test sends to
 * (`COURIER_SMTP_URL`), run by playwright.config.ts as a web server of its own. Each message it
 * accepts is written, as received (the raw MIME), to `COURIER_E2E_MAIL_DIR/<n>.eml`: aside first,
 * then renamed, so a spec reading the folder never parses half a message. Specs read it with
 * `e2e/support/mailbox.ts`.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

const folder = process.env.COURIER_E2E_MAIL_DIR;
const port = Number(process.env.COURIER_E2E_SMTP_PORT);
if (!folder || !Number.isInteger(port) || port <= 0) {
  process.stderr.write('mail-sink: set COURIER_E2E_MAIL_DIR and COURIER_E2E_SMTP_PORT\n');
  process.exit(2);
}
mkdirSync(folder, { recursive: true });

const server = new SMTPServer({
  disabledCommands: ['STARTTLS'],
  authOptional: true,
  logger: false,
  size: 10 * 1024 * 1024,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', (err) => callback(err));
    stream.on('end', () => {
      const file = path.join(folder, `${Date.now()}-${randomUUID()}.eml`);
      writeFile(`${file}.partial`, Buffer.concat(chunks))
        .then(() => rename(`${file}.partial`, file))
        .then(() => callback(), callback);
    });
  },
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`mail-sink: SMTP on 127.0.0.1:${port}, messages to ${folder}\n`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
