/**
 * The shipped nginx locations (deploy/nginx/courier-locations.conf) decide what users see when a
 * portal instance dies or is busy (docs/deployment.md §7). Debian's nginx runs the file in front of
 * two small HTTP servers standing in for portal instances, each saying who answered, so every case
 * shows where nginx sent a request and what reached the browser.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { hasNginx } from '../../test-kit/nginx';
import { freePort } from '../../test-kit/free-port';
import { startBalancer, type Balancer } from '../lib/balancer';

type Behaviour = 'answer' | 'node-unavailable' | 'busy' | 'drop';

/** An instance: answers `{ by: name }`, or as `behaviour(method, path)` says; counts what it was sent. */
async function instance(name: string, behaviour: (method: string, path: string) => Behaviour = () => 'answer') {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      const what = req.url === '/api/health/live' ? 'answer' : behaviour(req.method!, req.url!);
      if (what === 'drop') return req.socket.destroy();
      const [status, body] =
        what === 'node-unavailable'
          ? [502, { code: 'NODE_UNAVAILABLE', message: 'The transfer node is not reachable right now.' }]
          : what === 'busy'
            ? [503, { code: 'SERVER_BUSY', message: 'Try again in a few seconds.', retryAfterSeconds: 2 }]
            : [200, { by: name }];
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, seen, port: (server.address() as { port: number }).port };
}

let balancer: Balancer | undefined;
const servers: Server[] = [];
afterEach(async () => {
  await balancer?.stop();
  balancer = undefined;
  for (const s of servers.splice(0)) s.close();
});

async function balance(...ports: number[]): Promise<string> {
  balancer = await startBalancer(await freePort(), ports);
  return balancer.url;
}

/** Who answered `GET /api/who` for each of `n` requests. */
async function whoAnswers(url: string, n: number): Promise<string[]> {
  const by: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const r = await fetch(`${url}/api/who`);
    by.push(r.ok ? ((await r.json()) as { by: string }).by : `${r.status}`);
  }
  return by;
}

describe.runIf(hasNginx())('the shipped nginx locations', () => {
  it("passes the portal's NODE_UNAVAILABLE and SERVER_BUSY through, and keeps both instances serving", async () => {
    const misbehave = (method: string, path: string): Behaviour =>
      path === '/api/transfers'
        ? 'node-unavailable'
        : method === 'POST' && (path === '/api/session' || path.endsWith('/unlock'))
          ? 'busy'
          : 'answer';
    const [a, b] = [await instance('a', misbehave), await instance('b', misbehave)];
    servers.push(a.server, b.server);
    const url = await balance(a.port, b.port);

    // A node is down: every instance says so; the browser gets the portal's answer, not nginx's.
    const listed = await fetch(`${url}/api/transfers`);
    expect(listed.status).toBe(502);
    expect(((await listed.json()) as { code: string }).code).toBe('NODE_UNAVAILABLE');
    // A login burst: the busy instance's answer, with its code, reaches the person.
    const login = await fetch(`${url}/api/session`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(login.status).toBe(503);
    expect(((await login.json()) as { code: string }).code).toBe('SERVER_BUSY');
    // So does a burst of people opening a password-protected share.
    const unlock = await fetch(`${url}/api/public/shares/s1/unlock`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(unlock.status).toBe(503);

    // Neither took an instance out of the upstream: both still answer, in turn.
    expect(new Set(await whoAnswers(url, 4))).toEqual(new Set(['a', 'b']));
  });

  it('sends even a POST to the other instance when one refuses connections, and a dropped read again, never a dropped write', async () => {
    // An instance that died before these requests: its port refuses connections.
    const deadPort = await freePort();
    const drops = (_method: string, path: string): Behaviour => (path === '/api/work' ? 'drop' : 'answer');
    const [dying, live] = [await instance('dying', drops), await instance('live')];
    servers.push(dying.server, live.server);
    const url = await balance(deadPort, live.port);
    for (let i = 0; i < 4; i += 1) {
      const r = await fetch(`${url}/api/echo`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(r.status).toBe(200);
    }
    expect(live.seen.filter((s) => s === 'POST /api/echo')).toHaveLength(4);
    await balancer!.stop();

    // An instance that dies with the request in it (the connection drops before any answer): a read
    // is answered by the live instance whichever nginx chose first.
    const reading = await balance(dying.port, live.port);
    while (!dying.seen.includes('GET /api/work')) {
      const read = await fetch(`${reading}/api/work`);
      expect(read.status).toBe(200);
      expect(((await read.json()) as { by: string }).by).toBe('live');
    }
    await balancer!.stop();

    // A write the dying instance took is answered 502 by nginx and never sent to the live one.
    const writing = await balance(dying.port, live.port);
    const answers: number[] = [];
    while (!dying.seen.includes('POST /api/work')) {
      answers.push(
        (await fetch(`${writing}/api/work`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status,
      );
    }
    expect(answers.at(-1)).toBe(502);
    expect(live.seen.filter((s) => s === 'POST /api/work')).toHaveLength(answers.length - 1);
  });
});
