import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { simpleParser } from 'mailparser';
import { expectNoViolations } from './support/axe';
import { shell } from './support/pages';
import { logInByApi, type PortalApi } from './support/portal-api';
import { ADMIN_PASSWORD } from './support/servers';

/**
 * The bell and the admin's Mail page against the real portal. Notices come from a real action:
 * the Mail page's test notification (POST /api/admin/mail/test), which goes through the notifier
 * as any feature's notice does. Each test has an admin of its own, so counts are its alone.
 */

/** A fresh admin, logged in on `page` (the shared admin's bell is everyone's). */
async function freshAdmin(page: Page): Promise<PortalApi> {
  const admin = await logInByApi(page);
  const username = `bell-${randomBytes(3).toString('hex')}`;
  await admin.post('/api/users', { username, displayName: 'Bell Admin', password: ADMIN_PASSWORD, isAdmin: true });
  await page.context().clearCookies();
  return logInByApi(page, { username, password: ADMIN_PASSWORD });
}

const bell = (page: Page, unread: string) => page.getByRole('button', { name: `Notifications, ${unread} unread` });

test('the bell counts unread notifications, opens by keyboard, marks one read by opening it and the rest with Mark all read', async ({
  page,
}) => {
  const me = await freshAdmin(page);
  for (let i = 0; i < 3; i++) await me.post('/api/admin/mail/test', {});
  await page.goto('/files');
  await expect(bell(page, '3')).toBeVisible();

  await bell(page, '3').focus();
  await page.keyboard.press('Enter');
  const panel = page.getByRole('region', { name: 'Notifications' });
  await expect(panel.getByRole('heading', { name: 'Notifications' })).toBeFocused();
  const items = panel.getByRole('listitem');
  await expect(items).toHaveCount(3);
  await expect(items.first()).toContainText('Unread: Courier test notification');
  await expectNoViolations(page, 'the notifications panel');

  // Escape closes it and gives focus back to the bell.
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(bell(page, '3')).toBeFocused();

  // Opening one by keyboard marks it read and follows its link.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab'); // Mark all read
  await page.keyboard.press('Tab'); // the newest notification
  await expect(panel.getByRole('button', { name: /^Unread: Courier test notification/ }).first()).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/admin\/mail$/);
  await expect(shell(page).heading).toHaveText('Mail');
  await expect(bell(page, '2')).toBeVisible();

  await bell(page, '2').click();
  await panel.getByRole('button', { name: 'Mark all read' }).click();
  await expect(page.getByRole('button', { name: 'Notifications, none unread' })).toBeVisible();
  await expect(panel.getByRole('button', { name: /^Unread:/ })).toHaveCount(0);
  expect((await me.get<{ unread: number; total: number }>('/api/notifications')).unread).toBe(0);
});

test('the Mail page says mail goes to the outbox folder, and a test message lands there as a real .eml', async ({ page }) => {
  await freshAdmin(page);
  await page.goto('/admin/mail');
  await expect(shell(page).heading).toHaveText('Mail');
  const outbox = path.join(process.env.COURIER_E2E_DATA_DIR as string, 'outbox');
  await expect(page.getByTestId('mail-destination')).toContainText(`written as an .eml file to ${outbox}`);
  await expectNoViolations(page, 'the Mail admin page');

  const address = `ops-${randomBytes(3).toString('hex')}@example.test`;
  await page.getByLabel('Email address (optional)').fill(address);
  await page.getByRole('button', { name: 'Send test' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Test notification queued.' })).toContainText(`Mail to ${address}`);
  await expect(bell(page, '1')).toBeVisible();

  // The worker writes the message once the notice is queued; find it among the outbox's files.
  const find = async () => {
    const names = await readdir(outbox).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.eml'))) {
      const mail = await simpleParser(await readFile(path.join(outbox, name)));
      if (mail.to && !Array.isArray(mail.to) && mail.to.text === address) return mail;
    }
    return undefined;
  };
  await expect.poll(async () => (await find())?.subject).toBe('Courier test notification');
  const mail = (await find())!;
  expect(mail.text).toContain('Bell Admin asked Courier for a test notification.');
  expect(mail.text).toMatch(/http:\/\/localhost:\d+\/admin\/mail/);
  expect(mail.html).toContain('Bell Admin asked Courier for a test notification.');
});

test('a person who is not an admin has a bell of their own and no Mail page', async ({ page }) => {
  const admin = await logInByApi(page);
  const username = `plain-${randomBytes(3).toString('hex')}`;
  await admin.post('/api/users', { username, displayName: 'Plain Person', password: ADMIN_PASSWORD });
  await page.context().clearCookies();
  const me = await logInByApi(page, { username, password: ADMIN_PASSWORD });
  expect((await me.raw('POST', '/api/admin/mail/test', {})).status()).toBe(403);
  await page.goto('/files');
  await expect(page.getByRole('button', { name: 'Notifications, none unread' })).toBeVisible();
  await page.getByRole('button', { name: 'Notifications, none unread' }).click();
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Nothing yet.');
  await page.goto('/admin/mail');
  await expect(shell(page).heading).toHaveText('Not allowed');
});
