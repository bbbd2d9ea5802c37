/**
 * A transfer's start whose answer is lost (docs/api.md §8): the portal authorized and recorded the
 * upload, but the answer never reached the page (the instance died and nginx answered 502 for it).
 * The page sends the same request again, with the same Idempotency-Key and body, and the portal
 * answers the transfer it already made with a fresh spec: the person sees one normal upload, the
 * history holds one transfer, and the file lands once.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createFolder, filesPage, openFolder, transferRow } from './support/files-page';
import { docroot } from './support/docroot';
import { logInAsNewUser } from './support/portal-api';
import { tempDir, writeText } from './support/local-files';

test('an upload whose authorization answer was lost is started once, with no error shown', async ({ page }) => {
  const { api, username } = await logInAsNewUser(page, 'Ida Retry');
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  const folder = `Lost ${randomUUID().slice(0, 8)}`;
  await createFolder(page, folder);
  await openFolder(page, folder);

  const sent: Array<{ key: string | null; body: string | null; answeredId: string }> = [];
  await page.route('**/api/transfers', async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    const response = await route.fetch();
    const answered = (await response.json()) as { transfer: { id: string } };
    sent.push({
      key: await route.request().headerValue('idempotency-key'),
      body: route.request().postData(),
      answeredId: answered.transfer.id,
    });
    // The first answer dies on its way back, as behind nginx when the instance is killed.
    if (sent.length === 1)
      return route.fulfill({ status: 502, contentType: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' });
    return route.fulfill({ response });
  });

  const file = path.join(tempDir('courier-lost-answer-'), 'report.txt');
  const content = `lost answer ${randomUUID()}\n`;
  writeText(file, content);
  await filesPage(page).filesInput.setInputFiles(file);
  await expect(filesPage(page).entry('report.txt')).toBeVisible({ timeout: 20_000 });

  // One request made twice, the same key and body, answered with the same transfer.
  expect(sent).toHaveLength(2);
  expect(sent[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
  expect(sent[1]!.key).toBe(sent[0]!.key);
  expect(sent[1]!.body).toBe(sent[0]!.body);
  expect(sent[1]!.answeredId).toBe(sent[0]!.answeredId);
  expect(readFileSync(docroot('home', username, folder, 'report.txt'), 'utf8')).toBe(content);

  // Nothing failed in the person's eyes, and the history has the one transfer, completed.
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transfers' }).click();
  await expect(transferRow(page, `report.txt to ${folder}`).status).toHaveText('Completed');
  await expect(page.getByRole('list', { name: 'Transfers', exact: true }).getByRole('listitem')).toHaveCount(1);
  // The record ends when the portal's tracker next reads the node; the page saw the end first.
  const history = async () =>
    (await api.get<{ transfers: Array<{ id: string; status: string }> }>('/api/transfers')).transfers.map((t) => [t.id, t.status]);
  await expect.poll(history, { timeout: 15_000 }).toEqual([[sent[0]!.answeredId, 'completed']]);
});
