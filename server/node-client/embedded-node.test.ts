/**
 * The client against Courier's embedded node, run as its own process exactly as an operator runs
 * it (server/ may not import transfer-node/; docs/architecture.md §2). Bytes move through the node's HTTP
 * Gateway so that /ops/transfers has real records to page through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../test-kit/courier-process';
import { gatewayDownload } from '../../test-kit/gateway-download';
import { gatewayUpload } from '../../test-kit/gateway-upload';
import { NodeApiError } from './node-api-error';
import { createNodeClient, type NodeClient } from './node-client';
import { bytesExpected, type TransferSpec } from './types';

const password = 'embedded-node-pass';

let node: NodeProcess;
let nodeUrl: string;
let gatewayUrl: string;
let client: NodeClient;

beforeAll(async () => {
  node = await startNodeProcess();
  ({ url: nodeUrl, gatewayUrl } = node);
  client = createNodeClient({
    url: nodeUrl,
    auth: { type: 'basic', username: node.username, password },
    verifyTls: true,
    timeoutMs: 10_000,
  });
});

afterAll(() => node?.stop());

function specOf(result: { ok: boolean } & ({ ok: true; transferSpec: TransferSpec } | { ok: false })): TransferSpec {
  if (!result.ok) throw new Error('expected a transfer spec');
  return result.transferSpec;
}

describe('node client against the embedded transfer node', () => {
  it('pings and reads /info', async () => {
    await client.ping();
    const info = await client.info();
    expect(info).toMatchObject({ application: 'node' });
    expect(typeof info.transfer_user).toBe('string');
  });

  it('gets auth for a wrong password', async () => {
    const wrong = createNodeClient({
      url: nodeUrl,
      auth: { type: 'basic', username: 'nodeuser', password: 'not-the-password' },
      verifyTls: true,
    });
    await expect(wrong.info()).rejects.toMatchObject({ kind: 'auth', status: 401 });
  });

  it('creates folders with per-path results and browses them', async () => {
    expect(await client.createFolders(['/Upload', '/Outbox'])).toEqual([
      { path: '/Upload', ok: true },
      { path: '/Outbox', ok: true },
    ]);
    const again = await client.createFolders(['/Upload']);
    expect(again).toMatchObject([{ path: '/Upload', ok: false, error: { status: 409 } }]);
    const listing = await client.browse({ path: '/', sort: 'path' });
    expect(listing.items.map((i) => [i.path, i.basename, i.type])).toEqual([
      ['/Outbox', 'Outbox', 'directory'],
      ['/Upload', 'Upload', 'directory'],
    ]);
    expect(listing.totalCount).toBe(2);
    await expect(client.browse({ path: '/missing' })).rejects.toMatchObject({ kind: 'not_found', status: 404 });
  });

  it('authorizes an upload and a download, one result per request, and the gateway honours them', async () => {
    const uploads = await client.uploadSetup([{ paths: [{ destination: '/Upload' }] }, { paths: [{ destination: '/../outside' }] }]);
    expect(uploads).toHaveLength(2);
    expect(uploads[1]).toMatchObject({ ok: false, error: { status: 403 } });
    const upload = specOf(uploads[0]!);
    expect(upload).toMatchObject({ direction: 'send', destination_root: '/Upload' });
    expect(typeof upload.token).toBe('string');
    expect((await gatewayUpload(gatewayUrl, upload, [{ path: 'report.txt', data: 'hello node' }])).status).toBe(200);
    expect((await client.browse({ path: '/Upload' })).items).toMatchObject([{ path: '/Upload/report.txt', type: 'file', size: 10 }]);

    const downloads = await client.downloadSetup([
      { paths: [{ source: '/Upload/report.txt' }] },
      { paths: [{ source: '/Upload/nothing.txt' }] },
    ]);
    const download = specOf(downloads[0]!);
    expect(download).toMatchObject({ direction: 'receive', paths: [{ source: '/Upload/report.txt' }] });
    expect(downloads[1]).toMatchObject({ ok: false, error: { status: 404 } });
    const got = await gatewayDownload(gatewayUrl, download);
    expect(await got.text()).toBe('hello node');
  });

  it('pages /ops/transfers to the end and then sees only newer activity', async () => {
    const first = await client.followTransfers(null, { count: 1 });
    expect(first.transfers.length).toBeGreaterThanOrEqual(2);
    expect(first.lastToken).not.toBeNull();
    expect(first.transfers.map((t) => t.start_spec?.direction)).toEqual(expect.arrayContaining(['send', 'receive']));
    const done = first.transfers.find((t) => t.start_spec?.direction === 'receive')!;
    expect(done).toMatchObject({ status: 'completed', bytes_transferred: 10, error_code: 0 });
    expect(bytesExpected(done)).toBe(10);

    const quiet = await client.followTransfers(first.lastToken);
    expect(quiet).toMatchObject({ transfers: [], lastToken: first.lastToken, stoppedBy: 'empty' });

    const one = await client.getTransfer(done.id);
    expect(one.id).toBe(done.id);
    await expect(client.getTransfer('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ kind: 'not_found' });
    await client.cancelTransfer(done.id);
  });

  it('renames and deletes with per-path errors', async () => {
    expect(await client.rename([{ parent: '/Upload', source: 'report.txt', destination: 'renamed.txt' }])).toEqual([
      { parent: '/Upload', source: 'report.txt', destination: 'renamed.txt', ok: true },
    ]);
    const missing = await client.rename([{ parent: '/Upload', source: 'report.txt', destination: 'x.txt' }]);
    expect(missing).toMatchObject([{ ok: false, error: { status: 404 } }]);
    const deleted = await client.deletePaths(['/Upload/renamed.txt', '/Upload/never-was.txt']);
    expect(deleted).toMatchObject([
      { path: '/Upload/renamed.txt', ok: true },
      { path: '/Upload/never-was.txt', ok: false, error: { status: 404 } },
    ]);
  });

  it('throws NodeApiError, not a raw error, for a request the node refuses whole', async () => {
    const error = await client.browse({ path: '/', count: -1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeApiError);
    expect(error).toMatchObject({ kind: 'bad_request', status: 400 });
  });
});
