import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from '@playwright/test';
import { simpleParser, type ParsedMail } from 'mailparser';

/** The folder where the suite's SMTP server (e2e/support/mail-sink.ts) writes what it receives. */
export function mailDir(): string {
  const dir = process.env.COURIER_E2E_MAIL_DIR;
  if (!dir) throw new Error('COURIER_E2E_MAIL_DIR is not set: run the specs through playwright.config.ts');
  return dir;
}

/** Every message the SMTP server has received for `address`, oldest first. */
export async function mailTo(address: string): Promise<ParsedMail[]> {
  const names = (await readdir(mailDir())).filter((n) => n.endsWith('.eml')).sort();
  const found: ParsedMail[] = [];
  for (const name of names) {
    const mail = await simpleParser(await readFile(path.join(mailDir(), name)));
    const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
    if (to.some((t) => t.value.some((v) => v.address?.toLowerCase() === address.toLowerCase()))) found.push(mail);
  }
  return found;
}

/**
 * Waits until the SMTP server has received `count` messages for `address` (the portal's mail worker
 * sends after the request that caused them), and returns them. More than `count` fails: a notice
 * sent twice is a bug.
 */
export async function receivedMail(address: string, count = 1): Promise<ParsedMail[]> {
  await expect
    .poll(async () => (await mailTo(address)).length, { timeout: 20_000, message: `mail to ${address}` })
    .toBeGreaterThanOrEqual(count);
  const mails = await mailTo(address);
  expect(mails, `mail to ${address}`).toHaveLength(count);
  return mails;
}
