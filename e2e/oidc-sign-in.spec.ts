import { rmSync } from 'node:fs';
import { expect, request as playwrightRequest, test, type Page } from '@playwright/test';
import { spawnCourier, stopChild, type Started } from '../test-kit/courier-process';
import { freePort } from '../test-kit/free-port';
import { startOidcProvider, type TestOidcProvider } from '../test-kit/oidc-provider';
import { tempDir } from '../test-kit/temp-dir';
import { expectNoViolations } from './support/axe';
import { loginPage, shell } from './support/pages';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from './support/servers';

// OpenID Connect sign-in in Chromium (docs/oidc.md): a portal of its own, started as an operator
// would with COURIER_OIDC_* pointing at a real provider (oidc-provider) running in this process,
// whose own login and consent pages the browser goes through.
test.describe.configure({ mode: 'serial' });

let idp: TestOidcProvider;
// A second provider, configured in COURIER_OIDC_PROVIDERS (docs/oidc.md §6).
let partner: TestOidcProvider;
let portal: Started;
let portalUrl: string;
let dataDir: string;

test.beforeAll(async () => {
  // A portal of its own and two providers to start: more than a test's 30 s on a busy machine.
  test.setTimeout(120_000);
  const port = await freePort();
  portalUrl = `http://127.0.0.1:${port}`;
  idp = await startOidcProvider(`${portalUrl}/api/auth/oidc/callback`);
  partner = await startOidcProvider(`${portalUrl}/api/auth/oidc/partner/callback`);
  dataDir = tempDir('courier-e2e-oidc');
  portal = await spawnCourier(['start', '--no-build'], {
    ready: /Courier is running at (\S+)/,
    env: {
      COURIER_PORT: String(port),
      COURIER_NODE_PORT: String(await freePort()),
      COURIER_DATA_DIR: dataDir,
      COURIER_ADMIN_PASSWORD: ADMIN_PASSWORD,
      COURIER_PUBLIC_URL: portalUrl,
      COURIER_OIDC_ISSUER: idp.issuer,
      COURIER_OIDC_CLIENT_ID: idp.clientId,
      COURIER_OIDC_CLIENT_SECRET: idp.clientSecret,
      COURIER_OIDC_NAME: 'Example SSO',
      COURIER_OIDC_PROVIDERS: JSON.stringify([
        { id: 'partner', name: 'Partner ID', issuer: partner.issuer, clientId: partner.clientId, clientSecret: partner.clientSecret },
      ]),
      COURIER_LOG_LEVEL: 'warn',
    },
  });
});

test.afterAll(async () => {
  if (portal) await stopChild(portal.child);
  await idp?.stop();
  await partner?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** From Courier's login page through the provider's own pages, as `sub`, back to Courier. */
async function signInThroughProvider(page: Page, sub: string) {
  await page.goto(`${portalUrl}/login`);
  await page.getByRole('link', { name: 'Sign in with Example SSO' }).click();
  await throughProviderPages(page, sub);
  await page.waitForURL(`${portalUrl}/files**`);
}

async function throughProviderPages(page: Page, sub: string) {
  await page.locator('input[name="login"]').fill(sub);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

async function whoAmI(page: Page) {
  const session = await page.request.get(`${portalUrl}/api/session`);
  expect(session.status()).toBe(200);
  return ((await session.json()) as { user: { id: string; username: string; displayName: string } }).user;
}

test('the first sign-in creates the person, a group claim grants a space, the second finds the same person', async ({ browser }) => {
  // The admin makes a group and gives it a space, as a company would for a team.
  const admin = await playwrightRequest.newContext({ baseURL: portalUrl });
  const login = await admin.post('/api/session', { data: { username: ADMIN_USERNAME, password: ADMIN_PASSWORD }, timeout: 30_000 });
  const headers = { 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken };
  const group = (await (await admin.post('/api/groups', { data: { name: 'Design' }, headers })).json()) as { id: string };
  const space = (await (await admin.post('/api/spaces', { data: { name: 'Mockups' }, headers })).json()) as { id: string };
  expect(
    (
      await admin.put(`/api/spaces/${space.id}/members`, {
        data: { principalType: 'group', principalId: group.id, role: 'viewer' },
        headers,
      })
    ).status(),
  ).toBe(200);
  await admin.dispose();

  idp.setAccount('sub-olga', { preferred_username: 'olga', name: 'Olga Okafor', email: 'olga@example.com', groups: ['design'] });
  const first = await browser.newPage();
  await signInThroughProvider(first, 'sub-olga');
  await expect(first.getByRole('button', { name: 'User menu: Olga Okafor' })).toBeVisible();
  const user = await whoAmI(first);
  expect(user.username).toBe('olga');
  const spaces = (await (await first.request.get(`${portalUrl}/api/spaces`)).json()) as { spaces: Array<{ name: string; role: string }> };
  expect(spaces.spaces).toContainEqual(expect.objectContaining({ name: 'Mockups', role: 'viewer' }));
  await first.close();

  // Another browser, a new name at the provider: the same Courier person.
  idp.setAccount('sub-olga', { preferred_username: 'olga.o', name: 'Olga Okafor', groups: ['design'] });
  const second = await browser.newPage();
  await signInThroughProvider(second, 'sub-olga');
  expect((await whoAmI(second)).id).toBe(user.id);
  await second.close();
});

test('the login page offers each provider beside the local form, and passes axe', async ({ page }) => {
  await page.goto(`${portalUrl}/login`);
  await expect(page.getByRole('link', { name: 'Sign in with Example SSO' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in with Partner ID' })).toBeVisible();
  await expect(loginPage(page).username).toBeVisible();
  await expectNoViolations(page, '/login with an identity provider');
});

test('a deep link survives a sign-in with the second provider, which is a person of its own', async ({ page }) => {
  partner.setAccount('sub-olga', { preferred_username: 'olga', name: 'Olga at Partner' });
  await page.goto(`${portalUrl}/transfers`);
  await page.waitForURL(`${portalUrl}/login?next=%2Ftransfers`);
  await page.getByRole('link', { name: 'Sign in with Partner ID' }).click();
  await throughProviderPages(page, 'sub-olga');
  await page.waitForURL(`${portalUrl}/transfers`);
  await expect(page.getByRole('button', { name: 'User menu: Olga at Partner' })).toBeVisible();
  // The same sub as at Example SSO, another issuer: another person (docs/oidc.md §6).
  expect((await whoAmI(page)).username).toBe('olga-2');
});

test('logging out offers to log out of the provider too, which sends the browser back to the login page', async ({ page }) => {
  idp.setAccount('sub-pia', { preferred_username: 'pia', name: 'Pia Park' });
  await signInThroughProvider(page, 'sub-pia');
  await shell(page).userMenu.click();
  await shell(page).logOut.click();
  await page.getByRole('link', { name: 'Also log out of your identity provider' }).click();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await page.waitForURL(`${portalUrl}/login`);
  await expect(loginPage(page).username).toBeVisible();
  expect((await page.request.get(`${portalUrl}/api/session`)).status()).toBe(401);
});

test('an admin turns the local form off: only the provider is offered, and /login?local=1 keeps the form for admins', async ({ page }) => {
  const admin = await playwrightRequest.newContext({ baseURL: portalUrl });
  const login = await admin.post('/api/session', { data: { username: ADMIN_USERNAME, password: ADMIN_PASSWORD }, timeout: 30_000 });
  const headers = { 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken };
  const local = { username: 'quinn', password: 'quinn password 1' };
  expect((await admin.post('/api/users', { data: { ...local, displayName: 'Quinn' }, headers })).status()).toBe(201);
  expect((await admin.put('/api/admin/settings/localLoginForm', { data: { value: 0 }, headers })).status()).toBe(200);

  try {
    await page.goto(`${portalUrl}/login`);
    await expect(page.getByRole('link', { name: 'Sign in with Example SSO' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Log in to Courier' })).toBeVisible();
    await expect(loginPage(page).username).toHaveCount(0);
    await expect(loginPage(page).password).toHaveCount(0);
    await expectNoViolations(page, '/login with the local form off');

    // The form is still there for whoever asks for it, but only admins get in with it.
    await page.goto(`${portalUrl}/login?local=1`);
    const form = loginPage(page);
    await form.username.fill(local.username);
    await form.password.fill(local.password);
    await form.submit.click();
    await expect(page.getByText('Password login is for administrators only.')).toBeVisible();
    await form.username.fill(ADMIN_USERNAME);
    await form.password.fill(ADMIN_PASSWORD);
    await form.submit.click();
    await page.waitForURL(`${portalUrl}/files**`);
  } finally {
    await admin.put('/api/admin/settings/localLoginForm', { data: { value: null }, headers });
    await admin.dispose();
  }
});

test('an identity provider that is down gives a clear message, and the local form still logs in', async ({ page }) => {
  await idp.stop();
  await page.goto(`${portalUrl}/login`);
  await page.getByRole('link', { name: 'Sign in with Example SSO' }).click();
  await page.waitForURL(`${portalUrl}/login?oidc=unavailable&provider=default`);
  await expect(page.getByRole('alert').filter({ hasText: 'Example SSO could not be reached' })).toBeVisible();
  await expectNoViolations(page, '/login, identity provider down');
  const form = loginPage(page);
  await form.username.fill(ADMIN_USERNAME);
  await form.password.fill(ADMIN_PASSWORD);
  await form.submit.click();
  await page.waitForURL(`${portalUrl}/files**`);
});
