import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { partialUpload } from '../test-kit/gateway-upload';
import { expectNoViolations } from './support/axe';
import { docroot } from './support/docroot';
import { filesPage, createFolder, openFolder } from './support/files-page';
import { sha256, sha256File } from './support/local-files';
import { logInByApi } from './support/portal-api';
import { MAIN_SERVER } from './support/servers';

/** The embedded node's Node API URL and credentials, as e2e/support/hsts-space.ts finds them. */
function embeddedNode() {
  const secrets = JSON.parse(readFileSync(path.join(process.env.COURIER_E2E_DATA_DIR!, 'node', 'secrets.json'), 'utf8')) as {
    node_user: string;
    node_password: string;
  };
  return { url: `http://127.0.0.1:${MAIN_SERVER.nodePort}`, username: secrets.node_user, password: secrets.node_password };
}

async function openNodes(page: Page) {
  await page.goto('/admin/nodes');
  await expect(page.getByRole('heading', { name: 'Nodes', level: 1 })).toBeVisible();
}

type Node = { id: string; name: string; reachable: boolean; spaceCount: number };

test("an admin adds a node: wrong credentials are refused with the node's reason, the right ones are saved", async ({ page }) => {
  const api = await logInByApi(page);
  const node = embeddedNode();
  const name = `Second ${randomUUID().slice(0, 8)}`;
  await openNodes(page);
  await expect(page.getByRole('row', { name: /embedded/ })).toContainText('Reachable');

  await page.getByRole('button', { name: 'Add node' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a node' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Node API URL').fill(node.url);
  await dialog.getByLabel('Node user', { exact: true }).fill(node.username);
  await dialog.getByLabel('Password', { exact: true }).fill('not-the-password');
  await dialog.getByRole('button', { name: 'Test and add' }).click();
  await expect(dialog.getByText(/the node refused the credentials \(HTTP 401: .+\)/)).toBeVisible();
  expect((await api.get<{ nodes: Node[] }>('/api/admin/nodes')).nodes.map((n) => n.name)).not.toContain(name);

  await dialog.getByLabel('Password', { exact: true }).fill(node.password);
  await dialog.getByRole('button', { name: 'Test and add' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `Node ${name} added.` })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('Reachable');
  const added = (await api.get<{ nodes: Node[] }>('/api/admin/nodes')).nodes.find((n) => n.name === name);
  expect(added).toMatchObject({ reachable: true });

  // Editing never shows the stored secret; left empty it is kept.
  await page.getByRole('button', { name: `Edit ${name}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit ${name}` });
  await expect(edit.getByLabel('Password', { exact: true })).toHaveValue('');
  // The packages folder is the admin's to choose (docs/packages.md §1).
  const packagesRoot = `/packages-${randomUUID().slice(0, 8)}`;
  await edit.getByLabel('Packages folder (optional)').fill(packagesRoot);
  await edit.getByRole('button', { name: 'Test and save' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Node ${name} updated.` })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(name) }).getByTestId('node-packages-root')).toHaveText(packagesRoot);
  expect(
    (await api.get<{ nodes: Array<Node & { packagesRoot: string | null }> }>('/api/admin/nodes')).nodes.find((n) => n.name === name),
  ).toMatchObject({ packagesRoot });
  expect(await page.content()).not.toContain(node.password);

  await page.getByRole('button', { name: `Remove ${name}` }).click();
  await page
    .getByRole('dialog', { name: `Remove ${name}?` })
    .getByRole('button', { name: 'Remove' })
    .click();
  await expect(page.getByRole('status').filter({ hasText: `Node ${name} removed.` })).toBeVisible();
  expect((await api.get<{ nodes: Node[] }>('/api/admin/nodes')).nodes.map((n) => n.name)).not.toContain(name);
});

test('an access-key node: added in the dialog as a key, its space works on the Files page inside the key’s storage', async ({ page }) => {
  test.setTimeout(90_000);
  const api = await logInByApi(page);
  const node = embeddedNode();
  const suffix = randomUUID().slice(0, 8);
  mkdirSync(docroot(`tenant-${suffix}`), { recursive: true });
  const created = await fetch(`${node.url}/access_keys`, {
    method: 'POST',
    headers: {
      authorization: 'Basic ' + Buffer.from(`${node.username}:${node.password}`).toString('base64'),
      'content-type': 'application/json',
    },
    body: JSON.stringify({ storage: { type: 'local', path: `/tenant-${suffix}` } }),
  });
  expect(created.status).toBe(200);
  const key = (await created.json()) as { id: string; secret: string };
  const { nodes } = await api.get<{ nodes: Array<Node & { kind: string; gatewayUrl: string | null }> }>('/api/admin/nodes');
  const gatewayUrl = nodes.find((n) => n.kind === 'embedded')!.gatewayUrl!;

  await openNodes(page);
  await page.getByRole('button', { name: 'Add node' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a node' });
  const name = `Tenant ${suffix}`;
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Node API URL').fill(node.url);
  // Carbon hides the radio itself under its label: a person clicks the label.
  await dialog.getByText('An access key (only the key’s storage)').click();
  await expect(dialog.getByRole('radio', { name: /An access key/ })).toBeChecked();
  // The node user's credentials are not an access key: refused before anything is saved.
  await dialog.getByLabel('Access key id', { exact: true }).fill(node.username);
  await dialog.getByLabel('Access key secret', { exact: true }).fill(node.password);
  await dialog.getByLabel('HTTP Gateway URL (optional)').fill(gatewayUrl);
  await dialog.getByRole('button', { name: 'Test and add' }).click();
  await expect(dialog.getByText(/these credentials are not an access key on this node/)).toBeVisible();
  await dialog.getByLabel('Access key id', { exact: true }).fill(key.id);
  await dialog.getByLabel('Access key secret', { exact: true }).fill(key.secret);
  await dialog.getByRole('button', { name: 'Test and add' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('Reachable');
  await expect(row).toContainText('Access key');
  expect(await page.content()).not.toContain(key.secret);

  const added = (await api.get<{ nodes: Node[] }>('/api/admin/nodes')).nodes.find((n) => n.name === name)!;
  const space = await api.post<{ id: string; name: string }>('/api/spaces', {
    name: `On key ${suffix}`,
    nodeId: added.id,
    rootPath: '/shared',
  });
  await page.goto('/files');
  await page.getByRole('link', { name: space.name }).click();
  const files = filesPage(page);
  await expect(files.heading).toHaveText(space.name);
  await createFolder(page, 'inbox');
  await openFolder(page, 'inbox');
  const content = `for the tenant ${suffix}\n`.repeat(200);
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'note.txt', { type: 'text/plain' }));
    return dt;
  }, content);
  const zone = page.locator('section.courier-files');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
  await expect(files.entry('note.txt')).toBeVisible({ timeout: 20_000 });
  // On disk inside the key's storage, nowhere else.
  expect(readFileSync(docroot(`tenant-${suffix}`, 'shared', 'inbox', 'note.txt'), 'utf8')).toBe(content);
  expect(existsSync(docroot('shared'))).toBe(false);

  await files.entry('note.txt').click();
  const [download] = await Promise.all([page.waitForEvent('download'), files.download.click()]);
  const saved = test.info().outputPath('note.txt');
  await download.saveAs(saved);
  expect(await sha256File(saved)).toBe(sha256(content));
});

test('removing a node a space uses is refused, naming the space', async ({ page }) => {
  const api = await logInByApi(page);
  const suffix = randomUUID().slice(0, 8);
  const node = embeddedNode();
  const added = await api.post<{ id: string; name: string }>('/api/nodes', {
    name: `Used ${suffix}`,
    url: node.url,
    username: node.username,
    secret: node.password,
  });
  await api.post('/api/spaces', { name: `On used ${suffix}`, nodeId: added.id, rootPath: `/e2e-nodes/${suffix}` });
  await openNodes(page);
  await page.getByRole('button', { name: `Remove ${added.name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Remove ${added.name}?` });
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(dialog.getByText(`Spaces still use this node: "On used ${suffix}". Delete them first.`)).toBeVisible();
  expect((await api.get<{ nodes: Node[] }>('/api/admin/nodes')).nodes.find((n) => n.id === added.id)).toMatchObject({ spaceCount: 1 });
});

test("a node's transfers view shows an upload while it runs", async ({ page }) => {
  const api = await logInByApi(page);
  const suffix = randomUUID().slice(0, 8);
  const space = await api.post<{ id: string }>('/api/spaces', { name: `Running ${suffix}`, rootPath: `/e2e-nodes/running-${suffix}` });
  const size = 4_000_000;
  const authorized = await api.post<{ transferSpec: Record<string, unknown> }>('/api/transfers', {
    spaceId: space.id,
    direction: 'upload',
    folder: '/',
    files: [{ path: `held-${suffix}.bin`, size }],
  });

  const { nodes } = await api.get<{ nodes: Array<Node & { gatewayUrl: string | null; kind: string }> }>('/api/admin/nodes');
  const embedded = nodes.find((n) => n.kind === 'embedded')!;
  const upload = partialUpload(embedded.gatewayUrl!, authorized.transferSpec, { path: `held-${suffix}.bin`, size }, 1_000_000);
  try {
    await openNodes(page);
    await page.getByRole('button', { name: `Transfers on ${embedded.name}` }).click();
    const view = page.getByRole('dialog', { name: `Running transfers on ${embedded.name}` });
    const row = view.getByRole('row', { name: new RegExp(`held-${suffix}\\.bin`) });
    await expect(row).toContainText('running');
    await expect(row).toContainText('0 of 1 files');
    await expectNoViolations(page, 'node transfers');
  } finally {
    upload.finish();
    await upload.response;
  }
});

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`in the ${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test('the admin nodes screen and its add dialog have no axe violations', async ({ page }) => {
      await logInByApi(page);
      await openNodes(page);
      await expect(page.getByRole('row', { name: /embedded/ })).toContainText('Reachable');
      await expectNoViolations(page, 'admin nodes');
      await page.getByRole('button', { name: 'Add node' }).click();
      await expect(page.getByRole('dialog', { name: 'Add a node' })).toBeVisible();
      await expectNoViolations(page, 'add node dialog');
    });
  });
}
