import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { createTestApp, embeddedNodeOf, TEST_PASSWORD, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

describe.each(DIALECTS)('personal space on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;

  beforeAll(async () => {
    node = await startNodeProcess();
    t = await createTestApp(dialect, {}, { embeddedNode: embeddedNodeOf(node) });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await node?.stop();
  });

  it("is created once when a user's first requests arrive together (two tabs, a login racing a listing)", async () => {
    const who = await t.login('alice');
    const lists = await Promise.all(
      Array.from({ length: 8 }, () => t.app.inject({ method: 'GET', url: '/api/spaces', headers: { cookie: who.cookie } })),
    );
    const personal = lists.map((r) => {
      expect(r.statusCode).toBe(200);
      return (r.json() as { spaces: Array<{ id: string; personal: boolean }> }).spaces.filter((s) => s.personal).map((s) => s.id);
    });
    expect(personal[0]).toHaveLength(1);
    for (const ids of personal) expect(ids).toEqual(personal[0]);
    const again = await t.app.inject({ method: 'GET', url: '/api/spaces', headers: { cookie: who.cookie } });
    expect((again.json() as { spaces: Array<{ personal: boolean }> }).spaces.filter((s) => s.personal)).toHaveLength(1);
  });

  it("shows an admin other people's personal spaces by their owner's name, after the shared ones", async () => {
    const admin = await t.login('alice');
    const headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken };
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/users',
          headers,
          payload: { username: 'vera', displayName: 'Vera Viewer', password: TEST_PASSWORD },
        })
      ).statusCode,
    ).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: '/api/spaces', headers, payload: { name: 'Zeta team' } })).statusCode).toBe(201);
    const vera = await t.login('vera');
    const own = await t.app.inject({ method: 'GET', url: '/api/spaces', headers: { cookie: vera.cookie } });
    expect((own.json() as { spaces: Array<{ name: string; personal: boolean }> }).spaces).toEqual([
      expect.objectContaining({ name: 'My files', personal: true }),
    ]);

    const seen = await t.app.inject({ method: 'GET', url: '/api/spaces', headers: { cookie: admin.cookie } });
    const spaces = (seen.json() as { spaces: Array<{ id: string; name: string; personal: boolean }> }).spaces;
    expect(spaces.map((s) => [s.name, s.personal])).toEqual([
      ['My files', true],
      ['Zeta team', false],
      ["Vera Viewer's files", false],
    ]);
    const one = await t.app.inject({ method: 'GET', url: `/api/spaces/${spaces[2]!.id}`, headers: { cookie: admin.cookie } });
    expect(one.json()).toMatchObject({ name: "Vera Viewer's files", personal: false });
  });
});
