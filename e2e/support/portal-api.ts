import { randomBytes } from 'node:crypto';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from './servers';

/**
 * The portal's API from a test, on the page's own cookie jar: logging in here logs the page in,
 * without the login form (the form has its own specs; the KDF makes each login take a while).
 */
export interface PortalApi {
  csrf: string;
  request: APIRequestContext;
  get: <T>(path: string) => Promise<T>;
  post: <T>(path: string, body: unknown) => Promise<T>;
  put: <T>(path: string, body: unknown) => Promise<T>;
  /** The raw answer, for requests expected to be refused. */
  raw: (method: 'POST' | 'PUT' | 'PATCH', path: string, body: unknown) => ReturnType<APIRequestContext['fetch']>;
}

export async function logInByApi(page: Page, credentials = { username: ADMIN_USERNAME, password: ADMIN_PASSWORD }): Promise<PortalApi> {
  const request = page.request;
  const response = await request.post('/api/session', { data: credentials, timeout: 30_000 });
  expect(response.status(), await response.text()).toBe(200);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const raw: PortalApi['raw'] = (method, path, body) => request.fetch(path, { method, data: body, headers: { 'x-csrf-token': csrfToken } });
  const ok = async <T>(response: Awaited<ReturnType<typeof raw>>): Promise<T> => {
    expect(response.ok(), `${response.url()}: ${await response.text()}`).toBe(true);
    return (await response.json()) as T;
  };
  return {
    csrf: csrfToken,
    request,
    get: async (path) => ok(await request.get(path)),
    post: async (path, body) => ok(await raw('POST', path, body)),
    put: async (path, body) => ok(await raw('PUT', path, body)),
    raw,
  };
}

export async function personalSpaceId(api: PortalApi): Promise<string> {
  const { spaces } = await api.get<{ spaces: Array<{ id: string; personal: boolean }> }>('/api/spaces');
  const mine = spaces.find((s) => s.personal);
  if (!mine) throw new Error('no personal space');
  return mine.id;
}

/**
 * A new user with an email address (set by the admin, PATCH /api/users/:id: mail is only sent to
 * people who have one), logged in on `page`. Their bell and their mail are theirs alone, whatever
 * else the suite runs at the same time.
 */
export async function logInAsNewUser(page: Page, displayName: string): Promise<{ api: PortalApi; username: string; email: string }> {
  const admin = await logInByApi(page);
  const username = `${displayName.split(' ')[0]!.toLowerCase()}-${randomBytes(4).toString('hex')}`;
  const email = `${username}@example.test`;
  const user = await admin.post<{ id: string }>('/api/users', { username, displayName, password: ADMIN_PASSWORD });
  const patched = await admin.raw('PATCH', `/api/users/${user.id}`, { email });
  expect(patched.status(), await patched.text()).toBe(200);
  await page.context().clearCookies();
  return { api: await logInByApi(page, { username, password: ADMIN_PASSWORD }), username, email };
}
