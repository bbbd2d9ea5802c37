import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { createTestApp, type LoggedIn, type TestApp } from '../test-app';
import { DIALECTS } from '../test-database';

/**
 * The hostile-input corpus for registering a node with an access key (issue 16): what an admin's
 * form, or a forged request, may put in `authType`, the key id and its secret, on POST and PATCH.
 * Each case states its status; after each, the nodes are as they were, and no answer carries a
 * secret (docs/node-api.md §6.1: the portal must be sure the key is the key before it saves it).
 */
interface Case {
  label: string;
  body: (k: Keys) => Record<string, unknown>;
  status: 400;
  code?: 'VALIDATION_FAILED';
  says?: RegExp;
}
interface Keys {
  a: { id: string; secret: string };
  b: { id: string; secret: string };
  nodeUser: string;
  nodePassword: string;
}

const invalid = (label: string, body: Case['body']): Case => ({ label, body, status: 400, code: 'VALIDATION_FAILED' });
const refused = (label: string, body: Case['body'], says: RegExp): Case => ({ label, body, status: 400, says });

const asKey = (extra: (k: Keys) => Record<string, unknown>) => (k: Keys) => ({ authType: 'access_key', ...extra(k) });

const cases: Case[] = [
  invalid('an unknown auth type', (k) => ({ authType: 'admin', username: k.a.id, secret: k.a.secret })),
  invalid('an auth type in capitals', (k) => ({ authType: 'ACCESS_KEY', username: k.a.id, secret: k.a.secret })),
  invalid('an empty auth type', (k) => ({ authType: '', username: k.a.id, secret: k.a.secret })),
  invalid('a null auth type', (k) => ({ authType: null, username: k.a.id, secret: k.a.secret })),
  invalid('an auth type as a number', (k) => ({ authType: 1, username: k.a.id, secret: k.a.secret })),
  invalid('an auth type as an array', (k) => ({ authType: ['access_key'], username: k.a.id, secret: k.a.secret })),
  invalid(
    'an empty key id',
    asKey((k) => ({ username: '', secret: k.a.secret })),
  ),
  invalid(
    'a key id of 257 characters',
    asKey((k) => ({ username: 'k'.repeat(257), secret: k.a.secret })),
  ),
  invalid(
    'a key id with a colon (Basic would split it)',
    asKey((k) => ({ username: `${k.a.id}:x`, secret: k.a.secret })),
  ),
  invalid(
    'a key id with CR LF (header injection)',
    asKey((k) => ({ username: `${k.a.id}\r\nX-Evil: 1`, secret: k.a.secret })),
  ),
  invalid(
    'a key id with a NUL',
    asKey((k) => ({ username: `${k.a.id}\u0000`, secret: k.a.secret })),
  ),
  invalid(
    'a secret of 1,025 characters',
    asKey((k) => ({ username: k.a.id, secret: 's'.repeat(1025) })),
  ),
  invalid(
    'a secret as an object',
    asKey((k) => ({ username: k.a.id, secret: { $ne: '' } })),
  ),
  invalid(
    'A3 bearer tokens as a string',
    asKey((k) => ({ username: k.a.id, secret: k.a.secret, bearerTokens: 'true' })),
  ),
  refused(
    'A3 bearer tokens with the node user (the node could not hold its tokens to permissions)',
    (k) => ({ authType: 'node_user', username: k.nodeUser, secret: k.nodePassword, bearerTokens: true }),
    /need a node registered with an access key/,
  ),
  refused(
    'A3 bearer tokens with a wrong key secret',
    asKey((k) => ({ username: k.a.id, secret: 'wrong-secret', bearerTokens: true })),
    /refused the credentials/,
  ),
  refused(
    'the key id with a wrong secret',
    asKey((k) => ({ username: k.a.id, secret: 'wrong-secret' })),
    /refused the credentials/,
  ),
  refused(
    'one key’s id with another key’s secret',
    asKey((k) => ({ username: k.a.id, secret: k.b.secret })),
    /refused the credentials/,
  ),
  refused(
    'the node user’s credentials claimed as an access key',
    asKey((k) => ({ username: k.nodeUser, secret: k.nodePassword })),
    /not an access key on this node/,
  ),
  refused(
    'an unknown key id',
    asKey((k) => ({ username: 'no-such-key', secret: k.a.secret })),
    /refused the credentials/,
  ),
  refused(
    'a key id in other case',
    asKey((k) => ({ username: k.a.id.toUpperCase(), secret: k.a.secret })),
    /refused the credentials/,
  ),
];

describe.each(DIALECTS)('node registration corpus on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  let admin: LoggedIn;
  let keys: Keys;
  let existingId: string;
  const listed = async () => JSON.stringify((await t.api(admin, 'GET', '/api/nodes')).json.nodes);
  const secrets = () => [keys.a.secret, keys.b.secret, keys.nodePassword];

  beforeAll(async () => {
    node = await startNodeProcess();
    const make = async (id: string) => {
      const res = await fetch(`${node.url}/access_keys`, {
        method: 'POST',
        headers: {
          authorization: 'Basic ' + Buffer.from(`${node.username}:${node.password}`).toString('base64'),
          'content-type': 'application/json',
        },
        body: JSON.stringify({ id, storage: { type: 'local', path: '/' } }),
      });
      return (await res.json()) as { id: string; secret: string };
    };
    keys = { a: await make('key-a'), b: await make('key-b'), nodeUser: node.username, nodePassword: node.password };
    t = await createTestApp(dialect);
    admin = await t.login('alice');
    const existing = await t.api(admin, 'POST', '/api/nodes', {
      name: 'key a',
      url: node.url,
      gatewayUrl: node.gatewayUrl,
      authType: 'access_key',
      username: keys.a.id,
      secret: keys.a.secret,
    });
    expect(existing.status).toBe(201);
    existingId = existing.json.id as string;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await node?.stop();
  });

  for (const c of cases) {
    it(`POST and PATCH refuse ${c.label} (${c.status}), saving nothing`, async () => {
      const before = await listed();
      const body = c.body(keys);
      const posted = await t.api(admin, 'POST', '/api/nodes', { name: `corpus ${c.label}`, url: node.url, ...body });
      const patched = await t.api(admin, 'PATCH', `/api/nodes/${existingId}`, body);
      for (const answer of [posted, patched]) {
        expect(answer.status).toBe(c.status);
        if (c.code) expect(answer.json.code).toBe(c.code);
        if (c.says) expect(answer.json.message).toMatch(c.says);
        for (const secret of secrets()) expect(JSON.stringify(answer.json)).not.toContain(secret);
      }
      expect(await listed()).toBe(before);
      // The stored key still works: the refused PATCH changed nothing.
      expect((await t.api(admin, 'POST', `/api/nodes/${existingId}/test`)).json.ok).toBe(true);
    });
  }
});
