import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { docroot } from './support/docroot';
import { createFolder, openFolder } from './support/files-page';
import { sha256File, tempDir, writeRandomFile, writeText } from './support/local-files';
import { receivedMail } from './support/mailbox';
import { logInAsNewUser, logInByApi, personalSpaceId, type PortalApi } from './support/portal-api';
import { MAIN_SERVER } from './support/servers';

/** A tree a guest might send: nesting, Unicode, 0 bytes, one file large enough to show progress. */
function makeTree(): { root: string; rels: string[] } {
  const root = path.join(tempDir('courier-request-'), 'Tax papers');
  const rels = ['summary.txt', 'zero.bin', '2025/Ünïcødé receipts/scan 1.pdf', '2025/w2.bin'];
  writeText(path.join(root, 'summary.txt'), 'everything you asked for\n');
  writeText(path.join(root, 'zero.bin'), '');
  writeText(path.join(root, '2025/Ünïcødé receipts/scan 1.pdf'), '%PDF-1.4 pretend\n');
  writeRandomFile(path.join(root, '2025/w2.bin'), 5 * 1024 * 1024);
  return { root, rels };
}

test('a guest without a session sends a folder tree through a request link; it lands whole in its own subfolder, and the requester is told by mail and the bell', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const requester = await logInAsNewUser(page, 'Rita Requester');
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  const folder = `Requests ${randomUUID().slice(0, 8)}`;
  await createFolder(page, folder);
  await openFolder(page, folder);

  // The requester: "Request files" on the folder, a dialog, then the link.
  await page.getByRole('button', { name: 'Request files' }).click();
  const dialog = page.getByRole('dialog', { name: 'Request files' });
  await expect(dialog).toBeVisible();
  await expectNoViolations(page, 'the Request files dialog');
  await dialog.getByLabel('Title').fill('Your tax papers');
  await dialog.getByLabel('Message (optional)').fill('Please send the 2025 papers.');
  await dialog.getByText("Ask for the sender's name and email").click();
  await dialog.getByRole('button', { name: 'Create link' }).click();
  const linkDialog = page.getByRole('dialog', { name: 'Your file request link' });
  const url = await linkDialog.getByTestId('request-url').inputValue();
  expect(url).toMatch(/\/r\/[A-Za-z0-9_-]{24}$/);
  await expectNoViolations(page, 'the request link dialog');

  // The guest: another browser context, no session cookie.
  const guestContext = await browser.newContext({ baseURL: new URL(page.url()).origin });
  const guest = await guestContext.newPage();
  await guest.goto(new URL(url).pathname);
  await expect(guest.getByRole('heading', { level: 1 })).toHaveText('Your tax papers');
  await expect(guest.getByText('Please send the 2025 papers.')).toBeVisible();
  await expect(guest.getByText(folder)).toHaveCount(0);
  await expectNoViolations(guest, 'the file request guest page');

  await guest.getByLabel('Your name').fill('Ana Example');
  await guest.getByLabel('Your email').fill('ana@example.com');
  const { root, rels } = makeTree();
  await guest.getByTestId('request-folder-input').setInputFiles(root);
  await expect(guest.getByText('Chosen: 4 files')).toBeVisible();
  // The buttons are the drop zone's keyboard twin: reachable by Tab.
  await guest.getByRole('button', { name: 'Choose folder' }).focus();
  await expect(guest.getByRole('button', { name: 'Choose folder' })).toBeFocused();
  await guest.getByRole('button', { name: 'Send' }).click();

  await expect(guest.getByRole('heading', { name: 'Thank you — your files were received' })).toBeVisible({ timeout: 60_000 });
  await expect(guest.getByRole('list', { name: 'Received' })).toContainText('Tax papers');
  await expect(guest.getByRole('status').filter({ hasText: 'All sent' })).toHaveCount(1);
  await expectNoViolations(guest, 'the file request thank-you');

  // On disk: one new subfolder named for the date and the guest, holding the tree byte for byte.
  const requestFolder = docroot('home', requester.username, folder);
  const subfolders = readdirSync(requestFolder);
  expect(subfolders).toHaveLength(1);
  expect(subfolders[0]).toMatch(/^\d{4}-\d\d-\d\d \d{4} Ana Example$/);
  for (const rel of rels)
    expect(await sha256File(path.join(requestFolder, subfolders[0] as string, 'Tax papers', rel))).toBe(
      await sha256File(path.join(root, rel)),
    );

  // Once the node reports the upload complete, the requester gets one message at the SMTP server, in their
  // words: who sent what, how much, where it is, and the link to the request's page.
  const requestId = new URL(url).pathname.split('/').pop() as string;
  const [mail] = await receivedMail(requester.email);
  expect(mail?.subject).toMatch(/^Ana Example sent 4 files \(5(\.\d+)? MB\) for "Your tax papers"$/);
  expect(mail?.text).toContain('Ana Example <ana@example.com> answered your file request "Your tax papers".');
  expect(mail?.text).toContain('Received: Tax papers (4 files,');
  expect(mail?.text).toContain(`They are in /${folder}/${subfolders[0]}.`);
  const requestPage = `http://localhost:${MAIN_SERVER.port}/requests/${requestId}`;
  expect(mail?.text).toContain(`Open: ${requestPage}\n`);
  expect(mail?.html).toContain('answered your file request');
  expect(mail?.html).toContain(`href="${requestPage}"`);

  // And under the bell; opening the notice opens the request on the Requests page, its submissions shown.
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
  await page
    .getByRole('region', { name: 'Notifications' })
    .getByRole('button', { name: /^Unread: Ana Example sent 4 files/ })
    .click();
  await expect(page).toHaveURL(new RegExp(`/requests/${requestId}$`));
  await expect(page.getByRole('button', { name: 'Notifications, none unread' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: 'Your tax papers' });
  await expect(row.getByRole('button', { name: 'Hide details of Your tax papers' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Submissions to Your tax papers' })).toContainText('Ana Example');
  // Scanned with the pointer off the rows: a hovered row's grey is not the page's (as the members panel's scan).
  await page.mouse.move(0, 0);
  await expectNoViolations(page, 'the Requests page');
  await row.getByRole('button', { name: /^Close/ }).click();
  await expect(row.getByText('closed', { exact: true })).toBeVisible();

  // A closed request is a 410 page that says so, and shows nothing of the request.
  await guest.reload();
  await expect(guest.getByRole('heading', { level: 1 })).toHaveText('This file request is closed');
  await expect(guest.getByText('Your tax papers')).toHaveCount(0);
  await expectNoViolations(guest, 'the closed file request page');
  await guestContext.close();
});

test("the Requests page finds requests by title, and an admin finds everyone's by the requester's name too", async ({ page }) => {
  const suffix = randomUUID().slice(0, 8);
  const deadline = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const ask = async (api: PortalApi, title: string) =>
    api.post('/api/requests', { spaceId: await personalSpaceId(api), folder: '/', title, deadline });
  const nina = await logInAsNewUser(page, `Nina ${suffix}`);
  await ask(nina.api, `Contracts ${suffix}`);
  await page.context().clearCookies();
  await ask(await logInByApi(page), `Photos ${suffix}`);

  await page.goto('/requests');
  const rows = page.getByRole('row').filter({ hasText: suffix });
  const search = page.getByRole('searchbox', { name: 'Search by title' });
  await search.fill(`PHOTOS ${suffix}`);
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText(`Photos ${suffix}`);
  // Another person's request is not the admin's own: not under "My requests", whatever the words.
  await search.fill(`contracts ${suffix}`);
  await expect(page.getByRole('status').filter({ hasText: 'No request matches' })).toHaveText(`No request matches "contracts ${suffix}".`);

  await page.getByRole('combobox', { name: 'Show' }).selectOption({ label: "Everyone's requests" });
  const everyone = page.getByRole('searchbox', { name: 'Search by title or requester' });
  await everyone.fill(suffix);
  await expect(rows).toHaveCount(2);
  const table = page.getByRole('table', { name: 'File requests' });
  await expect(table.getByRole('columnheader', { name: 'Requested by' })).toBeVisible();
  await expect(rows.filter({ hasText: `Contracts ${suffix}` })).toContainText(`Nina ${suffix}`);
  // By the requester's name: Nina's request only.
  await everyone.fill(`nina ${suffix}`);
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText(`Contracts ${suffix}`);
  await page.mouse.move(0, 0);
  await expectNoViolations(page, "the Requests page searching everyone's requests");
});
