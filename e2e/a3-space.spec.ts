import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { docroot } from './support/docroot';
import { filesPage } from './support/files-page';
import { sha256, sha256File } from './support/local-files';
import { logInByApi } from './support/portal-api';
import { MAIN_SERVER } from './support/servers';

const PASSWORD = 'a3-member-Passw0rd!';

/** The embedded node's Node API URL and credentials, as e2e/support/hsts-space.ts finds them. */
function embeddedNode() {
  const secrets = JSON.parse(readFileSync(path.join(process.env.COURIER_E2E_DATA_DIR!, 'node', 'secrets.json'), 'utf8')) as {
    node_user: string;
    node_password: string;
  };
  return { url: `http://127.0.0.1:${MAIN_SERVER.nodePort}`, username: secrets.node_user, password: secrets.node_password };
}

// Issue 16, A3 (docs/node-api.md §6.5): an access-key node added with bearer tokens; a member of a
// space on it browses, uploads and downloads on the Files page, each step under a token of their own.
test('a space on an A3 node: a member browses, uploads and downloads with their own bearer token', async ({ page }) => {
  test.setTimeout(90_000);
  const admin = await logInByApi(page);
  const node = embeddedNode();
  const suffix = randomUUID().slice(0, 8);
  mkdirSync(docroot(`a3-${suffix}`), { recursive: true });
  const created = await fetch(`${node.url}/access_keys`, {
    method: 'POST',
    headers: {
      authorization: 'Basic ' + Buffer.from(`${node.username}:${node.password}`).toString('base64'),
      'content-type': 'application/json',
    },
    body: JSON.stringify({ storage: { type: 'local', path: `/a3-${suffix}` } }),
  });
  expect(created.status).toBe(200);
  const key = (await created.json()) as { id: string; secret: string };
  const { nodes } = await admin.get<{ nodes: Array<{ id: string; name: string; kind: string; gatewayUrl: string | null }> }>(
    '/api/admin/nodes',
  );

  await page.goto('/admin/nodes');
  await page.getByRole('button', { name: 'Add node' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a node' });
  const name = `A3 ${suffix}`;
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Node API URL').fill(node.url);
  await dialog.getByText('An access key (only the key’s storage)').click();
  await dialog.getByLabel('Access key id', { exact: true }).fill(key.id);
  await dialog.getByLabel('Access key secret', { exact: true }).fill(key.secret);
  await dialog.getByLabel('HTTP Gateway URL (optional)').fill(nodes.find((n) => n.kind === 'embedded')!.gatewayUrl!);
  await dialog.getByText(/Bearer tokens \(A3\)/).click();
  await expect(dialog.getByRole('checkbox', { name: /Bearer tokens \(A3\)/ })).toBeChecked();
  await expectNoViolations(page, 'the add-node dialog with A3');
  await dialog.getByRole('button', { name: 'Test and add' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('A3 bearer tokens');

  const added = (await admin.get<{ nodes: Array<{ id: string; name: string }> }>('/api/admin/nodes')).nodes.find((n) => n.name === name)!;
  const space = await admin.post<{ id: string; name: string }>('/api/spaces', {
    name: `A3 team ${suffix}`,
    nodeId: added.id,
    rootPath: '/team',
  });
  const username = `a3-${suffix}`;
  const member = await admin.post<{ id: string }>('/api/users', { username, displayName: 'Ada Member', password: PASSWORD });
  await admin.put(`/api/spaces/${space.id}/members`, { principalType: 'user', principalId: member.id, role: 'contributor' });

  await page.context().clearCookies();
  await logInByApi(page, { username, password: PASSWORD });
  await page.goto('/files');
  await page.getByRole('link', { name: space.name }).click();
  const files = filesPage(page);
  await expect(files.heading).toHaveText(space.name);

  const content = `for the A3 team ${suffix}\n`.repeat(200);
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'brief.txt', { type: 'text/plain' }));
    return dt;
  }, content);
  const authorized = page.waitForResponse((r) => r.url().endsWith('/api/transfers') && r.request().method() === 'POST');
  const zone = page.locator('section.courier-files');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
  // The spec the browser carries holds the member's bearer token, not a portal-made transfer token.
  const spec = ((await (await authorized).json()) as { transferSpec: { token: string } }).transferSpec;
  expect(spec.token).toMatch(/^Bearer /);
  await expect(files.entry('brief.txt')).toBeVisible({ timeout: 20_000 });
  expect(readFileSync(docroot(`a3-${suffix}`, 'team', 'brief.txt'), 'utf8')).toBe(content);

  await files.entry('brief.txt').click();
  const [download] = await Promise.all([page.waitForEvent('download'), files.download.click()]);
  const saved = test.info().outputPath('brief.txt');
  await download.saveAs(saved);
  expect(await sha256File(saved)).toBe(sha256(content));
});
