/**
 * The curl script of docs/api.md (scripts/api-example.sh) against a real portal on a real port and
 * a real embedded node process: a personal API token lists the spaces, asks for an upload, sends
 * the file through the HTTP Gateway v3 and follows the transfer to completion. The file must land
 * in the space's folder on the node's disk with the same bytes.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../test-kit/courier-process';
import { createTestApp, embeddedNodeOf, createToken, type ByToken, type TestApp } from './test/test-app';
import { DIALECTS } from './test/test-database';

const SCRIPT = path.resolve(import.meta.dirname, '../scripts/api-example.sh');
const run = promisify(execFile);
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

it('is the script docs/api.md shows', () => {
  const doc = readFileSync(path.resolve(import.meta.dirname, '../docs/api.md'), 'utf8');
  const shown = /^## 6\. The whole script\n\n```bash\n([\s\S]*?)```$/m.exec(doc)?.[1];
  expect(shown).toBe(readFileSync(SCRIPT, 'utf8'));
});

describe.each(DIALECTS)('the API example script on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  let base: string;
  let token: ByToken;
  let spaceRoot: string;
  const work = mkdtempSync(path.join(tmpdir(), 'courier-api-example-'));

  const script = (args: string[], env: Record<string, string> = { COURIER_TOKEN: token.bearer }) =>
    run('bash', [SCRIPT, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  beforeAll(async () => {
    node = await startNodeProcess();
    t = await createTestApp(dialect, {}, { embeddedNode: embeddedNodeOf(node) });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const admin = await t.login('alice');
    const rootPath = `/api-example-${randomBytes(4).toString('hex')}`;
    spaceRoot = path.join(node.docroot, rootPath);
    const space = await t.api(admin, 'POST', '/api/spaces', { name: 'Reports', rootPath });
    expect(space.status).toBe(201);
    const bob = (await t.api(admin, 'GET', '/api/users')).json.users as Array<{ id: string; username: string }>;
    const bobId = bob.find((u) => u.username === 'bob')?.id;
    expect(
      (
        await t.api(admin, 'PUT', `/api/spaces/${space.json.id as string}/members`, {
          principalType: 'user',
          principalId: bobId,
          role: 'contributor',
        })
      ).status,
    ).toBe(200);
    // A member's token, as a script would be given: read and transfer, no admin scope.
    token = await createToken(t.app, await t.login('bob'), ['read', 'transfer'], 'api example');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await node?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('uploads a file through the gateway with the spec the portal returns and follows it to completion', async () => {
    const file = path.join(work, 'quarterly "report" 1.bin');
    writeFileSync(file, randomBytes(3 * 1024 * 1024 + 17));

    const result = await script([base, 'Reports', file]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const transferId = /^transfer (\S+): completed$/m.exec(result.stdout)?.[1];
    expect(transferId).toBeDefined();

    expect(sha256(path.join(spaceRoot, 'quarterly "report" 1.bin'))).toBe(sha256(file));
    const record = await t.api(token, 'GET', `/api/transfers/${transferId}`);
    expect(record.json).toMatchObject({ status: 'completed', direction: 'upload', bytesTransferred: 3 * 1024 * 1024 + 17 });
  });

  it('says clearly what is wrong: no token, an unknown token, an unknown space', async () => {
    const file = path.join(work, 'small.txt');
    writeFileSync(file, 'hello');

    const noToken = await script([base, 'Reports', file], {});
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('set COURIER_TOKEN');

    const unknownSpace = await script([base, 'No such space', file]);
    expect(unknownSpace.code).toBe(1);
    expect(unknownSpace.stderr).toContain('no space named "No such space"');

    const wrongToken = await script([base, 'Reports', file], { COURIER_TOKEN: 'courier_pat_not-a-token' });
    expect(wrongToken.code).not.toBe(0);
    expect(wrongToken.stderr).toContain('error: GET /api/spaces answered 401');
    expect(wrongToken.stderr).toContain('UNAUTHENTICATED');
  });
});
