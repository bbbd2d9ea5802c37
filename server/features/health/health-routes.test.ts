import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

describe.each(DIALECTS)('GET /api/health and /api/health/live on %s', (dialect) => {
  let node: Server;
  let nodeUrl: string;
  beforeAll(async () => {
    // A stand-in for a node's /ping over real HTTP; only reachability is under test here.
    node = createServer((req, res) => res.writeHead(req.url === '/ping' ? 200 : 404).end());
    await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
    nodeUrl = `http://127.0.0.1:${(node.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => node.close(() => resolve())));

  it('reports the database and each reachable node without logging in', async () => {
    const t = await createTestApp(dialect, {}, { healthNodes: async () => [{ name: 'embedded', url: nodeUrl }] });
    try {
      const response = await t.app.inject({ method: 'GET', url: '/api/health' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok', database: { ok: true }, nodes: [{ name: 'embedded', ok: true }] });
      expect(response.body).not.toContain(nodeUrl);
    } finally {
      await t.close();
    }
  });

  it('says degraded when a node is down, naming the node', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const t = await createTestApp(
      dialect,
      {},
      {
        healthNodes: async () => [
          { name: 'up', url: nodeUrl },
          { name: 'down', url: deadUrl },
        ],
      },
    );
    try {
      const response = await t.app.inject({ method: 'GET', url: '/api/health' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        status: 'degraded',
        database: { ok: true },
        nodes: [
          { name: 'up', ok: true },
          { name: 'down', ok: false, message: 'unreachable' },
        ],
      });
    } finally {
      await t.close();
    }
  });

  it('answers 503 when the database is gone', async () => {
    const t = await createTestApp(dialect);
    const response = await (async () => {
      await t.db.destroy();
      return t.app.inject({ method: 'GET', url: '/api/health' });
    })();
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'degraded', database: { ok: false } });
    // Unready, not dead: liveness asks nothing of the database, so no balancer restarts the instance for it.
    const live = await t.app.inject({ method: 'GET', url: '/api/health/live' });
    expect([live.statusCode, live.json()]).toEqual([200, { status: 'ok' }]);
    await t.close(); // destroying the Kysely instance twice is harmless; this drops the test database
  });
});
