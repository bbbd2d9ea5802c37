import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedNode, type EmbeddedNodeProcess } from '../../test/embedded-node-process';
import { createTestApp, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

describe.each(DIALECTS)('personal space on %s', (dialect) => {
  let node: EmbeddedNodeProcess;
  let t: TestApp;

  beforeAll(async () => {
    node = await startEmbeddedNode();
    t = await createTestApp(dialect, {}, { embeddedNode: { url: node.url, username: node.username, secret: node.password, gatewayUrl: node.gatewayUrl } });
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
});
