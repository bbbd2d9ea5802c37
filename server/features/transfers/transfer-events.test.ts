import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { gatewayUpload } from '../../../test-kit/gateway-upload';
import { createTestApp, embeddedNodeOf, type TestApp } from '../../test/test-app';
import { readEvents } from '../../test/read-events';
import { DIALECTS } from '../../test/test-database';

describe.each(DIALECTS)('GET /api/transfers/events on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    node = await startNodeProcess();
    t = await createTestApp(dialect, {}, { embeddedNode: embeddedNodeOf(node) });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t?.close();
    await node?.stop();
  });

  it("pushes the caller's transfer changes live, from authorized to completed, and nobody else's", async () => {
    const alice = await t.login('alice');
    const bob = await t.login('bob');
    const headers = (who: typeof alice) => ({
      cookie: who.cookie,
      'x-csrf-token': who.csrfToken,
      'content-type': 'application/json',
      origin: base,
    });
    const spaces = (await (await fetch(`${base}/api/spaces`, { headers: headers(alice) })).json()) as { spaces: Array<{ id: string }> };
    const spaceId = spaces.spaces[0]!.id; // alice's personal space

    const aliceStream = await fetch(`${base}/api/transfers/events`, { headers: { cookie: alice.cookie } });
    expect(aliceStream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const bobStream = await fetch(`${base}/api/transfers/events`, { headers: { cookie: bob.cookie } });

    const created = (await (
      await fetch(`${base}/api/transfers`, {
        method: 'POST',
        headers: headers(alice),
        body: JSON.stringify({ spaceId, direction: 'upload', folder: '/', files: [{ path: 'live.txt', size: 5 }] }),
      })
    ).json()) as { transfer: { id: string }; transferSpec: Record<string, unknown> };
    expect((await gatewayUpload(node.gatewayUrl, created.transferSpec, [{ path: 'live.txt', data: 'hello' }])).status).toBeLessThan(400);

    const events = await readEvents(aliceStream, (e) => e.id === created.transfer.id && e.status === 'completed');
    expect(events[0]).toMatchObject({ id: created.transfer.id, status: 'authorized' });
    expect(events.at(-1)).toMatchObject({ bytesTransferred: 5, status: 'completed' });

    await expect(readEvents(bobStream, () => true, 1500)).rejects.toThrow(/no matching event/);
  });

  it('refuses the stream without a session', async () => {
    const response = await fetch(`${base}/api/transfers/events`);
    expect(response.status).toBe(401);
  });
});
