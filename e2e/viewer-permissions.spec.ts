import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { filesPage } from './support/files-page';
import { logInByApi } from './support/portal-api';

test('a viewer sees no upload, folder or delete actions, and the API refuses them when forced', async ({ browser, page }) => {
  test.setTimeout(60_000);
  const admin = await logInByApi(page);
  const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
  const username = `viewer${suffix}`;
  const password = 'viewer-Passw0rd!';
  const user = await admin.post<{ id: string }>('/api/users', { username, displayName: 'Vera Viewer', password });
  const space = await admin.post<{ id: string; name: string }>('/api/spaces', { name: `Shared ${suffix}` });
  await admin.put(`/api/spaces/${space.id}/members`, { principalType: 'user', principalId: user.id, role: 'viewer' });
  await admin.post(`/api/spaces/${space.id}/folders`, { path: '/Reports' });

  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const viewerPage = await context.newPage();
  const viewer = await logInByApi(viewerPage, { username, password });
  await viewerPage.goto('/files');
  await viewerPage.getByRole('link', { name: space.name }).click();
  const files = filesPage(viewerPage);
  await expect(files.heading).toHaveText(space.name);
  await expect(files.entry('Reports')).toBeVisible();
  await files.entry('Reports').click();
  await expect(files.download).toBeVisible();
  await expect(files.uploadFiles).toHaveCount(0);
  await expect(files.uploadFolder).toHaveCount(0);
  await expect(files.newFolder).toHaveCount(0);
  await expect(files.delete).toHaveCount(0);
  await expect(viewerPage.getByRole('button', { name: 'Rename' })).toHaveCount(0);
  await expect(files.filesInput).toHaveCount(0);

  const upload = await viewer.raw('POST', '/api/transfers', {
    spaceId: space.id,
    direction: 'upload',
    folder: '/',
    files: [{ path: 'forced.txt', size: 1 }],
  });
  expect(upload.status()).toBe(403);
  expect(((await upload.json()) as { code: string }).code).toBe('FORBIDDEN');
  const remove = await viewer.raw('POST', `/api/spaces/${space.id}/delete`, { paths: ['/Reports'] });
  expect(remove.status()).toBe(403);
  expect(((await remove.json()) as { code: string }).code).toBe('FORBIDDEN');
  const mkdir = await viewer.raw('POST', `/api/spaces/${space.id}/folders`, { path: '/Forced' });
  expect(mkdir.status()).toBe(403);
  await context.close();
});
