import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { throttleUploads } from './support/files-page';
import { sha256File, tempDir, writeRandomFile, writeText } from './support/local-files';
import { shell } from './support/pages';
import { receivedMail } from './support/mailbox';
import { logInByApi } from './support/portal-api';
import { readZip } from './support/read-zip';

const PASSWORD = 'a long package password 42';

async function saveDownload(page: Page, click: () => Promise<void>, name: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const saved = test.info().outputPath(name);
  await download.saveAs(saved);
  return saved;
}

test('a folder tree sent to a second user reaches their inbox only once uploaded, stays invisible to a third, is downloaded byte-identical, and the sender sees the receipt', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const sender = await logInByApi(page);
  const username = `rec${randomUUID().slice(0, 8)}`;
  await sender.post('/api/users', { username, displayName: `Rita ${username}`, password: PASSWORD });
  // A third person, not on the package: it must stay invisible to them once it is ready too.
  const outsiderName = `out${randomUUID().slice(0, 8)}`;
  await sender.post('/api/users', { username: outsiderName, displayName: `Otto ${outsiderName}`, password: PASSWORD });

  // A folder tree: report.txt at the top, data/big.bin (3 MB, slow enough to watch) and data/deep/note.txt.
  const root = path.join(tempDir('courier-package-'), 'Tree');
  mkdirSync(path.join(root, 'data', 'deep'), { recursive: true });
  writeText(path.join(root, 'report.txt'), `the report ${Date.now()}\n`.repeat(100));
  writeRandomFile(path.join(root, 'data', 'big.bin'), 3 * 1024 * 1024);
  writeText(path.join(root, 'data', 'deep', 'note.txt'), 'deep note\n');
  const subject = `Figures ${randomUUID().slice(0, 6)}`;

  await page.goto('/send');
  await expect(shell(page).heading).toHaveText('Send a package');
  await expectNoViolations(page, 'send');
  await page.getByLabel('Find people or groups').fill(username);
  await page.getByRole('button', { name: `Add Rita ${username} (${username})` }).click();
  await expect(page.getByRole('list', { name: 'Chosen recipients' })).toContainText(`Rita ${username}`);
  await page.getByLabel('Subject').fill(subject);
  await page.getByLabel('Message').fill('As promised.');
  await page.getByTestId('send-folder-input').setInputFiles(root);
  await expect(page.getByTestId('send-chosen')).toContainText('3 file(s)');
  await page.getByRole('checkbox', { name: 'Notify me when a recipient downloads' }).check({ force: true });
  // Slow enough that the recipient can look while the upload still runs.
  await throttleUploads(page, 512 * 1024);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `Sending “${subject}”` })).toBeVisible();

  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const recipientPage = await context.newPage();
  const recipient = await logInByApi(recipientPage, { username, password: PASSWORD });
  const sent = (await sender.get<{ packages: Array<{ id: string; subject: string; status: string }> }>('/api/packages?box=sent')).packages;
  const id = sent.find((p) => p.subject === subject)!.id;
  // While it uploads, the recipient sees nothing of it: neither in the inbox nor by its id.
  expect((await recipient.get<{ packages: unknown[] }>('/api/packages?box=inbox')).packages).toEqual([]);
  expect((await recipientPage.request.get(`/api/packages/${id}`)).status()).toBe(404);
  // …and it was still uploading after those looks.
  expect((await sender.get<{ package: { status: string } }>(`/api/packages/${id}`)).package.status).toBe('uploading');

  await expect
    .poll(async () => (await sender.get<{ package: { status: string } }>(`/api/packages/${id}`)).package.status, { timeout: 60_000 })
    .toBe('ready');

  const outsiderContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const outsiderPage = await outsiderContext.newPage();
  const outsider = await logInByApi(outsiderPage, { username: outsiderName, password: PASSWORD });
  expect((await outsider.get<{ packages: unknown[] }>('/api/packages?box=inbox')).packages).toEqual([]);
  expect((await outsiderPage.request.get(`/api/packages/${id}`)).status()).toBe(404);
  expect((await outsider.raw('POST', `/api/packages/${id}/downloads`, {})).status()).toBe(404);
  await outsiderContext.close();

  await recipientPage.goto('/inbox');
  await expect(shell(recipientPage).heading).toHaveText('Inbox');
  await expect(recipientPage.getByTestId('unread-count')).toHaveText('1 unread');
  await expectNoViolations(recipientPage, 'inbox');
  await recipientPage.getByRole('link', { name: subject }).click();
  await expect(shell(recipientPage).heading).toHaveText(subject);
  await expect(recipientPage.getByTestId('package-file')).toHaveCount(3);
  // The pointer left over the row it clicked would scan the row's hover colour, not the page's.
  await recipientPage.mouse.move(0, 0);
  await expectNoViolations(recipientPage, 'package');

  const one = await saveDownload(
    recipientPage,
    () => recipientPage.getByRole('button', { name: 'Download Tree/data/big.bin' }).click(),
    'big.bin',
  );
  expect(await sha256File(one)).toBe(await sha256File(path.join(root, 'data', 'big.bin')));
  const all = await saveDownload(recipientPage, () => recipientPage.getByRole('button', { name: 'Download all' }).click(), 'all.zip');
  const zip = await readZip(all);
  expect(zip.get('Tree/report.txt')).toBe(await sha256File(path.join(root, 'report.txt')));
  expect(zip.get('Tree/data/deep/note.txt')).toBe(await sha256File(path.join(root, 'data', 'deep', 'note.txt')));
  expect(zip.get('Tree/data/big.bin')).toBe(await sha256File(path.join(root, 'data', 'big.bin')));

  // The sender's receipt says the whole package was downloaded.
  await page.goto(`/packages/${id}`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('package-recipient').filter({ hasText: `Rita ${username}` })).toContainText(/Downloaded(?! in part)/);
  }).toPass({ timeout: 30_000 });
  await page.goto('/sent');
  await expect(page.getByRole('link', { name: subject })).toBeVisible();
  await expectNoViolations(page, 'sent');
  await context.close();
});

test('an external address gets its personal link by mail, confirms a mailed code without an account, downloads byte-identical, and the sender sees it downloaded', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const sender = await logInByApi(page);
  await sender.put('/api/admin/settings/packageExternalRecipients', { value: 1 });
  const address = `ext-${randomUUID().slice(0, 8)}@example.org`;
  const file = path.join(tempDir('courier-package-ext-'), 'contract.bin');
  writeRandomFile(file, 2 * 1024 * 1024);
  const subject = `Contract ${randomUUID().slice(0, 6)}`;

  await page.goto('/send');
  await page.getByLabel('Email addresses without an account (if your admin allows them)').fill(address);
  await page.getByLabel('Subject').fill(subject);
  await page.getByTestId('send-files-input').setInputFiles(file);
  await expect(page.getByTestId('send-chosen')).toContainText('1 file(s)');
  await page.getByRole('checkbox', { name: 'Addresses without an account confirm a code sent by email before downloading' }).check({
    force: true,
  });
  await page.getByRole('button', { name: 'Send', exact: true }).click();

  // The mail comes once the upload completed, with a link that is the address's own.
  const [invitation] = await receivedMail(address);
  expect(invitation?.subject).toContain(subject);
  const link = /Open: (\S+\/p\/[A-Za-z0-9_-]{43})\n/.exec(invitation?.text ?? '')?.[1];
  expect(link, invitation?.text).toBeDefined();

  // A browser with no session: no login, no shell.
  const context = await browser.newContext();
  const guest = await context.newPage();
  await guest.goto(link!);
  await expect(guest.getByRole('heading', { level: 1 })).toContainText(`sent you “${subject}”`);
  await expect(guest.getByTestId('package-file')).toHaveCount(0);
  await expectNoViolations(guest, 'package link, code asked');
  await guest.getByRole('button', { name: 'Email me a code' }).click();
  await expect(guest.getByRole('status').filter({ hasText: 'We sent a code to' })).toBeVisible();
  const [, codeMail] = await receivedMail(address, 2);
  const code = /is (\d{6})\./.exec(codeMail?.text ?? '')?.[1];
  expect(code, codeMail?.text).toBeDefined();
  await guest.getByRole('textbox', { name: 'Code' }).fill(code!);
  await guest.getByRole('button', { name: 'Open' }).click();
  await expect(guest.getByTestId('package-file')).toHaveCount(1);
  await expectNoViolations(guest, 'package link, unlocked');

  const saved = await saveDownload(guest, () => guest.getByRole('button', { name: 'Download contract.bin' }).click(), 'contract.bin');
  expect(await sha256File(saved)).toBe(await sha256File(file));
  await expect(guest.getByTestId('download-status')).toHaveText('contract.bin: downloaded.');

  // The sender's Sent box says it per recipient, and so does the package's page.
  await expect(async () => {
    await page.goto('/sent');
    await expect(page.getByRole('list', { name: `Receipts of ${subject}` })).toHaveText(`${address}: downloaded`);
  }).toPass({ timeout: 30_000 });
  await page.getByRole('link', { name: subject }).click();
  // The package page is a lazy route: the URL changes once its chunk is loaded, and a reload
  // before that would reload the Sent page.
  await expect(page).toHaveURL(/\/packages\/[^/]+$/);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('package-recipient').filter({ hasText: address })).toContainText(/Downloaded(?! in part)/);
  }).toPass({ timeout: 30_000 });
  await context.close();
});
