import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { receivedMail } from './support/mailbox';
import { shell } from './support/pages';
import { logInByApi, type PortalApi } from './support/portal-api';
import { ADMIN_PASSWORD, SMTP_SINK } from './support/servers';

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

test('the Mail page says mail goes to the SMTP server, and a test message reaches that server', async ({ page }) => {
  await freshAdmin(page);
  await page.goto('/admin/mail');
  await expect(shell(page).heading).toHaveText('Mail');
  await expect(page.getByTestId('mail-destination')).toHaveText(`SMTP server 127.0.0.1:${SMTP_SINK.port}`);
  await expectNoViolations(page, 'the Mail admin page');

  const address = `ops-${randomBytes(3).toString('hex')}@example.test`;
  await page.getByLabel('Email address (optional)').fill(address);
  await page.getByRole('button', { name: 'Send test' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Test notification queued.' })).toContainText(`Mail to ${address}`);
  await expect(bell(page, '1')).toBeVisible();

  // The worker sends once the notice is queued; the suite's SMTP server (e2e/support/mail-sink.ts) keeps it.
  const [mail] = await receivedMail(address);
  expect(mail?.subject).toBe('Courier test notification');
  expect(mail?.text).toContain('Bell Admin asked Courier for a test notification.');
  expect(mail?.text).toMatch(/http:\/\/localhost:\d+\/admin\/mail/);
  expect(mail?.html).toContain('Bell Admin asked Courier for a test notification.');
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
