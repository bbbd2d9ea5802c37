/**
 * The API takes JSON bodies only: any other media type, text included, gets 415 with the same code
 * and message on every route, the public ones (share, package and file-request links) too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routesOf } from '../test/route-tree';
import { createTestApp, type TestApp } from '../test/test-app';
import { DIALECTS } from '../test/test-database';

describe.each(DIALECTS)('request bodies on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  const send = (url: string, contentType: string, payload: string) =>
    t.app.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload });

  it('refuses a text body with 415 on every public route that takes a body, as it refuses a form', async () => {
    const publicWrites = routesOf(t.app.printRoutes({ commonPrefix: false })).filter((r) => /^(POST|PUT|PATCH) \/api\/public\//.test(r));
    // The share, package and file-request links' unlock, code, download and submission routes.
    expect(publicWrites.length).toBeGreaterThanOrEqual(7);
    const answers = new Map<string, string>();
    for (const route of publicWrites) {
      const url = (route.split(' ')[1] as string).replace(/:[A-Za-z]+/g, 'no-such-link');
      for (const [contentType, payload] of [
        ['text/plain', '123456'],
        ['text/plain; charset=utf-8', '{"code":"123456"}'],
        ['application/x-www-form-urlencoded', 'code=123456'],
      ] as const) {
        const r = await send(url, contentType, payload);
        answers.set(`${route} as ${contentType}`, `${r.statusCode} ${r.json<{ code: string }>().code}`);
      }
    }
    expect(answers.size).toBe(publicWrites.length * 3);
    expect([...answers].filter(([, answer]) => answer !== '415 UNSUPPORTED_MEDIA_TYPE')).toEqual([]);
  });

  it('answers a text body to a logged-in route the same way, and still takes JSON', async () => {
    const text = await send('/api/session', 'text/plain', '{"username":"alice","password":"x"}');
    expect([text.statusCode, text.json()]).toEqual([
      415,
      { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the request body as application/json.' },
    ]);
    const json = await send('/api/session', 'application/json', '{"username":"alice","password":"wrong password"}');
    expect(json.statusCode).toBe(401);
  });
});
