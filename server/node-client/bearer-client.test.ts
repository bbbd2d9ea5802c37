import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../test-kit/courier-process';
import { generateTokenKeyPair, signBearerToken } from '../lib/bearer-token';
import { NodeApiError } from './node-api-error';
import { createNodeClient } from './node-client';

// Groundwork for A3 (issue 16, docs/node-api.md §1.2): tokens the portal signs are the ones a real
// node accepts, and refused when they should be. The node verifies; nothing here checks itself.
describe('A3 bearer tokens signed by the portal, against a running node', () => {
  let node: NodeProcess;
  let key: { id: string; secret: string };
  const pair = generateTokenKeyPair();
  const asBearer = (token: string, accessKey = key.id) =>
    createNodeClient({ url: node.url, auth: { type: 'bearer', accessKey, token }, verifyTls: true });
  const token = (claims: Partial<Parameters<typeof signBearerToken>[1]> = {}, privatePem = pair.privatePem) =>
    signBearerToken(privatePem, { accessKey: key.id, userId: 'user-1', scope: 'admin:all', lifeSeconds: 600, ...claims });
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => 'accepted',
      (e: unknown) => (e instanceof NodeApiError ? e.kind : 'other'),
    );

  beforeAll(async () => {
    node = await startNodeProcess();
    await mkdir(path.join(node.docroot, 'tenant'));
    const res = await fetch(`${node.url}/access_keys`, {
      method: 'POST',
      headers: {
        authorization: 'Basic ' + Buffer.from(`${node.username}:${node.password}`).toString('base64'),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ storage: { type: 'local', path: '/tenant' } }),
    });
    key = (await res.json()) as { id: string; secret: string };
    // The key sets its own verification key, as the portal will with its sealed credentials.
    const asKey = createNodeClient({ url: node.url, auth: { type: 'basic', username: key.id, password: key.secret }, verifyTls: true });
    await asKey.setTokenVerificationKey(key.id, pair.publicPem);
    expect((await asKey.accessKeySelf()).token_verification_key).toBe(pair.publicPem);
  }, 60_000);
  afterAll(() => node?.stop());

  it('is accepted by the node, and a setup under it carries the bearer token in the spec (A3)', async () => {
    const signed = token();
    expect(await refusal(asBearer(signed).info())).toBe('accepted');
    const [result] = await asBearer(signed).uploadSetup([{ paths: [{ destination: 'a.txt' }], destination_root: '/' }]);
    expect(result).toMatchObject({ ok: true, transferSpec: { token: `Bearer ${signed}` } });
  });

  it('is refused when expired, signed by another key pair, made for another access key, or sent under another key id', async () => {
    expect(await refusal(asBearer(token({ lifeSeconds: -1 })).info())).toBe('auth');
    expect(await refusal(asBearer(token({}, generateTokenKeyPair().privatePem)).info())).toBe('auth');
    expect(await refusal(asBearer(token({ accessKey: 'another-key' })).info())).toBe('auth');
    expect(await refusal(asBearer(token(), 'another-key').info())).toBe('auth');
  });

  it('holds a user-scope token to its permissions: none given, the node refuses the upload itself', async () => {
    const [result] = await asBearer(token({ scope: 'user:all' })).uploadSetup([
      { paths: [{ destination: 'a.txt' }], destination_root: '/' },
    ]);
    expect(result).toMatchObject({ ok: false, error: { status: 403 } });
  });
});
