/**
 * Node-to-node transfers (docs/node-api.md §5.1) between two real nodes over HTTP: the source node
 * is asked with `POST /ops/transfers` and carries the bytes over the destination's HTTP Gateway.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdingProxy } from '../../test-kit/holding-proxy';
import { sha256, startTestNode, waitFor, type TestNode } from '../test/node-harness';

let source: TestNode;
let destination: TestNode;
const files: Record<string, Buffer> = {
  'big.bin': randomBytes(5 * 1024 * 1024 + 17),
  'Project/readme.txt': Buffer.from('read me\n'),
  'Project/data/one.bin': randomBytes(300_000),
  'Project/data/deeper/two.bin': randomBytes(1),
  'Project/data/deeper/empty.bin': Buffer.alloc(0),
};

beforeAll(async () => {
  [source, destination] = await Promise.all([startTestNode(), startTestNode()]);
  for (const [path, data] of Object.entries(files)) {
    await mkdir(join(source.docroot, 'Out', path, '..'), { recursive: true });
    await writeFile(join(source.docroot, 'Out', path), data);
  }
  await mkdir(join(destination.docroot, 'In'), { recursive: true });
});
afterAll(async () => {
  await Promise.all([source?.close(), destination?.close()]);
});

async function postTransfer(node: TestNode, body: unknown) {
  const res = await node.api('/ops/transfers', body);
  return { status: res.status, body: await res.json() };
}

async function finished(node: TestNode, id: string) {
  return waitFor(async () => {
    const record = await node.apiJson(`/ops/transfers/${id}`);
    return record.status === 'running' ? null : record;
  }, 30_000);
}

describe('POST /ops/transfers, send over the remote gateway', () => {
  it('carries a file and a folder tree to the destination node, byte for byte, and reports it like any transfer', async () => {
    const spec = await destination.uploadSpec('/In', { tags: { courier: { transfer_id: 'copy-1' } } });
    const started = await postTransfer(source, {
      ...spec,
      paths: [{ source: '/Out/big.bin' }, { source: '/Out/Project', destination: 'Project copy' }],
    });
    expect(started.status).toBe(200);
    expect(started.body.start_spec).toMatchObject({ direction: 'send', destination_path: '/In' });
    const record = await finished(source, started.body.id);
    expect(record).toMatchObject({ status: 'completed', error_code: 0, files_completed: 5 });
    const total = Object.values(files).reduce((sum, b) => sum + b.length, 0);
    expect(record.bytes_transferred).toBe(total);
    expect(record.precalc).toMatchObject({ bytes_expected: total, files_expected: 5 });
    expect(record.start_spec.tags.courier.transfer_id).toBe('copy-1');
    for (const [path, data] of Object.entries(files)) {
      const arrived = join(destination.docroot, 'In', path.replace(/^Project/, 'Project copy'));
      expect(sha256(await readFile(arrived)), path).toBe(sha256(data));
    }
    // The tracker's tag filter finds it on the source node (docs/node-api.md §5).
    const tagged = await source.apiJson('/ops/transfers?tag=courier.transfer_id=copy-1');
    expect(tagged.map((t: { id: string }) => t.id)).toContain(started.body.id);
  });

  it('records a refusal by the remote gateway as a failed transfer with its status and reason', async () => {
    const spec = await destination.uploadSpec('/In');
    const token = String(spec.token);
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const started = await postTransfer(source, {
      ...spec,
      token: tampered,
      paths: [{ source: '/Out/Project/readme.txt', destination: 'forged.txt' }],
    });
    expect(started.status).toBe(200);
    const record = await finished(source, started.body.id);
    expect(record.status).toBe('failed');
    expect(record.error_code).toBe(401);
    expect(record.error_desc).toMatch(/^The remote HTTP Gateway refused the transfer \(401\)/);
    await expect(readdir(join(destination.docroot, 'In'))).resolves.not.toContain('forged.txt');
  });

  it('cancels a running transfer through DELETE, and nothing lands under a final name', async () => {
    const proxy = await holdingProxy(destination.node.gatewayUrl, 1024 * 1024);
    try {
      const spec = await destination.uploadSpec('/In');
      const tags = { aspera: { 'http-gateway': { url: proxy.url(destination.node.gatewayUrl) } } };
      const started = await postTransfer(source, { ...spec, tags, paths: [{ source: '/Out/big.bin', destination: 'canceled.bin' }] });
      await proxy.held;
      const running = await source.apiJson(`/ops/transfers/${started.body.id}`);
      expect(running.status).toBe('running');
      expect(running.bytes_transferred).toBeGreaterThan(0);
      expect((await source.api(`/ops/transfers/${started.body.id}`, undefined, { method: 'DELETE' })).status).toBe(204);
      const record = await finished(source, started.body.id);
      expect(record).toMatchObject({ status: 'canceled', error_code: 499 });
      // The destination saw its upload end short and discarded it.
      await waitFor(async () => {
        const list = await destination.apiJson('/ops/transfers?active_only=false&view=summary');
        return list.some((t: { start_spec: { source_paths: string[] } }) => t.start_spec.source_paths.includes('canceled.bin'));
      });
      await expect(readdir(join(destination.docroot, 'In'))).resolves.not.toContain('canceled.bin');
    } finally {
      proxy.release();
      await proxy.close();
    }
  });
});

describe('POST /ops/transfers, receive over the remote gateway', () => {
  it('brings remote files into a local folder, byte for byte', async () => {
    const spec = await destination.downloadSpec(['/In/big.bin', '/In/Project copy/data/one.bin']);
    const started = await postTransfer(source, { ...spec, destination_root: '/Back' });
    expect(started.status).toBe(200);
    const record = await finished(source, started.body.id);
    expect(record).toMatchObject({ status: 'completed', files_completed: 2 });
    expect(sha256(await readFile(join(source.docroot, 'Back', 'big.bin')))).toBe(sha256(files['big.bin'] as Buffer));
    expect(sha256(await readFile(join(source.docroot, 'Back', 'one.bin')))).toBe(sha256(files['Project/data/one.bin'] as Buffer));
  });

  it('brings a remote folder tree home, byte for byte, under its own name or the one asked, empty folders included', async () => {
    await mkdir(join(destination.docroot, 'In/Project copy/data/empty-dir'), { recursive: true });
    const spec = await destination.downloadSpec(['/In/Project copy']);
    const started = await postTransfer(source, {
      ...spec,
      destination_root: '/BackFolder',
      paths: [{ source: '/In/Project copy' }, { source: '/In/Project copy', destination: 'Renamed' }],
    });
    expect(started.status).toBe(200);
    const record = await finished(source, started.body.id);
    expect(record).toMatchObject({ status: 'completed', error_code: 0, files_completed: 8 });
    for (const top of ['Project copy', 'Renamed']) {
      for (const [path, data] of Object.entries(files).filter(([p]) => p.startsWith('Project/'))) {
        const arrived = join(source.docroot, 'BackFolder', top, path.slice('Project/'.length));
        expect(sha256(await readFile(arrived)), `${top}/${path}`).toBe(sha256(data));
      }
      expect(await readdir(join(source.docroot, 'BackFolder', top, 'data/empty-dir'))).toEqual([]);
    }
    // Neither the zip nor an unpacked file stays behind in staging.
    expect(await readdir(join(source.docroot, '.courier-staging'))).toEqual([]);
  });

  it('refuses a folder the remote could not zip whole (a hard link left out), and writes nothing', async () => {
    await mkdir(join(destination.docroot, 'In/WithHard'), { recursive: true });
    await writeFile(join(destination.docroot, 'In/WithHard/a.txt'), 'alpha');
    await link(join(destination.docroot, 'In/WithHard/a.txt'), join(destination.docroot, 'In/WithHard/b.txt'));
    const spec = await destination.downloadSpec(['/In/WithHard']);
    const started = await postTransfer(source, { ...spec, destination_root: '/BackHard' });
    const record = await finished(source, started.body.id);
    expect(record).toMatchObject({ status: 'failed', error_code: 422 });
    expect(record.error_desc).toMatch(/left 2 item\(s\) of \/In\/WithHard out/);
    await expect(readdir(join(source.docroot, 'BackHard')).catch(() => [])).resolves.toEqual([]);
    expect(await readdir(join(source.docroot, '.courier-staging'))).toEqual([]);
  });
});

describe('POST /ops/transfers, refused at once', () => {
  let spec: Record<string, unknown>;
  beforeAll(async () => {
    spec = await destination.uploadSpec('/In');
  });
  const one = [{ source: '/Out/big.bin' }];

  it.each([
    ['SSH credentials (S4)', { remote_password: 'secret' }, /SSH-credential transfers \(scenario S4\)/],
    ['an SSH key (S4)', { ssh_private_key: '-----BEGIN' }, /"ssh_private_key": SSH-credential/],
    ['ascp4', { use_ascp4: true }, /"use_ascp4" needs FASP/],
    ['several FASP sessions', { multi_session: 4 }, /"multi_session" needs FASP/],
    ['a FASP proxy', { fasp_proxy: { url: 'dnat://p' } }, /"fasp_proxy" needs FASP/],
    ['no token', { token: undefined }, /A transfer token is required/],
    ['no gateway for the remote', { tags: { courier: { transfer_id: 'x' } } }, /No HTTP Gateway is known for the remote node/],
    [
      'a gateway URL with credentials',
      { tags: { aspera: { 'http-gateway': { url: 'http://u:p@127.0.0.1:1/g' } } } },
      /must not carry credentials/,
    ],
    ['an unknown direction', { direction: 'both' }, /direction must be "send" or "receive"/],
    ['no paths', { paths: [] }, /paths must list at least one source/],
  ])('%s → 400 with the reason', async (_name, change, message) => {
    const res = await postTransfer(source, { ...spec, paths: one, ...change });
    expect(res.status).toBe(400);
    expect(res.body.error.user_message).toMatch(message);
  });

  it('confines local sources to the docroot and says which one is missing', async () => {
    const outside = await postTransfer(source, { ...spec, paths: [{ source: '../etc/passwd' }] });
    expect(outside.status).toBe(403);
    const missing = await postTransfer(source, { ...spec, paths: [{ source: '/Out/nope.bin' }] });
    expect(missing.status).toBe(404);
    expect(missing.body.error.user_message).toBe('Source does not exist: /Out/nope.bin');
  });

  it('takes the node user only', async () => {
    const res = await fetch(`${source.node.url}/ops/transfers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic ' + Buffer.from('nobody:wrong').toString('base64') },
      body: JSON.stringify({ ...spec, paths: one }),
    });
    expect(res.status).toBe(401);
  });
});
