import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeClient, type NodeClient } from './node-client';
import * as hsts from './test/hsts-responses';
import { type RecordingNode, startRecordingNode } from './test/recording-node';
import { bytesExpected } from './types';

const next = (node: RecordingNode, token: string) => ({ link: `<${node.url}/ops/transfers?iteration_token=${token}>; rel="next"` });

describe('node client: /ops/transfers (docs/node-api.md §5)', () => {
  let node: RecordingNode;
  let client: NodeClient;
  beforeEach(async () => {
    node = await startRecordingNode();
    client = createNodeClient({ url: node.url, auth: { type: 'basic', username: 'nodeuser', password: 'n0de-Secret' }, verifyTls: true });
  });
  afterEach(() => node.close());

  it('lists with the query parameters of §5 and reads the next token from Link', async () => {
    node.answer('GET /ops/transfers', { headers: next(node, '1440571'), body: [hsts.transferCompleted, hsts.transferFailed] });
    const page = await client.listTransfers({ iterationToken: '1440000', activeOnly: false, count: 2, view: 'summary' });
    expect(node.requests[0]).toMatchObject({
      method: 'GET',
      path: '/ops/transfers',
      query: { iteration_token: '1440000', active_only: 'false', count: '2', view: 'summary' },
      body: undefined,
    });
    expect(page.nextIterationToken).toBe('1440571');
    expect(page.transfers.map((t) => [t.id, t.status, t.error_code])).toEqual([
      [hsts.transferCompleted.id, 'completed', 0], // "0" as the OAS types it
      [hsts.transferFailed.id, 'failed', 36],
    ]);
    expect(page.transfers[0]).toMatchObject({ bytes_transferred: 1048576, files_completed: 1, start_time_usec: 1714557540000000 });
    expect(page.transfers[0]!.start_spec).toMatchObject({ destination_path: '/Upload/p42', tags: null, target_rate_kbps: '100000' });
    expect(page.transfers[0]!.files).toHaveLength(1);
    expect(page.transfers[1]).toHaveProperty('sessions');
  });

  it('sends no query parameters it was not given', async () => {
    node.answer('GET /ops/transfers', { body: [] });
    expect(await client.listTransfers()).toEqual({ transfers: [], nextIterationToken: null });
    expect(node.requests[0]!.url).toBe('/ops/transfers');
  });

  it('reads a Link with extra parameters and another rel casing', async () => {
    node.answer('GET /ops/transfers', {
      headers: { link: `<${node.url}/ops/transfers?count=2&iteration_token=77>; title="page 2"; REL=NEXT` },
      body: [hsts.transferRunning],
    });
    expect((await client.listTransfers()).nextIterationToken).toBe('77');
  });

  it('reads ids only with view=id (§9.14)', async () => {
    node.answer('GET /ops/transfers', { body: [{ id: 'a' }, { id: 'b' }] });
    const page = await client.listTransfers({ view: 'id' });
    expect(page.transfers.map((t) => t.id)).toEqual(['a', 'b']);
  });

  it('follows pages and stops when the token does not change, keeping that token', async () => {
    node.answer('GET /ops/transfers', (request) => {
      const token = request.query.iteration_token;
      if (token === undefined) return { headers: next(node, '10'), body: [hsts.transferCompleted] };
      if (token === '10') return { headers: next(node, '20'), body: [hsts.transferFailed] };
      return { headers: next(node, '20'), body: [hsts.transferRunning] };
    });
    const result = await client.followTransfers(null);
    expect(node.requests.map((r) => r.query.iteration_token)).toEqual([undefined, '10', '20']);
    expect(result).toMatchObject({ lastToken: '20', stoppedBy: 'unchanged_token' });
    expect(result.transfers.map((t) => t.status)).toEqual(['completed', 'failed', 'running']);
  });

  it('stops on an empty page and keeps the token that led to it', async () => {
    node.answer('GET /ops/transfers', [
      { headers: next(node, '5'), body: [hsts.transferCompleted] },
      { headers: next(node, '6'), body: [] },
    ]);
    const result = await client.followTransfers('4', { count: 100, activeOnly: false });
    expect(node.requests.map((r) => r.query)).toEqual([
      { iteration_token: '4', count: '100', active_only: 'false' },
      { iteration_token: '5', count: '100', active_only: 'false' },
    ]);
    expect(result).toMatchObject({ lastToken: '5', stoppedBy: 'empty' });
    expect(result.transfers).toHaveLength(1);
  });

  it('stops when a page has no Link header', async () => {
    node.answer('GET /ops/transfers', [{ headers: next(node, '5'), body: [hsts.transferCompleted] }, { body: [hsts.transferRunning] }]);
    const result = await client.followTransfers(null);
    expect(node.requests).toHaveLength(2);
    expect(result).toMatchObject({ lastToken: '5', stoppedBy: 'no_next' });
    expect(result.transfers).toHaveLength(2);
  });

  it('gives up after maxPages on a node that always hands out a new token', async () => {
    let n = 0;
    node.answer('GET /ops/transfers', () => ({ headers: next(node, String(++n)), body: [hsts.transferRunning] }));
    const result = await client.followTransfers(null, { maxPages: 3 });
    expect(node.requests).toHaveLength(3);
    expect(result).toMatchObject({ lastToken: '3', stoppedBy: 'max_pages' });
  });

  it('gets one transfer by id, escaping the id into the path', async () => {
    node.answer('GET /ops/transfers/a%2Fb', { body: hsts.transferCompleted });
    const transfer = await client.getTransfer('a/b');
    expect(node.requests[0]!.url).toBe('/ops/transfers/a%2Fb');
    expect(transfer.id).toBe(hsts.transferCompleted.id);
    expect(bytesExpected(transfer)).toBe(1048576);
  });

  it('answers not_found for an unknown transfer id', async () => {
    node.answer('GET /ops/transfers/nope', {
      status: 404,
      body: { error: { code: 404, reason: 'Not Found', user_message: 'Transfer not found' } },
    });
    await expect(client.getTransfer('nope')).rejects.toMatchObject({ kind: 'not_found', nodeMessage: 'Transfer not found' });
  });

  it('cancels with PUT {"status":"canceled"}, accepting a spec echo or an empty 204', async () => {
    node.answer('PUT /ops/transfers/t1', [{ body: { ...hsts.transferRunning, status: 'canceled' } }, { status: 204 }]);
    await client.cancelTransfer('t1');
    await client.cancelTransfer('t1');
    expect(node.requests.map((r) => [r.method, r.path, r.body, r.headers['content-type']])).toEqual([
      ['PUT', '/ops/transfers/t1', { status: 'canceled' }, 'application/json'],
      ['PUT', '/ops/transfers/t1', { status: 'canceled' }, 'application/json'],
    ]);
  });

  it('knows the expected size only once precalc is ready (§5 progress recipe)', () => {
    expect(bytesExpected({ id: 'x', error_code: 0, precalc: { status: 'running', bytes_expected: 0 } })).toBeNull();
    expect(bytesExpected({ id: 'x', error_code: 0 })).toBeNull();
    expect(bytesExpected({ id: 'x', error_code: 0, precalc: { status: 'ready', bytes_expected: 42 } })).toBe(42);
  });

  it('calls a transfer list that is not an array, or a transfer without id, a bad response', async () => {
    node.answer('GET /ops/transfers', [{ body: { transfers: [] } }, { body: [{ status: 'running' }] }]);
    await expect(client.listTransfers()).rejects.toMatchObject({ kind: 'bad_response' });
    await expect(client.listTransfers()).rejects.toMatchObject({ kind: 'bad_response' });
  });
});
