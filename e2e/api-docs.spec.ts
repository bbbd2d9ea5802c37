import { expect, test } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { logInByApi } from './support/portal-api';
import { shell } from './support/pages';

// The API reference page (docs/api.md §7): /api/openapi.json rendered for people, reached from the
// profile's API tokens, filtered from the keyboard, axe clean.
test('the API tokens section links to a reference of every route, which filters and passes axe', async ({ page }) => {
  await logInByApi(page);
  const openapi = (await (await page.request.get('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
  const routeCount = Object.values(openapi.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);

  await page.goto('/profile');
  await page.getByRole('link', { name: 'API reference' }).click();
  await expect(shell(page).heading).toHaveText('API reference');
  await expect(page.getByRole('status').filter({ hasText: /routes$/ })).toHaveText(`${routeCount} routes`);

  // One route whole: method and path, summary, who may call it, its body and its answers.
  const create = page.getByRole('article', { name: 'POST /api/profile/tokens' });
  await expect(create).toContainText('Create a personal API token');
  await expect(create).toContainText('Session only (no token)');
  await expect(create.getByRole('heading', { name: 'Request body (JSON)' })).toBeVisible();
  await expect(create).toContainText('scopes: ("read" | "transfer" | "admin")[];');
  await expect(create).toContainText('secret: string;');
  await expect(page.getByRole('article', { name: 'GET /api/spaces/{spaceId}/files' })).toContainText('Token scope: read');
  await expectNoViolations(page, '/api-docs');

  await page.getByRole('searchbox', { name: 'Filter routes' }).focus();
  await page.keyboard.type('post transfers');
  await expect(page.getByRole('article', { name: 'POST /api/transfers' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'GET /api/spaces' })).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'match' })).toContainText('match “post transfers”');
});
