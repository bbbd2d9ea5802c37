import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { createSecretBox } from '../../lib/secret-box';
import { createTestApp, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

describe.each(DIALECTS)('node secrets at rest on %s', (dialect) => {
  let t: TestApp | undefined;
  let node: NodeProcess | undefined;
  afterEach(async () => {
    await t?.close();
    await node?.stop();
    t = undefined;
    node = undefined;
  });

  it('stores a registered node secret sealed under the portal key: not the secret, and opened only with that key', async () => {
    const key = randomBytes(32);
    t = await createTestApp(dialect, {}, { secretKey: key });
    const admin = await t.login('alice');
    // A node is tested before it is saved, so the secret is a real node's password.
    node = await startNodeProcess();
    const secret = node.password;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/nodes',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
      payload: { name: 'storage', url: node.url, username: node.username, secret, gatewayUrl: null },
    });
    expect(created.statusCode).toBe(201);
    const row = await t.db.selectFrom('nodes').select('secret_sealed').where('name', '=', 'storage').executeTakeFirstOrThrow();
    expect(row.secret_sealed).not.toContain(secret);
    expect(createSecretBox(key).open(row.secret_sealed)).toBe(secret);
    expect(() => createSecretBox(randomBytes(32)).open(row.secret_sealed)).toThrow();
  });
});
