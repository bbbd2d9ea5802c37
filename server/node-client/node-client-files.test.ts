import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NodeApiError } from './node-api-error';
import { createNodeClient, type NodeClient } from './node-client';
import * as hsts from './test/hsts-responses';
import { type RecordingNode, startRecordingNode } from './test/recording-node';

const auth = { type: 'basic' as const, username: 'nodeuser', password: 'n0de-Secret' };
const basic = `Basic ${Buffer.from('nodeuser:n0de-Secret').toString('base64')}`;

describe('node client: service and gen3 path API', () => {
  let node: RecordingNode;
  let client: NodeClient;
  beforeEach(async () => {
    node = await startRecordingNode();
    client = createNodeClient({ url: node.url, auth, verifyTls: true });
  });
  afterEach(() => node.close());

  it('pings with Basic credentials and accepts the empty 200 of HSTS', async () => {
    node.answer('GET /ping', { status: 200 });
    await client.ping();
    expect(node.requests).toMatchObject([{ method: 'GET', path: '/ping', body: undefined }]);
    expect(node.requests[0]!.headers.authorization).toBe(basic);
  });

  it('reads /info with capability values as booleans or strings (§9.8)', async () => {
    node.answer('GET /info', {
      body: {
        application: 'node',
        version: '4.4.6.123',
        transfer_user: 'xfer',
        capabilities: [
          { name: 'sync', value: true },
          { name: 'file_id_version', value: '2' },
        ],
        settings: [
          { name: 'wss_enabled', value: true },
          { name: 'wss_port', value: 443 },
        ],
        license_max_rate: '1000000',
      },
    });
    const info = await client.info();
    expect(info).toMatchObject({ version: '4.4.6.123', transfer_user: 'xfer', license_max_rate: '1000000' });
    expect(info.capabilities).toEqual([
      { name: 'sync', value: true },
      { name: 'file_id_version', value: '2' },
    ]);
  });

  it('browses with the request shape of §3 and flattens permissions', async () => {
    node.answer('POST /files/browse', { body: hsts.browseWithCounts });
    const result = await client.browse({ path: '/Upload', count: 2, sort: 'mtime_d' });
    const sent = node.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers.authorization).toBe(basic);
    expect(sent.body).toEqual({ path: '/Upload', count: 2, sort: 'mtime_d' });
    expect(result.totalCount).toBe(1);
    expect(result.self).toMatchObject({ path: '/Upload', type: 'directory' });
    expect(result.items).toEqual([
      {
        path: '/Upload/a.bin',
        basename: 'a.bin',
        type: 'file',
        size: 1048576,
        mtime: '2024-05-01T09:59:00Z',
        permissions: ['view', 'edit', 'delete'],
        target: null,
      },
    ]);
  });

  it('browses a node that omits item_count/total_count, basename and permissions (§9.3)', async () => {
    node.answer('POST /files/browse', { body: hsts.browseWithoutCounts });
    const result = await client.browse({ path: '/Upload', skip: 100, count: 100 });
    expect(node.requests[0]!.body).toEqual({ path: '/Upload', skip: 100, count: 100 });
    expect(result.totalCount).toBeNull();
    expect(result.items).toEqual([
      { path: '/Upload/sub', basename: 'sub', type: 'directory', size: 0, mtime: '2024-05-01T09:00:00Z', permissions: [], target: null },
      {
        path: '/Upload/link',
        basename: 'link',
        type: 'symbolic_link',
        size: 12,
        mtime: '2024-05-01T09:00:00Z',
        permissions: [],
        target: { path: '/Upload/a.bin', type: null },
      },
    ]);
  });

  it('turns the standard 404 error body into not_found with the node message (§0)', async () => {
    node.answer('POST /files/browse', { status: 404, body: hsts.errorPathNotFound });
    const error = await client.browse({ path: '/nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeApiError);
    expect(error).toMatchObject({ kind: 'not_found', status: 404, nodeMessage: 'Path not found' });
  });

  it('treats an error body inside a 200 as the error its code says', async () => {
    node.answer('POST /files/browse', { status: 200, body: hsts.errorPathNotFound });
    await expect(client.browse({ path: '/nope' })).rejects.toMatchObject({ kind: 'not_found', status: 404, nodeMessage: 'Path not found' });
  });

  it.each([
    ['description', 409, hsts.errorWithDescription, 'conflict', 'Directory not empty'],
    ['internal_message', 500, hsts.errorWithInternalMessage, 'node_error', 'Redis unavailable'],
    ['a bare {"error": ""}', 404, hsts.errorBare, 'not_found', null],
  ])('reads an error body with %s', async (_label, status, body, kind, nodeMessage) => {
    node.answer('POST /files/browse', { status, body });
    await expect(client.browse({ path: '/x' })).rejects.toMatchObject({ kind, status, nodeMessage });
  });

  it('creates folders with one per-path result each, in order, failures included (§3)', async () => {
    node.answer('POST /files/create', { body: hsts.createOneConflict });
    const results = await client.createFolders(['/Upload/new', '/Upload/project-42']);
    expect(node.requests[0]!.body).toEqual({
      paths: [
        { path: '/Upload/new', type: 'directory' },
        { path: '/Upload/project-42', type: 'directory' },
      ],
    });
    expect(results).toEqual([
      { path: '/Upload/new', ok: true },
      { path: '/Upload/project-42', ok: false, error: { status: 409, message: 'Path already exists' } },
    ]);
  });

  it('deletes several paths and reports each', async () => {
    node.answer('POST /files/delete', { body: hsts.deleteOneMissing });
    const results = await client.deletePaths(['/Upload/a.bin', '/Upload/gone']);
    expect(node.requests[0]!.body).toEqual({ paths: [{ path: '/Upload/a.bin' }, { path: '/Upload/gone' }] });
    expect(results).toEqual([
      { path: '/Upload/a.bin', ok: true },
      { path: '/Upload/gone', ok: false, error: { status: 404, message: 'Path does not exist' } },
    ]);
  });

  it('renames with names relative to the parent (§3)', async () => {
    node.answer('POST /files/rename', { body: hsts.renameExists });
    const results = await client.rename([{ parent: '/Upload', source: 'old.txt', destination: 'new.txt' }]);
    expect(node.requests[0]!.body).toEqual({ paths: [{ path: '/Upload', source: 'old.txt', destination: 'new.txt' }] });
    expect(results).toEqual([
      { parent: '/Upload', source: 'old.txt', destination: 'new.txt', ok: false, error: { status: 409, message: 'Destination exists' } },
    ]);
  });

  it('refuses an answer with fewer items than requested rather than guess which failed', async () => {
    node.answer('POST /files/delete', { body: { paths: [{ path: '/a' }] } });
    await expect(client.deletePaths(['/a', '/b'])).rejects.toMatchObject({ kind: 'bad_response' });
  });

  it('keeps a path prefix in the node URL (ATS/AoC nodes, §0) and drops URL credentials', async () => {
    node.answer('POST /prefix/files/browse', { body: hsts.browseWithCounts });
    const withPrefix = createNodeClient({ url: `http://other:pw@${node.url.slice('http://'.length)}/prefix`, auth, verifyTls: true });
    await withPrefix.browse({ path: '/' });
    expect(node.requests[0]!.path).toBe('/prefix/files/browse');
    expect(node.requests[0]!.headers.authorization).toBe(basic);
  });
});
