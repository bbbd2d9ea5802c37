/**
 * A source node killed in the middle of a node-to-node send (docs/node-api.md §5.1), which goes
 * through the destination's upload sessions (docs/http-gateway.md §11): the destination keeps the
 * bytes that arrived staged, never under the final name, the source's record says the transfer
 * failed once it is back, and the same spec posted again continues the same session and lands whole.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../test-kit/courier-process';
import { holdingProxy, type HoldingProxy } from '../../test-kit/holding-proxy';
import { sha256, startTestNode, waitFor, type TestNode } from '../test/node-harness';
import { PART_BYTES } from './session-client';

let source: NodeProcess;
let destination: TestNode;
let proxy: HoldingProxy;
// Large enough for the sessions path, in two parts.
const data = randomBytes(PART_BYTES + 4096);

beforeAll(async () => {
  [source, destination] = await Promise.all([startNodeProcess(), startTestNode()]);
  await mkdir(join(source.docroot, 'Out'), { recursive: true });
  await writeFile(join(source.docroot, 'Out', 'video.bin'), data);
  await mkdir(join(destination.docroot, 'In'), { recursive: true });
  proxy = await holdingProxy(destination.node.gatewayUrl, 2 * 1024 * 1024);
}, 90_000);
afterAll(async () => {
  proxy?.release();
  await proxy?.close();
  await Promise.all([source?.stop(), destination?.close()]);
});

function sourceApi(node: NodeProcess, path: string, body?: unknown) {
  return fetch(node.url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: node.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

it('kill the source mid-transfer: no partial under the final name, a failed record, and the retry lands', async () => {
  const spec = await destination.uploadSpec('/In', { tags: { courier: { transfer_id: 'kill-1' } } });
  const viaProxy = { ...spec, tags: { ...spec.tags, aspera: { 'http-gateway': { url: proxy.url(destination.node.gatewayUrl) } } } };
  const started = await sourceApi(source, '/ops/transfers', { ...viaProxy, paths: [{ source: '/Out/video.bin' }] });
  expect(started.status).toBe(200);
  const { id } = await started.json();
  await proxy.held;
  await source.kill();

  // The destination holds the session the source left (its id is in the source's state), with
  // some bytes staged and nothing under the final name.
  const [remembered] = await readdir(join(source.stateDir, 'outgoing-sessions'));
  const { id: sessionId } = JSON.parse(await readFile(join(source.stateDir, 'outgoing-sessions', remembered as string), 'utf8'));
  const sessionUrl = `${destination.node.gatewayUrl}/v3/upload-sessions/${sessionId}`;
  const held = await waitFor(async () => {
    const status = await (await fetch(sessionUrl)).json();
    const ranges: [number, number][] = status.files[0].received;
    return ranges.length > 0 ? ranges : null;
  }, 30_000);
  expect(held.reduce((sum, [a, b]) => sum + b - a, 0)).toBeLessThan(data.length);
  expect(await readdir(join(destination.docroot, 'In'))).not.toContain('video.bin');

  // Back where it ran, the source says the transfer failed.
  const url = new URL(source.url);
  source = await startNodeProcess({ dir: source.dir, port: Number(url.port) });
  const record = await (await sourceApi(source, `/ops/transfers/${id}`)).json();
  expect(record).toMatchObject({ status: 'failed', error_desc: 'The node stopped during the transfer' });

  // The destination gave the token's grant back: the same spec, posted again, lands whole.
  const retry = await sourceApi(source, '/ops/transfers', { ...spec, paths: [{ source: '/Out/video.bin' }] });
  expect(retry.status).toBe(200);
  const retryId = (await retry.json()).id;
  const done = await waitFor(async () => {
    const r = await (await sourceApi(source, `/ops/transfers/${retryId}`)).json();
    return r.status === 'running' ? null : r;
  }, 30_000);
  expect(done).toMatchObject({ status: 'completed', bytes_transferred: data.length });
  expect(sha256(await readFile(join(destination.docroot, 'In', 'video.bin')))).toBe(sha256(data));
  // The retry continued that session (a new one could not be made: the session holds the token's
  // grant, docs/http-gateway.md §11.2): the destination's cut attempt, then the completed one.
  const uploads = (await destination.apiJson('/ops/transfers?active_only=false&view=summary')).filter(
    (t: { start_spec: { source_paths: string[] } }) => t.start_spec.source_paths.includes('video.bin'),
  );
  expect(uploads.map((t: { status: string; error_desc: string }) => `${t.status} ${t.error_desc}`).sort()).toEqual([
    'completed ',
    'failed The upload stopped before it completed; it can be resumed',
  ]);
  expect((await fetch(sessionUrl)).status).toBe(404);
  expect(await readdir(join(destination.docroot, '.courier-staging', 'sessions'))).toEqual([]);
  expect(await readdir(join(source.stateDir, 'outgoing-sessions'))).toEqual([]);
}, 120_000);
