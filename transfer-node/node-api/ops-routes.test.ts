import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specHeader } from '../../test-kit/gateway-download';
import { partialUpload } from '../../test-kit/gateway-upload';
import { startTestNode, upload, waitFor, type TestNode } from '../test/node-harness';

let t: TestNode;
beforeAll(async () => {
  t = await startTestNode();
  // One upload token carries one upload, so each of the five asks for its own.
  for (let i = 0; i < 5; i++) {
    const res = await upload(t, await t.uploadSpec('/Many'), [{ name: `f${i}.txt`, data: new Blob([`file ${i}`]) }]);
    expect(res.status).toBe(200);
  }
});
afterAll(() => t.close());

function nextToken(res: Response): string | null {
  const link = res.headers.get('link');
  const match = link && /<([^>]+)>;\s*rel="next"/i.exec(link);
  return match ? new URL(match[1] as string).searchParams.get('iteration_token') : null;
}

describe('GET /ops/transfers', () => {
  it('pages oldest first with an iteration token in a Link rel="next" header', async () => {
    const first = await t.api('/ops/transfers?count=2');
    expect(first.headers.get('link')).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/ops\/transfers\?count=2&iteration_token=\d+>; rel="next"$/);
    const seen: string[] = (await first.json()).map((x: { id: string }) => x.id);
    let token = nextToken(first);
    for (;;) {
      const res = await t.api(`/ops/transfers?count=2&iteration_token=${token}`);
      const page = await res.json();
      if (page.length === 0) {
        expect(nextToken(res)).toBeNull();
        break;
      }
      seen.push(...page.map((x: { id: string }) => x.id));
      token = nextToken(res);
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    // Polling later with the last token returns only newer transfers.
    const spec = await t.uploadSpec('/Many');
    await upload(t, spec, [{ name: 'later.txt', data: new Blob(['later']) }]);
    const newer = await (await t.api(`/ops/transfers?iteration_token=${token}`)).json();
    expect(newer).toHaveLength(1);
    expect(newer[0].files[0].path).toBe('/Many/later.txt');
  });

  it('supports view=id, active_only and direction filters, and refuses a bad token', async () => {
    const ids = await t.apiJson('/ops/transfers?view=id');
    expect(ids[0]).toEqual({ id: expect.any(String) });
    expect(await t.apiJson('/ops/transfers?active_only=true')).toEqual([]);
    expect((await t.apiJson('/ops/transfers?active_only=false')).length).toBe(6);
    expect(await t.apiJson('/ops/transfers?direction=receive')).toEqual([]);
    expect((await t.api('/ops/transfers?iteration_token=abc')).status).toBe(400);
    expect((await t.api('/ops/transfers/not-a-uuid')).status).toBe(404);
    expect((await t.api('/ops/transfers/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('GET /ops/transfers?tag=', () => {
  it('filters by a tag given at setup, by presence or value', async () => {
    for (const share of ['s1', 's2', 's2']) {
      const spec = await t.uploadSpec('/Tagged', { tags: { portal: { share_id: share } } });
      await upload(t, spec, [{ name: `${share}-${Math.random()}.txt`, data: new Blob(['t']) }]);
    }
    expect(await t.apiJson(`/ops/transfers?tag=${encodeURIComponent('portal.share_id=s2')}`)).toHaveLength(2);
    expect(await t.apiJson(`/ops/transfers?tag=${encodeURIComponent('portal.share_id=s1')}`)).toHaveLength(1);
    expect(await t.apiJson('/ops/transfers?tag=portal.share_id')).toHaveLength(3);
    expect(await t.apiJson('/ops/transfers?tag=portal.nope')).toEqual([]);
    expect((await t.api('/ops/transfers?tag=portal..x')).status).toBe(400);
  });
});

describe('live transfers and cancel', () => {
  it('shows live byte counts of a running upload, and DELETE cancels it leaving no file', async () => {
    const spec = await t.uploadSpec('/Live');
    const up = partialUpload(t.node.gatewayUrl, spec, { path: 'slow.bin', size: 1_000_000 }, 300_000);
    const running = await waitFor(async () => {
      const list = await t.apiJson('/ops/transfers?active_only=true');
      return list.find((x: { bytes_transferred: number }) => x.bytes_transferred >= 300_000);
    });
    expect(running).toMatchObject({ status: 'running', start_spec: { direction: 'send' }, precalc: { bytes_expected: 1_000_000 } });
    expect(running.sessions[0]).toMatchObject({ status: 'running', bytes_transferred: 300_000 });
    const del = await t.api(`/ops/transfers/${running.id}`, undefined, { method: 'DELETE' });
    expect(del.status).toBe(204);
    const outcome = await up.response.catch((err: Error) => ({ status: 0, body: err.message }));
    expect([0, 499]).toContain(outcome.status);
    expect(await t.apiJson(`/ops/transfers/${running.id}`)).toMatchObject({ status: 'canceled', error_code: 499 });
    expect(await readdir(t.docroot)).not.toContain('Live');
    await waitFor(async () => (await readdir(join(t.docroot, '.courier-staging'))).length === 0);
  });

  it('PUT {status: "canceled"} cancels a running download', async () => {
    await writeFile(join(t.docroot, 'big.bin'), Buffer.alloc(64 * 1024 * 1024));
    const spec = await t.downloadSpec(['/big.bin']);
    const res = await fetch(t.node.gatewayUrl + '/v3/download', { headers: { 'x-aspera-spec': specHeader(spec) } });
    const id = res.headers.get('x-transfer-id') as string;
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const live = await t.apiJson(`/ops/transfers/${id}`);
    expect(live.status).toBe('running');
    const put = await t.api(`/ops/transfers/${id}`, undefined, {
      method: 'PUT',
      body: JSON.stringify({ status: 'canceled' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(put.status).toBe(200);
    expect((await put.json()).status).toBe('canceled');
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return 'ended';
      })(),
    ).rejects.toThrow();
    const unsupported = await t.api(`/ops/transfers/${id}`, undefined, {
      method: 'PUT',
      body: JSON.stringify({ status: 'paused' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(unsupported.status).toBe(400);
  });

  it('PUT with rate fields it does not apply answers 400 naming the field, and changes nothing', async () => {
    const [first] = await t.apiJson('/ops/transfers?count=1');
    const put = (body: object) =>
      t.api(`/ops/transfers/${first.id}`, undefined, {
        method: 'PUT',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
    for (const field of ['target_rate_kbps', 'min_rate_kbps', 'rate_policy']) {
      const res = await put({ [field]: field === 'rate_policy' ? 'low' : 1000 });
      expect(res.status).toBe(400);
      expect((await res.json()).error.user_message).toContain(`"${field}"`);
    }
    // Even beside a cancel: half-applying a request would hide the part that was dropped.
    expect((await put({ status: 'canceled', target_rate_kbps: 5 })).status).toBe(400);
    expect(await t.apiJson(`/ops/transfers/${first.id}`)).toEqual(first);
  });
});
