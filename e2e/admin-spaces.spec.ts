import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { docroot } from './support/docroot';
import { logInByApi, type PortalApi } from './support/portal-api';

type AdminSpace = { id: string; name: string; rootPath: string; nodeName: string };

async function findSpace(api: PortalApi, name: string): Promise<AdminSpace | undefined> {
  const { spaces } = await api.get<{ spaces: AdminSpace[] }>(`/api/admin/spaces?q=${encodeURIComponent(name)}`);
  return spaces.find((s) => s.name === name);
}

async function openSpaces(page: Page, search: string) {
  await page.goto('/admin/spaces');
  await expect(page.getByRole('heading', { name: 'Spaces', level: 1 })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search spaces by name or folder' }).fill(search);
}

test('an admin creates a space on a chosen node and folder, and an overlapping folder is refused with the reason', async ({ page }) => {
  const api = await logInByApi(page);
  const suffix = randomUUID().slice(0, 8);
  const root = `/e2e-admin/${suffix}/alpha`;
  await openSpaces(page, suffix);

  await page.getByRole('button', { name: 'Create space' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create a space' });
  await dialog.getByLabel('Name').fill(`Alpha ${suffix}`);
  await dialog.getByLabel('Node', { exact: true }).selectOption({ label: 'embedded' });
  await dialog.getByLabel('Folder on the node (optional)').fill(root);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `Space Alpha ${suffix} created.` })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(`Alpha ${suffix}`) })).toContainText(root);
  expect(await findSpace(api, `Alpha ${suffix}`)).toMatchObject({ rootPath: root, nodeName: 'embedded' });
  expect(existsSync(docroot(root))).toBe(true);

  await page.getByRole('button', { name: 'Create space' }).click();
  await dialog.getByLabel('Name').fill(`Inner ${suffix}`);
  await dialog.getByLabel('Folder on the node (optional)').fill(`${root}/inner`);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByText(`lies inside the folder of the space "Alpha ${suffix}" (${root})`)).toBeVisible();
  expect(await findSpace(api, `Inner ${suffix}`)).toBeUndefined();
});

test('renaming a space keeps its folder and files; deleting keeps or deletes the files as chosen', async ({ page }) => {
  const api = await logInByApi(page);
  const suffix = randomUUID().slice(0, 8);
  const kept = await api.post<{ id: string }>('/api/spaces', { name: `Kept ${suffix}`, rootPath: `/e2e-admin/${suffix}/kept` });
  const gone = await api.post<{ id: string }>('/api/spaces', { name: `Gone ${suffix}`, rootPath: `/e2e-admin/${suffix}/gone` });
  for (const id of [kept.id, gone.id]) await api.post(`/api/spaces/${id}/folders`, { path: '/Reports' });
  expect(existsSync(docroot('e2e-admin', suffix, 'kept', 'Reports'))).toBe(true);
  await openSpaces(page, suffix);

  await page.getByRole('button', { name: `Rename Kept ${suffix}` }).click();
  const rename = page.getByRole('dialog', { name: `Rename Kept ${suffix}` });
  await rename.getByLabel('New name').fill(`Renamed ${suffix}`);
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Space renamed to Renamed ${suffix}.` })).toBeVisible();
  expect(await findSpace(api, `Renamed ${suffix}`)).toMatchObject({ id: kept.id, rootPath: `/e2e-admin/${suffix}/kept` });
  expect(existsSync(docroot('e2e-admin', suffix, 'kept', 'Reports'))).toBe(true);

  await page.getByRole('button', { name: `Delete Renamed ${suffix}` }).click();
  const keep = page.getByRole('dialog', { name: `Delete Renamed ${suffix}?` });
  await expect(keep.getByRole('radio', { name: 'Keep the files on the node' })).toBeChecked();
  await keep.getByRole('button', { name: 'Delete space' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Space Renamed ${suffix} deleted; its files stay on the node.` })).toBeVisible();
  expect(await findSpace(api, `Renamed ${suffix}`)).toBeUndefined();
  expect(existsSync(docroot('e2e-admin', suffix, 'kept', 'Reports'))).toBe(true);

  await page.getByRole('button', { name: `Delete Gone ${suffix}` }).click();
  const drop = page.getByRole('dialog', { name: `Delete Gone ${suffix}?` });
  await drop.getByText('Delete the files too (cannot be undone)').click();
  const confirm = drop.getByRole('button', { name: 'Delete space and files' });
  await expect(confirm).toBeDisabled();
  await drop.getByLabel(`Type the space's name, Gone ${suffix}, to confirm`).fill(`gone ${suffix}`);
  await expect(confirm).toBeDisabled();
  await drop.getByLabel(`Type the space's name, Gone ${suffix}, to confirm`).fill(`Gone ${suffix}`);
  await confirm.click();
  await expect(page.getByRole('status').filter({ hasText: `Space Gone ${suffix} and its files deleted.` })).toBeVisible();
  expect(await findSpace(api, `Gone ${suffix}`)).toBeUndefined();
  expect(existsSync(docroot('e2e-admin', suffix, 'gone'))).toBe(false);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`in the ${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test('the admin spaces screen and its dialogs have no axe violations', async ({ page }) => {
      const api = await logInByApi(page);
      const suffix = randomUUID().slice(0, 8);
      await api.post('/api/spaces', { name: `A11y ${suffix}`, rootPath: `/e2e-admin/${suffix}/a11y` });
      await openSpaces(page, suffix);
      await expect(page.getByRole('row', { name: new RegExp(`A11y ${suffix}`) })).toBeVisible();
      await expectNoViolations(page, 'admin spaces');
      await page.getByRole('button', { name: 'Create space' }).click();
      await expect(page.getByRole('dialog', { name: 'Create a space' })).toBeVisible();
      await expectNoViolations(page, 'create space dialog');
      await page.getByRole('dialog', { name: 'Create a space' }).getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: `Delete A11y ${suffix}` }).click();
      const remove = page.getByRole('dialog', { name: `Delete A11y ${suffix}?` });
      await remove.getByText('Delete the files too (cannot be undone)').click();
      await expect(remove.getByLabel(/Type the space's name/)).toBeVisible();
      await expectNoViolations(page, 'delete space dialog');
    });
  });
}
