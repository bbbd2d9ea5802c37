import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createListeningApp, type ListeningApp } from './test/listening-app';
import { openRawSocket, type RawSocket } from './test/raw-socket';
import { DIALECTS } from './test/test-database';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(DIALECTS)('slow and idle clients on a real listener on %s', (dialect) => {
  let t: ListeningApp;
  const sockets: RawSocket[] = [];
  const open = async () => {
    const s = await openRawSocket(t.port);
    sockets.push(s);
    return s;
  };

  // The shortest request timeout there is (1 s): each slow client below is closed 1-2 s after it
  // starts rather than 2-3 s; their drips stay well inside it, so only a limit on the whole request
  // (not one on silence) can close them.
  beforeAll(async () => {
    t = await createListeningApp(dialect, { COURIER_REQUEST_TIMEOUT_SECONDS: '1', COURIER_MAX_CONNECTIONS: '16' });
  });
  afterAll(async () => {
    for (const s of sockets) s.socket.destroy();
    await t.close();
  });

  const loginHead = (length: number) =>
    `POST /api/session HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

  // The three slow clients are independent connections: they run at once (it.concurrent).
  it.concurrent('closes ten connections that send login headers and then one body byte every 0.4 s, and creates no session', async () => {
    const clients = await Promise.all(Array.from({ length: 10 }, open));
    for (const c of clients) c.socket.write(loginHead(200));
    const trickle = setInterval(() => {
      for (const c of clients) if (!c.closed()) c.socket.write('{');
    }, 400);
    try {
      await Promise.all(clients.map((c) => c.closedWithin(10_000)));
    } finally {
      clearInterval(trickle);
    }
    expect(clients[0]!.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(await t.db.selectFrom('sessions').selectAll().execute()).toHaveLength(0);
  });

  it.concurrent('closes a connection that sends headers and then no body at all', async () => {
    const c = await open();
    c.socket.write(loginHead(50));
    await c.closedWithin(10_000);
  });

  it.concurrent('closes a connection that never finishes its headers', async () => {
    const c = await open();
    c.socket.write(`POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
    const drip = setInterval(() => !c.closed() && c.socket.write('X-Slow: 1\r\n'), 250);
    try {
      await c.closedWithin(10_000);
    } finally {
      clearInterval(drip);
    }
  });

  it('keeps the transfer event stream open past the request timeout: it is a response, not a slow request', async () => {
    const { cookie } = await t.login('bob');
    const c = await open();
    c.socket.write(`GET /api/transfers/events HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nCookie: ${cookie}\r\n\r\n`);
    await sleep(2500); // more than twice the 1 s request timeout
    expect(c.closed()).toBe(false);
    expect(c.received()).toMatch(/^HTTP\/1\.1 200[\s\S]*text\/event-stream[\s\S]*retry: 3000/);
  });

  it('refuses connections beyond the cap while the others stay served', async () => {
    const idle = await Promise.all(Array.from({ length: 16 }, open));
    await sleep(200);
    const extra = await open();
    await extra.closedWithin(2000);
    expect(extra.received()).toBe('');
    for (const s of idle) s.socket.destroy();
    await sleep(200);
    expect((await fetch(`${t.base}/api/health`)).status).toBe(200);
  });
});
