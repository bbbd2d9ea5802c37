import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeClient, type NodeClient } from './node-client';
import * as hsts from './test/hsts-responses';
import { type RecordingNode, startRecordingNode } from './test/recording-node';

describe('node client: upload_setup and download_setup (docs/node-api.md §4)', () => {
  let node: RecordingNode;
  let client: NodeClient;
  beforeEach(async () => {
    node = await startRecordingNode();
    client = createNodeClient({ url: node.url, auth: { type: 'basic', username: 'nodeuser', password: 'n0de-Secret' }, verifyTls: true });
  });
  afterEach(() => node.close());

  it('wraps each request as {"transfer_requests":[{"transfer_request":…}]} and keeps the spec whole', async () => {
    node.answer('POST /files/download_setup', { body: { transfer_specs: [{ transfer_spec: hsts.downloadSpec }] } });
    const results = await client.downloadSetup([{ paths: [{ source: '/Outbox/report.pdf' }], token_life_seconds: 600 }]);
    expect(node.requests).toHaveLength(1);
    expect(node.requests[0]).toMatchObject({ method: 'POST', path: '/files/download_setup' });
    expect(node.requests[0]!.body).toEqual({
      transfer_requests: [{ transfer_request: { paths: [{ source: '/Outbox/report.pdf' }], token_life_seconds: 600 } }],
    });
    // `tags: null` and fields the schema does not list (sshfp, rate_policy_allowed) reach the caller as sent.
    expect(results).toEqual([{ ok: true, transferSpec: hsts.downloadSpec }]);
  });

  it('tolerates string ports and rates, http_fallback "force", and keeps unknown fields (§9.8)', async () => {
    node.answer('POST /files/upload_setup', { body: { transfer_specs: [{ transfer_spec: hsts.uploadSpec }] } });
    const [result] = await client.uploadSetup([{ paths: [{ destination: '/Upload/p42' }] }]);
    expect(node.requests[0]!.body).toEqual({ transfer_requests: [{ transfer_request: { paths: [{ destination: '/Upload/p42' }] } }] });
    expect(result).toMatchObject({
      ok: true,
      transferSpec: {
        direction: 'send',
        destination_root: '/Upload/p42',
        ssh_port: 33001,
        target_rate_kbps: 100000,
        http_fallback: 'force',
        some_future_field: { kept: true },
      },
    });
  });

  it('reads a per-item error beside the spec, with HTTP 200', async () => {
    node.answer('POST /files/download_setup', { status: 200, body: hsts.setupErrorAtItem });
    const results = await client.downloadSetup([{ paths: [{ source: '/missing' }] }]);
    expect(results).toEqual([{ ok: false, error: { status: 404, message: 'Path does not exist' } }]);
  });

  it('reads a per-item error nested inside transfer_spec, with HTTP 200 (§9.2)', async () => {
    node.answer('POST /files/download_setup', { status: 200, body: hsts.setupErrorInsideSpec });
    const results = await client.downloadSetup([{ paths: [{ source: '/missing' }] }]);
    expect(results).toEqual([{ ok: false, error: { status: 404, message: 'Path does not exist' } }]);
  });

  it('answers one result per request, in order, mixing both error placements and successes', async () => {
    node.answer('POST /files/upload_setup', {
      body: {
        transfer_specs: [
          { transfer_spec: hsts.uploadSpec },
          hsts.setupErrorAtItem.transfer_specs[0],
          { transfer_spec: { ...hsts.uploadSpec, error: { code: 403, reason: 'Forbidden', description: 'Outside docroot' } } },
          { error: '' },
        ],
      },
    });
    const requests = ['/a', '/b', '/c', '/d'].map((destination) => ({ paths: [{ destination }] }));
    const results = await client.uploadSetup(requests);
    expect((node.requests[0]!.body as { transfer_requests: unknown[] }).transfer_requests).toHaveLength(4);
    expect(results.map((r) => (r.ok ? 'ok' : r.error))).toEqual([
      'ok',
      { status: 404, message: 'Path does not exist' },
      { status: 403, message: 'Outside docroot' },
      { status: null, message: 'The node refused this item' },
    ]);
  });

  it('calls a spec without a direction a bad response rather than hand it to a client', async () => {
    node.answer('POST /files/upload_setup', { body: { transfer_specs: [{ transfer_spec: { token: 'ATM2_x_2MTA' } }] } });
    await expect(client.uploadSetup([{ paths: [{ destination: '/a' }] }])).rejects.toMatchObject({ kind: 'bad_response' });
  });

  it('calls a missing transfer_specs array a bad response', async () => {
    node.answer('POST /files/upload_setup', { body: { specs: [] } });
    await expect(client.uploadSetup([{ paths: [{ destination: '/a' }] }])).rejects.toMatchObject({ kind: 'bad_response' });
  });
});
