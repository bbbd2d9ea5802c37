import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { MailDestination } from '../../../contract/notifications';
import type { Config } from '../../config';

/** One composed message, ready to go; `id` names the queue row (and the .eml file). */
export interface OutgoingMail {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Hands messages to SMTP, or writes them to the outbox folder; says where, without secrets. */
export interface MailDelivery {
  destination: MailDestination;
  /** One line for the log and the admin console: where mail goes. Never the SMTP password. */
  describe: () => string;
  send: (mail: OutgoingMail) => Promise<void>;
  /** Takes every secret of the SMTP URL out of a text (an error message) before it is stored or logged. */
  redact: (text: string) => string;
  close: () => void;
}

// An SMTP server that stops answering must not hold the worker: these bound each step of a send.
const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };

export function createMailDelivery(config: Pick<Config, 'smtpUrl' | 'dataDir'>): MailDelivery {
  return config.smtpUrl ? smtpDelivery(config.smtpUrl) : outboxDelivery(path.join(config.dataDir, 'outbox'));
}

function smtpDelivery(smtpUrl: string): MailDelivery {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const username = url.username ? decodeURIComponent(url.username) : null;
  const secrets = [url.password, safeDecode(url.password)].filter((s) => s.length > 0);
  // logger: false keeps nodemailer's own protocol log (which would show the AUTH exchange) off.
  const transport = nodemailer.createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS, logger: false, debug: false });
  const redact = (text: string) => secrets.reduce((out, secret) => out.split(secret).join('***'), text);
  return {
    destination: { kind: 'smtp', host: url.hostname, port, secure, username },
    describe: () => `SMTP ${url.hostname}:${port}${username ? ` as ${username}` : ''}${secure ? ' (TLS)' : ''}`,
    send: async (mail) => {
      await transport.sendMail({ from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    },
    redact,
    close: () => transport.close(),
  };
}

function outboxDelivery(folder: string): MailDelivery {
  // The stream transport builds the same RFC 822 MIME text SMTP would carry, into a buffer.
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    destination: { kind: 'outbox', folder },
    describe: () => `no SMTP server configured (COURIER_SMTP_URL): messages are written as .eml files to ${folder}`,
    send: async (mail) => {
      const info = await transport.sendMail({ from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const file = path.join(folder, `${mail.id}.eml`);
      // Written aside, then renamed: a reader of the folder never sees half a message.
      const partial = `${file}.partial`;
      await writeFile(partial, info.message as Buffer, { mode: 0o600 });
      await rename(partial, file);
    },
    redact: (text) => text,
    close: () => transport.close(),
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
