import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../test/node-harness';

let t: TestNode;
beforeAll(async () => {
  t = await startTestNode({ tokenLifeSeconds: 600 });
  await mkdir(join(t.docroot, 'Outbox/folder'), { recursive: true });
  await writeFile(join(t.docroot, 'Outbox/report.pdf'), Buffer.alloc(1234));
  await writeFile(join(t.docroot, 'Outbox/folder/a.txt'), 'abc');
  await symlink('/etc', join(t.docroot, 'escape'));
});
afterAll(() => t.close());

describe('POST /files/upload_setup', () => {
  it('returns one send spec per request, the single destination folded into destination_root', async () => {
    const res = await t.apiJson('/files/upload_setup', {
      transfer_requests: [{ transfer_request: { paths: [{ destination: '/Upload/p42' }], cookie: 'c1', tags: { portal: { id: 7 } } } }],
    });
    const spec = res.transfer_specs[0].transfer_spec;
    expect(spec).toMatchObject({
      direction: 'send',
      destination_root: '/Upload/p42',
      paths: [{}],
      remote_host: '127.0.0.1',
      remote_user: 'xfer',
      cookie: 'c1',
      tags: { portal: { id: 7 }, aspera: { 'http-gateway': { url: t.node.gatewayUrl } } },
    });
    expect(spec.token).toMatch(/^ATC1_.+_1CTA$/);
  });

  it('keeps source/destination pairs as file targets under destination_root', async () => {
    const res = await t.apiJson('/files/upload_setup', {
      transfer_requests: [{ transfer_request: { destination_root: '/Upload', paths: [{ source: 'a.txt', destination: 'renamed.txt' }] } }],
    });
    expect(res.transfer_specs[0].transfer_spec).toMatchObject({
      destination_root: '/Upload',
      paths: [{ source: 'a.txt', destination: 'renamed.txt' }],
    });
  });

  it('gives per-item errors with HTTP 200: outside the docroot, not a folder, malformed', async () => {
    const res = await t.api('/files/upload_setup', {
      transfer_requests: [
        { transfer_request: { paths: [{ destination: '/../etc' }] } },
        { transfer_request: { paths: [{ destination: '/Outbox/report.pdf' }] } },
        { transfer_request: { paths: [{ destination: '/escape/x' }] } },
        { transfer_request: { paths: 'nope' } },
        { transfer_request: { destination_root: '/Upload' } },
      ],
    });
    expect(res.status).toBe(200);
    const items = (await res.json()).transfer_specs;
    expect(items[0]).toEqual({ error: { code: 403, reason: 'Forbidden', user_message: 'Path is outside the docroot' } });
    expect(items[1].error).toMatchObject({ code: 409, user_message: 'Path is not a folder' });
    expect(items[2].error).toMatchObject({ code: 403 });
    expect(items[3].error).toMatchObject({ code: 400 });
    expect(items[4].transfer_spec).toMatchObject({ destination_root: '/Upload' });
  });
});

describe('POST /files/download_setup', () => {
  it('keeps the requested paths, sets the expected size for the gateway, and a receive token', async () => {
    const spec = await t.downloadSpec(['/Outbox/report.pdf', '/Outbox/folder']);
    expect(spec).toMatchObject({
      direction: 'receive',
      paths: [{ source: '/Outbox/report.pdf' }, { source: '/Outbox/folder' }],
      source_root: '',
      destination_root: '',
      tags: { aspera: { 'http-gateway': { expected_size: 1237, url: t.node.gatewayUrl } } },
    });
  });

  it('honours source_root and gives per-item errors for missing and escaping sources', async () => {
    const res = await t.apiJson('/files/download_setup', {
      transfer_requests: [
        { transfer_request: { source_root: '/Outbox', paths: [{ source: 'report.pdf' }] } },
        { transfer_request: { paths: [{ source: '/Outbox/missing' }] } },
        { transfer_request: { paths: [{ source: '/escape/passwd' }] } },
        { transfer_request: { paths: [] } },
      ],
    });
    expect(res.transfer_specs[0].transfer_spec).toMatchObject({ source_root: '/Outbox', paths: [{ source: 'report.pdf' }] });
    expect(res.transfer_specs[1].error).toMatchObject({ code: 404, reason: 'Not Found' });
    expect(res.transfer_specs[2].error).toMatchObject({ code: 403 });
    expect(res.transfer_specs[3].error).toMatchObject({ code: 400 });
  });

  it('refuses a body without transfer_requests as a whole-request 400', async () => {
    const res = await t.api('/files/download_setup', { paths: [] });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe(400);
  });
});
