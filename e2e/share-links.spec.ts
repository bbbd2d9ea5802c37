import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type APIResponse, type Browser, type Download, type Page } from '@playwright/test';
import { installFakeAsperaSdk } from '../src/transfer-clients/aspera-sdk/testing/install-fake-aspera-sdk';
import { expectNoViolations } from './support/axe';
import { docroot } from './support/docroot';
import { createFolder, filesPage, openFolder } from './support/files-page';
import { spaceOnHstsNode } from './support/hsts-space';
import { sha256, sha256File, tempDir, writeRandomFile, writeText } from './support/local-files';
import { receivedMail } from './support/mailbox';
import { logInAsNewUser, logInByApi, personalSpaceId, type PortalApi } from './support/portal-api';
import { readZip } from './support/read-zip';
import { ASPERA_SDK_URL, MAIN_SERVER } from './support/servers';

interface Shared {
  api: PortalApi;
  spaceId: string;
  folder: string;
  report: { local: string; content: string };
  photo: { local: string };
}

/** My files / Share <id> / report.txt and album/photo.bin, uploaded through the Files page. */
async function prepare(page: Page, sharer?: PortalApi): Promise<Shared> {
  const api = sharer ?? (await logInByApi(page));
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  const files = filesPage(page);
  await expect(files.heading).toHaveText('My files');
  const folder = `Share ${randomUUID().slice(0, 8)}`;
  await createFolder(page, folder);
  await openFolder(page, folder);
  await createFolder(page, 'album');
  await openFolder(page, 'album');
  const dir = tempDir('courier-share-');
  const photo = path.join(dir, 'photo.bin');
  writeRandomFile(photo, 300 * 1024);
  await files.filesInput.setInputFiles(photo);
  await expect(files.entry('photo.bin')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: folder }).click();
  await expect(files.heading).toHaveText(folder);
  const content = `quarterly report ${Date.now()}\n`.repeat(200);
  const report = path.join(dir, 'report.txt');
  writeText(report, content);
  await files.filesInput.setInputFiles(report);
  await expect(files.entry('report.txt')).toBeVisible({ timeout: 20_000 });
  return { api, spaceId: await personalSpaceId(api), folder, report: { local: report, content }, photo: { local: photo } };
}

/** A browser with no session and no cookies: the recipient's. */
async function recipient(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

async function share(shared: Shared, body: object): Promise<{ id: string; url: string }> {
  const { share: created } = await shared.api.post<{ share: { id: string; url: string } }>('/api/shares', {
    spaceId: shared.spaceId,
    ...body,
  });
  return created;
}

const downloadsOf = async (shared: Pick<Shared, 'api'>, id: string) =>
  (await shared.api.get<{ share: { downloads: number; status: string } }>(`/api/shares/${id}`)).share;

async function saveDownload(page: Page, click: () => Promise<void>, name: string): Promise<string> {
  // This click's file, by its name: a zip is named after the space and the date. An event of the
  // download before it, arriving late, is not taken for this one.
  const wanted = (download: Download) =>
    name.endsWith('.zip') ? download.suggestedFilename().endsWith('.zip') : download.suggestedFilename() === name;
  const [download] = await Promise.all([page.waitForEvent('download', { predicate: wanted }), click()]);
  const saved = test.info().outputPath(name);
  await download.saveAs(saved);
  return saved;
}

test('a file and a folder shared from the Files page are opened without a session, browsed and downloaded byte-identical', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  // A sharer of their own, so that "My links" lists this test's link alone.
  const shared = await prepare(page, (await logInAsNewUser(page, 'Sam Sharer')).api);
  const files = filesPage(page);
  await files.select('report.txt');
  await files.select('album');
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Share 2 items' });
  await expect(dialog).toBeVisible();
  await expectNoViolations(page, 'the share dialog');
  await dialog.getByLabel('Note to the recipient (optional)').fill('The numbers and the pictures');
  const recipientAddress = `carol-${randomUUID().slice(0, 8)}@example.test`;
  await dialog.getByLabel('Send the link by email to (optional)').fill('not-an-address');
  await expect(dialog.getByText('"not-an-address" is not an email address like name@example.com.')).toBeVisible();
  await dialog.getByLabel('Send the link by email to (optional)').fill(recipientAddress);
  await dialog.getByRole('button', { name: 'Create link' }).click();
  const result = page.getByRole('dialog', { name: 'Link to 2 items' });
  const url = await result.getByRole('textbox', { name: 'Link' }).inputValue();
  expect(url).toMatch(/\/s\/[A-Za-z0-9_-]{22,}$/);
  await expect(result.getByRole('status').filter({ hasText: 'on its way by email' })).toHaveText(
    `The link is on its way by email to ${recipientAddress}, without the password.`,
  );
  await expect(result.getByRole('img', { name: /QR code of the link/ })).toBeVisible();
  await expectNoViolations(page, 'the new link with its QR code');
  await result.getByRole('button', { name: 'Close' }).click();

  // The recipient's mail, at the SMTP server: in their words, with the note, the expiry and the link.
  const [invitation] = await receivedMail(recipientAddress);
  expect(invitation?.subject).toMatch(/^.+ shared 1 file and 1 folder with you$/);
  expect(invitation?.text).toMatch(/^.+ shared 1 file and 1 folder with you: report\.txt, album\.$/m);
  expect(invitation?.text).toContain('The numbers and the pictures');
  expect(invitation?.text).toMatch(/^The link works until .+ GMT\.$/m);
  expect(invitation?.text).toContain(`Open: ${url}\n`);
  expect(invitation?.html).toContain(`href="${url}"`);

  const guest = await recipient(browser);
  await guest.goto(url);
  await expect(guest.getByRole('heading', { level: 1 })).toHaveText(/shared 1 file \(.+\) and 1 folder with you/);
  await expect(guest.getByLabel(/Note from/)).toHaveText('The numbers and the pictures');
  await expect(guest.getByText(/This link works until/)).toBeVisible();
  await expectNoViolations(guest, 'the public share page');

  const one = await saveDownload(guest, () => guest.getByRole('button', { name: 'Download report.txt' }).click(), 'report.txt');
  expect(await sha256File(one)).toBe(sha256(shared.report.content));
  await expect(guest.getByTestId('download-status')).toHaveText('report.txt: downloaded.');

  await guest.getByRole('button', { name: 'album', exact: true }).click();
  await expect(guest.getByRole('button', { name: 'Download photo.bin' })).toBeVisible();
  const photo = await saveDownload(guest, () => guest.getByRole('button', { name: 'Download photo.bin' }).click(), 'photo.bin');
  expect(await sha256File(photo)).toBe(await sha256File(shared.photo.local));
  // A folder of the tree alone, as a zip named after it.
  const album = await saveDownload(guest, () => guest.getByRole('button', { name: 'Download album' }).click(), 'album.zip');
  expect([...(await readZip(album))].map(([name, hash]) => [path.posix.basename(name), hash])).toEqual([
    ['photo.bin', await sha256File(shared.photo.local)],
  ]);

  const zip = await saveDownload(guest, () => guest.getByRole('button', { name: 'Download all' }).click(), 'all.zip');
  const byName = new Map([...(await readZip(zip))].map(([name, hash]) => [path.posix.basename(name), hash]));
  expect(byName.get('report.txt')).toBe(sha256(shared.report.content));
  expect(byName.get('photo.bin')).toBe(await sha256File(shared.photo.local));

  // The sharer's list counts the four completed downloads once the node has reported them.
  await page.goto('/links');
  await expect(page.getByRole('heading', { name: 'My links' })).toBeVisible();
  const row = page.getByTestId('share-row').filter({ hasText: 'report.txt, album' });
  await expect(async () => {
    await page.reload();
    await expect(row.getByRole('cell', { name: '4', exact: true })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(row.getByText('Active')).toBeVisible();
  await expectNoViolations(page, 'my links');
});

test('a password link shows nothing until the password is given and refuses a wrong one; the sharer is told of the download by mail and the bell, never with the password', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const sharer = await logInAsNewUser(page, 'Ana Sharer');
  const shared = await prepare(page, sharer.api);
  const password = 'swordfish 42';
  const link = await share(shared, { paths: [`/${shared.folder}/report.txt`], password, notify: 'first' });
  const guest = await recipient(browser);
  await guest.goto(link.url);
  await expect(guest.getByRole('heading', { name: 'This link is protected' })).toBeVisible();
  await expect(guest.getByText('report.txt')).toHaveCount(0);
  await expectNoViolations(guest, 'the password form');
  await guest.getByLabel('Password', { exact: true }).fill('not it');
  await guest.getByRole('button', { name: 'Open' }).click();
  await expect(guest.getByRole('alert')).toContainText('The password is wrong.');
  expect(guest.url()).not.toContain('not it');
  await guest.getByLabel('Password', { exact: true }).fill(password);
  await guest.getByRole('button', { name: 'Open' }).click();
  const saved = await saveDownload(guest, () => guest.getByRole('button', { name: 'Download', exact: true }).click(), 'report.txt');
  expect(await sha256File(saved)).toBe(sha256(shared.report.content));

  // Once the node reports the download complete: one message at the SMTP server, in the sharer's words, with the link to their links.
  const [mail] = await receivedMail(sharer.email);
  expect(mail?.subject).toBe('Someone downloaded report.txt through your link');
  expect(mail?.text).toContain('report.txt was downloaded through your share link (download 1).');
  const myLinks = `http://localhost:${MAIN_SERVER.port}/links`;
  expect(mail?.text).toContain(`Open: ${myLinks}\n`);
  expect(mail?.html).toContain('report.txt was downloaded through your share link');
  expect(mail?.html).toContain(`href="${myLinks}"`);
  for (const part of [mail?.subject, mail?.text, mail?.html]) expect(part).not.toContain(password);

  // And under the bell, linking to My links.
  await page.goto('/files');
  await page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
  const notice = page
    .getByRole('region', { name: 'Notifications' })
    .getByRole('button', { name: /^Unread: Someone downloaded report\.txt through your link/ });
  await expect(notice).toBeVisible();
  await notice.click();
  await expect(page).toHaveURL(/\/links$/);
  await expect(page.getByRole('button', { name: 'Notifications, none unread' })).toBeVisible();
});

// The portal's default COURIER_LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: wrong passwords one source may try on one link per window.
const WRONG_PASSWORDS_PER_SOURCE = 5;

test("guessing a link's password is throttled: refused with 429 once the source has used its wrong tries, and then the right password waits too", async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const shared = await prepare(page);
  const password = 'correct horse 7';
  const link = await share(shared, { paths: [`/${shared.folder}/report.txt`], password });
  const guest = await recipient(browser);
  const unlock = (tried: string) =>
    guest.request.post(`/api/public/shares/${link.id}/unlock`, { data: { password: tried }, failOnStatusCode: false });

  // Wrong guesses until the portal refuses to check any more. Between wrong tries the portal also asks for a growing
  // pause (429 with a short Retry-After); the guesser here waits it out, as a patient one would, so what ends the
  // guessing is the count, whatever the pace of this machine.
  let wrong = 0;
  let refused: APIResponse | undefined;
  for (let attempt = 0; attempt < 4 * WRONG_PASSWORDS_PER_SOURCE && !refused; attempt++) {
    const answer = await unlock(`guess ${attempt}`);
    if (answer.status() === 401) {
      expect(((await answer.json()) as { code: string }).code).toBe('WRONG_PASSWORD');
      wrong += 1;
      continue;
    }
    expect(answer.status(), await answer.text()).toBe(429);
    if (wrong >= WRONG_PASSWORDS_PER_SOURCE) refused = answer;
    else await new Promise((resolve) => setTimeout(resolve, Number(answer.headers()['retry-after']) * 1000));
  }
  expect(wrong).toBe(WRONG_PASSWORDS_PER_SOURCE);
  expect(refused, 'a 429 once the wrong tries are used').toBeDefined();
  expect(((await refused!.json()) as { code: string }).code).toBe('TOO_MANY_ATTEMPTS');
  // The rest of the 15-minute window, not a pause of a few seconds.
  expect(Number(refused!.headers()['retry-after'])).toBeGreaterThan(60);

  // The right password is refused too until the window passes, and the page says why and shows nothing.
  expect((await unlock(password)).status()).toBe(429);
  await guest.goto(link.url);
  await guest.getByLabel('Password', { exact: true }).fill(password);
  await guest.getByRole('button', { name: 'Open' }).click();
  await expect(guest.getByRole('alert')).toContainText('Too many wrong passwords.');
  await expect(guest.getByText('report.txt')).toHaveCount(0);
  expect((await guest.request.get(`/api/public/shares/${link.id}`, { failOnStatusCode: false })).status()).toBe(401);
});

test('a limit of 1 is not used by opening the link, only by a completed download; then the page says used up', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const shared = await prepare(page);
  // Large enough that a download stopped after its first chunk is unfinished on the node.
  const big = path.join(tempDir('courier-share-big-'), 'big.bin');
  writeRandomFile(big, 24 * 1024 * 1024);
  await filesPage(page).filesInput.setInputFiles(big);
  await expect(filesPage(page).entry('big.bin')).toBeVisible({ timeout: 30_000 });
  const link = await share(shared, { paths: [`/${shared.folder}/big.bin`], maxDownloads: 1 });
  const guest = await recipient(browser);
  for (let i = 0; i < 3; i++) {
    await guest.goto(link.url);
    await expect(guest.getByRole('button', { name: 'Download big.bin' })).toBeVisible();
  }
  expect((await guest.request.head(link.url)).status()).toBe(200);

  // A download that stops midway: the spec as the page asks for it, the bytes cut after the first chunk.
  const asked = await guest.request.post(`/api/public/shares/${link.id}/downloads`, { data: { paths: ['/big.bin'] } });
  expect(asked.status()).toBe(201);
  const { transferSpec, clients } = (await asked.json()) as { transferSpec: object; clients: Array<{ url?: string }> };
  const stop = new AbortController();
  const response = await fetch(`${clients[0]?.url ?? ''}/v3/download`, {
    headers: { 'x-aspera-spec': Buffer.from(JSON.stringify(transferSpec)).toString('base64') },
    signal: stop.signal,
  });
  const reader = response.body!.getReader();
  await reader.read();
  stop.abort();
  await reader.read().catch(() => undefined);
  await expect
    .poll(
      async () => (await shared.api.get<{ receipts: Array<{ outcome: string }> }>(`/api/shares/${link.id}`)).receipts.map((r) => r.outcome),
      {
        timeout: 20_000,
      },
    )
    .toEqual(['partial']);
  expect(await downloadsOf(shared, link.id)).toMatchObject({ downloads: 0, status: 'active' });

  const saved = await saveDownload(guest, () => guest.getByRole('button', { name: 'Download', exact: true }).click(), 'big.bin');
  expect(await sha256File(saved)).toBe(await sha256File(big));
  await expect.poll(async () => (await downloadsOf(shared, link.id)).status, { timeout: 20_000 }).toBe('used-up');
  await guest.reload();
  await expect(guest.getByRole('heading', { name: 'This link has been used up' })).toBeVisible();
  await expect(guest.getByText('big.bin')).toHaveCount(0);
});

test('an expired link and a revoked one show the 410 page saying which', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const shared = await prepare(page);
  const expiring = await share(shared, { paths: [`/${shared.folder}/album`], expiresAt: new Date(Date.now() + 1500).toISOString() });
  const revoked = await share(shared, { paths: [`/${shared.folder}/report.txt`], note: `revoke me ${shared.folder}` });
  const guest = await recipient(browser);

  await guest.goto(revoked.url);
  await expect(guest.getByRole('button', { name: 'Download report.txt' })).toBeVisible();
  await page.goto('/links');
  const row = page
    .getByTestId('share-row')
    .filter({ hasText: 'report.txt' })
    .filter({ has: page.getByRole('button', { name: 'Revoke the link to report.txt' }) })
    .first();
  await row.getByRole('button', { name: 'Revoke the link to report.txt' }).click();
  await page
    .getByRole('dialog', { name: /Revoke the link/ })
    .getByRole('button', { name: 'Revoke' })
    .click();
  await expect.poll(async () => (await downloadsOf(shared, revoked.id)).status).toBe('revoked');
  await guest.reload();
  await expect(guest.getByRole('heading', { name: 'This link was revoked' })).toBeVisible();
  await expectNoViolations(guest, 'the 410 page');

  await expect(async () => {
    await guest.goto(expiring.url);
    await expect(guest.getByRole('heading', { name: 'This link has expired' })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(guest.getByText('album')).toHaveCount(0);
});

test("a space's manager can show that space's links, with who made each; an admin can show everyone's", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const admin = await logInByApi(page);
  const suffix = randomUUID().slice(0, 8);
  const password = 'e2e-admin-Passw0rd!';
  const manager = await admin.post<{ id: string }>('/api/users', { username: `mgr-${suffix}`, displayName: `Mara ${suffix}`, password });
  const member = await admin.post<{ id: string }>('/api/users', { username: `mem-${suffix}`, displayName: `Milo ${suffix}`, password });
  const space = await admin.post<{ id: string; name: string }>('/api/spaces', { name: `Team ${suffix}` });
  await admin.put(`/api/spaces/${space.id}/members`, { principalType: 'user', principalId: manager.id, role: 'manager' });
  await admin.put(`/api/spaces/${space.id}/members`, { principalType: 'user', principalId: member.id, role: 'contributor' });
  await admin.post(`/api/spaces/${space.id}/folders`, { path: '/Plans' });

  // The member shares the folder, from a browser of their own.
  const memberContext = await browser.newContext();
  const memberApi = await logInByApi(await memberContext.newPage(), { username: `mem-${suffix}`, password });
  await memberApi.post('/api/shares', { spaceId: space.id, paths: ['/Plans'] });
  await memberContext.close();

  // The manager: their own links by default (none), the space's on choice.
  await page.context().clearCookies();
  await logInByApi(page, { username: `mgr-${suffix}`, password });
  await page.goto('/links');
  await expect(page.getByText('You have not shared anything yet')).toBeVisible();
  const show = page.getByRole('combobox', { name: 'Show' });
  await expect(show.getByRole('option')).toHaveText(['My links', `Links in Team ${suffix}`]);
  await show.selectOption({ label: `Links in Team ${suffix}` });
  const table = page.getByRole('table', { name: `Links in Team ${suffix}` });
  await expect(table.getByRole('columnheader', { name: 'Shared by' })).toBeVisible();
  const row = table.getByTestId('share-row').filter({ hasText: 'Plans' });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell', { name: `Milo ${suffix}` })).toBeVisible();
  await expect(row.getByRole('button', { name: 'Revoke the link to Plans' })).toBeVisible();
  await page.mouse.move(0, 0);
  await expectNoViolations(page, "a space's links, as its manager sees them");

  // An admin: everyone's links, this one among them.
  await page.context().clearCookies();
  await logInByApi(page);
  await page.goto('/links');
  await page.getByRole('combobox', { name: 'Show' }).selectOption({ label: "Everyone's links" });
  const everyone = page.getByRole('table', { name: "Everyone's links" });
  await expect(everyone.getByTestId('share-row').filter({ hasText: `Milo ${suffix}` })).toHaveCount(1);
  await expectNoViolations(page, "everyone's links, as an admin sees them");
});

test('a recipient with IBM Aspera for Desktop downloads through the link with Desktop, and its completed download uses up a limit of 1', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const api = await logInByApi(page);
  const root = `/e2e-desktop-share-${randomUUID().slice(0, 8)}`;
  mkdirSync(docroot(root), { recursive: true });
  const local = docroot(root, 'plans.bin');
  writeRandomFile(local, 2 * 1024 * 1024);
  // Desktop needs a FASP server: the portal offers it for spaces on an HSTS node only.
  const space = await spaceOnHstsNode(api, root);
  const { share: link } = await api.post<{ share: { id: string; url: string } }>('/api/shares', {
    spaceId: space.id,
    paths: ['/plans.bin'],
    maxDownloads: 1,
  });

  const guest = await recipient(browser);
  await installFakeAsperaSdk(guest, ASPERA_SDK_URL, { status: 'RUNNING', stepMs: 200 });
  await guest.goto(link.url);
  const downloadWith = guest.getByRole('combobox', { name: 'Download with' });
  await expect(downloadWith).toHaveValue('auto');
  await expect(guest.getByText('IBM Aspera for Desktop is running.')).toBeVisible();
  await expectNoViolations(guest, 'the public share page offering Desktop');

  const answer = guest.waitForResponse((r) => r.url().endsWith(`/api/public/shares/${link.id}/downloads`));
  await guest.getByRole('button', { name: 'Download', exact: true }).click();
  const authorized = (await (await answer).json()) as { clients: Array<{ type: string; url?: string }> };
  expect(authorized.clients.map((c) => c.type).sort()).toEqual(['desktop', 'http-gateway']);
  const started = () =>
    guest.evaluate(
      () => (window as unknown as { __fakeAsperaSdk: { started: Array<{ spec: Record<string, unknown> }> } }).__fakeAsperaSdk.started,
    );
  await expect.poll(async () => (await started()).length).toBe(1);
  const [{ spec }] = (await started()) as [{ spec: Record<string, unknown> }];
  expect(spec).toMatchObject({
    direction: 'receive',
    authentication: 'token',
    paths: [expect.objectContaining({ source: expect.any(String) })],
  });
  await expect(guest.getByTestId('download-status')).toHaveText('plans.bin: downloaded by IBM Aspera for Desktop.', { timeout: 15_000 });

  // What Desktop then does outside the browser, with the very spec the page handed it: fetch the
  // file from the node under the spec's token (here over the node's gateway: the embedded node
  // speaks no FASP), and the node records the transfer the portal's tracker counts.
  expect(await downloadsOf({ api }, link.id)).toMatchObject({ downloads: 0, status: 'active' });
  const gateway = authorized.clients.find((c) => c.type === 'http-gateway')?.url ?? '';
  const carried = await fetch(`${gateway}/v3/download`, {
    headers: { 'x-aspera-spec': Buffer.from(JSON.stringify(spec)).toString('base64') },
  });
  expect(carried.status).toBe(200);
  expect(sha256(Buffer.from(await carried.arrayBuffer()))).toBe(await sha256File(local));
  await expect.poll(async () => (await downloadsOf({ api }, link.id)).status, { timeout: 20_000 }).toBe('used-up');
  const { receipts } = await api.get<{ receipts: Array<{ outcome: string; client: string | null }> }>(`/api/shares/${link.id}`);
  expect(receipts).toEqual([expect.objectContaining({ outcome: 'complete', client: 'desktop' })]);
  await guest.reload();
  await expect(guest.getByRole('heading', { name: 'This link has been used up' })).toBeVisible();
});
