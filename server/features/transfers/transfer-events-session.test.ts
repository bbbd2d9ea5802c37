import { afterEach, describe, expect, it } from 'vitest';
import { createListeningApp, type ListeningApp } from '../../test/listening-app';
import { DIALECTS } from '../../test/test-database';

/** Resolves true when the server ends the stream, false if it is still open after `ms`. */
async function endsWithin(response: Response, ms: number): Promise<boolean> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), ms).unref());
  const ended = (async () => {
    for (;;) {
      const { done } = await reader.read().catch(() => ({ done: true }));
      if (done) return true;
    }
  })();
  const result = await Promise.race([ended, timeout]);
  if (!result) await reader.cancel().catch(() => undefined);
  return result;
}

describe.each(DIALECTS)('the transfer event stream and its session on %s', (dialect) => {
  let t: ListeningApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const openStream = (app: ListeningApp, cookie: string, query = '') =>
    fetch(`${app.base}/api/transfers/events${query}`, { headers: { cookie } });

  it('ends when the session logs out', async () => {
    const app = (t = await createListeningApp(dialect));
    const bob = await app.login('bob');
    const stream = await openStream(app, bob.cookie);
    expect(stream.status).toBe(200);
    const other = await openStream(app, (await app.login('bob')).cookie);
    const logout = await fetch(`${app.base}/api/session`, {
      method: 'DELETE',
      headers: { cookie: bob.cookie, 'x-csrf-token': bob.csrfToken, origin: app.base },
    });
    expect(logout.status).toBe(204);
    expect(await endsWithin(stream, 5000)).toBe(true);
    // Another session of the same user keeps its stream.
    expect(await endsWithin(other, 500)).toBe(false);
  });

  it('ends when the session expires idle (an open stream is not use)', async () => {
    const app = (t = await createListeningApp(dialect, { COURIER_SESSION_IDLE_TIMEOUT_SECONDS: '2' }));
    const stream = await openStream(app, (await app.login('bob')).cookie);
    expect(await endsWithin(stream, 8000)).toBe(true);
  });

  it('ends at the absolute expiry even while the session is in use', async () => {
    const app = (t = await createListeningApp(dialect, { COURIER_SESSION_ABSOLUTE_TIMEOUT_SECONDS: '3' }));
    const bob = await app.login('bob');
    const stream = await openStream(app, bob.cookie);
    const use = setInterval(() => void fetch(`${app.base}/api/session`, { headers: { cookie: bob.cookie } }).catch(() => undefined), 500);
    try {
      expect(await endsWithin(stream, 8000)).toBe(true);
    } finally {
      clearInterval(use);
    }
  });

  it.each([
    ['?all=false', 200],
    ['?all=0', 200],
    ['', 200],
    ['?all=true', 403],
    ['?all=1', 403],
    ['?all=maybe', 400],
  ])('reads %s for a non-admin as it says (events and list)', async (query, status) => {
    const app = (t = await createListeningApp(dialect));
    const bob = await app.login('bob');
    const list = await fetch(`${app.base}/api/transfers${query}`, { headers: { cookie: bob.cookie } });
    expect(list.status).toBe(status);
    const stream = await openStream(app, bob.cookie, query);
    expect(stream.status).toBe(status);
    await stream.body?.cancel();
  });
});
