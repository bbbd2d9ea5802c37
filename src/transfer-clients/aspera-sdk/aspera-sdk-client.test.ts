// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TransferClientEvent } from '../transfer-client';
import { createAsperaSdkClient } from './aspera-sdk-client';
import type { AsperaSdkTransfer } from './sdk-types';
import { FakeAsperaSdk, type FakeAsperaSdkOptions } from './testing/fake-aspera-sdk';

const w = window as unknown as { asperaSdk?: unknown };

const spec = (transferId: string, direction: 'send' | 'receive' = 'send', size = 1000) => ({
  direction,
  remote_host: 'node.example',
  token: 'ATM-secret',
  destination_root: '/Up',
  paths: [{ source: 'a.txt', destination: 'a.txt' }],
  tags: { courier: { transfer_id: transferId }, aspera: { 'http-gateway': { expected_size: size } } },
});

function setup(options: FakeAsperaSdkOptions = {}, clientOptions: { provisionalCompletionMs?: number } = {}) {
  const fake = new FakeAsperaSdk({ stepMs: 2, ...options });
  w.asperaSdk = fake;
  const client = createAsperaSdkClient({
    sdkUrl: 'http://sdk.invalid/aspera-sdk.js',
    appId: 'courier:u1',
    detectionTimeoutMs: 500,
    ...clientOptions,
  });
  const events: TransferClientEvent[] = [];
  client.subscribe((e) => events.push(e));
  const statuses = (id: string) => events.filter((e) => e.transferId === id).map((e) => e.status);
  const last = (id: string) => events.filter((e) => e.transferId === id).at(-1);
  return { fake, client, events, statuses, last };
}

afterEach(() => {
  delete w.asperaSdk;
});

describe('aspera-sdk adapter: session and availability', () => {
  it('initialises once with the app id and one activity callback for the page lifetime (§7)', async () => {
    const { fake, client } = setup();
    expect(await client.availability()).toMatchObject({ available: true, state: 'running', sdkStatus: 'RUNNING' });
    await client.availability();
    expect(fake.initOptions).toEqual({ appId: 'courier:u1' });
    expect([...fake.activityCallbacks.keys()]).toEqual(['callback-1']);
    expect(fake.statusCallbacks.size).toBe(1);
  });

  it('follows the status: failed with a reason, then running when Desktop is launched, then disconnected', async () => {
    const { fake, client } = setup({ status: 'FAILED', launchStartsDesktop: true });
    const seen: string[] = [];
    client.subscribeAvailability((a) => seen.push(a.state));
    expect(seen[0]).toBe('loading'); // the current value at once
    const first = await client.availability();
    expect(first).toMatchObject({ available: false, state: 'failed' });
    expect(first.reason).toMatch(/install it or launch it/);
    const entry = { platform: 'linux', arch: 'x64', type: 'deb', url: 'https://downloads.example/desktop.deb', version: '1.0.16' };
    const fetched: string[] = [];
    vi.stubGlobal('fetch', (url: string) => {
      fetched.push(url);
      return Promise.resolve(new Response(JSON.stringify({ entries: [entry, { ...entry, platform: 'macos' }] })));
    });
    // happy-dom's user agent names Linux: the SDK keeps that platform's entries.
    expect(await client.desktop.installers()).toEqual([entry]);
    expect(fetched).toEqual(['https://downloads.ibmaspera.com/downloads/desktop/latest/stable/latest.json']);
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    expect(await client.desktop.installers()).toEqual([]);
    vi.unstubAllGlobals();
    client.desktop.launch();
    await vi.waitFor(() => expect(seen.at(-1)).toBe('running'));
    expect(fake.launches).toBe(1);
    // §11: the launch is an aspera:// frame, as with the real SDK.
    expect(document.querySelector('iframe')?.getAttribute('src')).toBe('aspera://');
    fake.setStatus('DISCONNECTED');
    expect(seen.at(-1)).toBe('disconnected');
    fake.setStatus('DEGRADED');
    expect((await client.availability()).reason).toMatch(/HTTP Gateway/);
  });

  it('reports a status that never settles as unavailable, not a hang', async () => {
    const fake = new FakeAsperaSdk({ status: 'INITIALIZING' });
    w.asperaSdk = fake;
    const client = createAsperaSdkClient({ sdkUrl: 'x', appId: 'a', detectionTimeoutMs: 30 });
    expect(await client.availability()).toMatchObject({
      available: false,
      state: 'failed',
      reason: expect.stringMatching(/did not answer in time/),
    });
  });
});

describe('aspera-sdk adapter: Desktop transfers', () => {
  it('maps initiating → queued → running with progress → completed, copies of the SDK objects', async () => {
    const { fake, client, events, statuses, last } = setup();
    await client.start({
      transferId: 't1',
      direction: 'upload',
      transferSpec: spec('t1'),
      localPaths: [{ source: '/home/u/a.txt', destination: 'a.txt' }],
    });
    await vi.waitFor(() => expect(last('t1')?.files).toBeDefined());
    // the second `completed` adds Desktop's per-file list
    expect(statuses('t1')).toEqual(['starting', 'queued', 'running', 'running', 'running', 'running', 'completed', 'completed']);
    const running = events.filter((e) => e.status === 'running').map((e) => e.bytesDone);
    expect(running).toEqual([200, 400, 600, 800]);
    expect(last('t1')).toEqual({
      transferId: 't1',
      status: 'completed',
      bytesDone: 1000,
      bytesTotal: 1000,
      files: [{ path: '/home/u/a.txt', status: 'completed', bytesDone: 1000, bytesTotal: 1000 }],
    });
    // the spec handed over is a copy with the native paths and token authentication
    expect(fake.started[0]!.spec.paths).toEqual([{ source: '/home/u/a.txt', destination: 'a.txt' }]);
    expect(fake.started[0]!.spec.authentication).toBe('token');
    expect(fake.started[0]!.sdkSpec).toEqual({}); // §12.5: always an object
  });

  it('fails with the error Desktop gave, as something a person can act on', async () => {
    const { fake, client, last } = setup();
    fake.queueScenario('fail');
    await client.start({ transferId: 't2', direction: 'upload', transferSpec: spec('t2') });
    await vi.waitFor(() => expect(last('t2')?.status).toBe('failed'));
    expect(last('t2')!.error).toEqual({
      code: 'TRANSFER_FAILED',
      message: 'Server aborted session: Token authorization failed (error 19)',
    });
  });

  it('adds per-file status to the final event, so a retry can take only the failed files', async () => {
    const { fake, client, last } = setup();
    fake.queueScenario('fail');
    const localPaths = [{ source: '/home/u/a.txt' }, { source: '/home/u/b.txt' }];
    await client.start({ transferId: 'f1', direction: 'upload', transferSpec: spec('f1'), localPaths });
    await vi.waitFor(() => expect(last('f1')?.files).toBeDefined());
    expect(last('f1')).toMatchObject({ status: 'failed', error: { code: 'TRANSFER_FAILED' } });
    expect(last('f1')!.files).toEqual([
      { path: '/home/u/a.txt', status: 'completed', bytesDone: 500, bytesTotal: 500 },
      { path: '/home/u/b.txt', status: 'failed', bytesDone: 0, bytesTotal: 500, error: 'Token authorization failed' },
    ]);
  });

  it('stop → cancelled, resume → completed', async () => {
    const { fake, client, last } = setup();
    fake.queueScenario('hang');
    await client.start({ transferId: 't3', direction: 'download', transferSpec: spec('t3', 'receive') });
    await vi.waitFor(() => expect(last('t3')?.status).toBe('running'));
    await client.stop('t3');
    await vi.waitFor(() => expect(last('t3')?.status).toBe('cancelled'));
    await client.resume('t3');
    await vi.waitFor(() => expect(last('t3')?.status).toBe('completed'));
  });

  it('pause stops through the SDK and shows paused, not cancelled; resume continues; cancel while paused ends it (§9)', async () => {
    const { fake, client, last, statuses } = setup();
    fake.queueScenario('hang');
    await client.start({ transferId: 'p1', direction: 'upload', transferSpec: spec('p1') });
    await vi.waitFor(() => expect(last('p1')?.status).toBe('running'));
    const stop = vi.spyOn(fake, 'stopTransfer');
    await client.pause('p1');
    expect(stop).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(last('p1')?.status).toBe('paused'));
    expect(statuses('p1')).not.toContain('cancelled');
    const resume = vi.spyOn(fake, 'resumeTransfer');
    await client.resume('p1');
    expect(resume).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(last('p1')?.status).toBe('completed'));

    fake.queueScenario('hang');
    await client.start({ transferId: 'p2', direction: 'upload', transferSpec: spec('p2') });
    await vi.waitFor(() => expect(last('p2')?.status).toBe('running'));
    await client.pause('p2');
    await vi.waitFor(() => expect(last('p2')?.status).toBe('paused'));
    await client.stop('p2');
    expect(last('p2')?.status).toBe('cancelled');
  });

  it('refuses to pause a transfer the SDK carries over the gateway', async () => {
    const { client, last } = setup({ transferClient: 'http-gateway', scenario: 'hang' });
    await client.start({ transferId: 'g9', direction: 'upload', transferSpec: spec('g9') });
    await vi.waitFor(() => expect(last('g9')?.status).toBe('running'));
    await expect(client.pause('g9')).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
  });

  it('rejects an invalid spec and Desktop not running with a failed event, never a stuck row', async () => {
    const { client, last } = setup();
    await expect(
      client.start({ transferId: 't4', direction: 'upload', transferSpec: { direction: 'send', paths: [] } }),
    ).rejects.toMatchObject({ code: 'TRANSFER_FAILED', message: expect.stringMatching(/not valid/) });
    expect(last('t4')!.status).toBe('failed');
    const other = setup({ status: 'FAILED' });
    await other.client.availability();
    await expect(other.client.start({ transferId: 't5', direction: 'upload', transferSpec: spec('t5') })).rejects.toMatchObject({
      code: 'CLIENT_UNAVAILABLE',
    });
    expect(other.last('t5')!.status).toBe('failed');
  });

  it('brings back the transfers Desktop holds for this app after a reload (§12.9)', async () => {
    const existing: AsperaSdkTransfer = {
      uuid: 'held-1',
      transfer_spec: spec('t-old'),
      add_time: '',
      end_time: '',
      current_file: '',
      explorer_path: '',
      file_counts: { attempted: 1, completed: 0, failed: 0, skipped: 0 },
      status: 'running',
      previous_status: 'queued',
      bytes_written: 50,
      bytes_expected: 100,
      percentage: 0.5,
      calculated_rate_kbps: 1,
      elapsed_usec: 1,
      remaining_usec: 1,
      title: 'old',
      transfer_client: 'desktop',
    };
    const { client, last } = setup({
      existingTransfers: [existing, { ...existing, uuid: 'not-ours', transfer_spec: { direction: 'send' } }],
    });
    await client.availability();
    await vi.waitFor(() => expect(last('t-old')).toEqual({ transferId: 't-old', status: 'running', bytesDone: 50, bytesTotal: 100 }));
    await client.remove('t-old');
  });
});

describe('aspera-sdk adapter: a paused transfer after a reload', () => {
  afterEach(() => localStorage.clear());

  it('is still paused (Desktop restores it as cancelled), and Resume carries it on; once cancelled it is forgotten', async () => {
    const first = setup({ scenario: 'hang' });
    await first.client.start({ transferId: 'r1', direction: 'upload', transferSpec: spec('r1') });
    await vi.waitFor(() => expect(first.last('r1')?.status).toBe('running'));
    await first.client.pause('r1');
    await vi.waitFor(() => expect(first.last('r1')?.status).toBe('paused'));
    const held = [...first.fake.store.values()].map((t) => structuredClone(t));
    expect(held.map((t) => t.status)).toEqual(['cancelled']);

    // The page reloads: a new client, and Desktop hands back what it holds for this app.
    const second = setup({ existingTransfers: held });
    await second.client.availability();
    await vi.waitFor(() => expect(second.last('r1')?.status).toBe('paused'));
    await second.client.resume('r1');
    await vi.waitFor(() => expect(second.last('r1')?.status).toBe('completed'));

    // Cancelled while paused: after the next reload it is what it is, cancelled.
    const third = setup({ scenario: 'hang' });
    await third.client.start({ transferId: 'r2', direction: 'upload', transferSpec: spec('r2') });
    await vi.waitFor(() => expect(third.last('r2')?.status).toBe('running'));
    await third.client.pause('r2');
    await vi.waitFor(() => expect(third.last('r2')?.status).toBe('paused'));
    await third.client.stop('r2');
    const fourth = setup({ existingTransfers: [...third.fake.store.values()].map((t) => structuredClone(t)) });
    await fourth.client.availability();
    await vi.waitFor(() => expect(fourth.last('r2')?.status).toBe('cancelled'));
  });
});

describe('aspera-sdk adapter: gateway defects absorbed', () => {
  it('§12.2: a gateway upload completed is provisional; the late failed wins', async () => {
    const { client, statuses, last } = setup({ transferClient: 'http-gateway', scenario: 'gateway-rejected' });
    await client.start({ transferId: 'g1', direction: 'upload', transferSpec: spec('g1') });
    await vi.waitFor(() => expect(last('g1')?.status).toBe('failed'));
    expect(statuses('g1')).not.toContain('completed');
    expect(statuses('g1').filter((s) => s === 'failed')).toHaveLength(1); // the SDK says it 3 times
    expect(last('g1')!.error).toEqual({ code: 'FORBIDDEN', message: 'Access denied to /Upload' });
  });

  it('§12.2: a gateway upload completes once the answer arrived (httpRequestId), with no event from the SDK', async () => {
    const { client, statuses, last } = setup({ transferClient: 'http-gateway' }, { provisionalCompletionMs: 60_000 });
    await client.start({ transferId: 'g2', direction: 'upload', transferSpec: spec('g2') });
    await vi.waitFor(() => expect(last('g2')?.status).toBe('completed'));
    expect(statuses('g2').slice(-2)).toEqual(['running', 'completed']);
    expect(last('g2')!.bytesDone).toBe(last('g2')!.bytesTotal);
  });

  it('§12.2: a stop while the completion is provisional ends cancelled, not stuck running', async () => {
    const { client, last } = setup({ transferClient: 'http-gateway', stepMs: 40, progressSteps: 1 }, { provisionalCompletionMs: 60_000 });
    await client.start({ transferId: 'g8', direction: 'upload', transferSpec: spec('g8') });
    await vi.waitFor(() => expect(last('g8')).toMatchObject({ status: 'running', bytesDone: 1_000_500 }), { interval: 5 });
    await client.stop('g8');
    await vi.waitFor(() => expect(last('g8')?.status).toBe('cancelled'));
  });

  it('§7: events carry copies; the SDK mutating its live object does not change what was emitted', async () => {
    const { fake, client, events, last } = setup({ transferClient: 'http-gateway' });
    await client.start({ transferId: 'g3', direction: 'upload', transferSpec: spec('g3') });
    await vi.waitFor(() => expect(last('g3')?.status).toBe('completed'));
    const snapshot = JSON.stringify(events);
    const live = [...fake.store.values()][0]!;
    live.bytes_written = 1;
    live.status = 'failed';
    expect(JSON.stringify(events)).toBe(snapshot);
    expect(live.transfer_spec).not.toBe(spec('g3')); // §12.10: the SDK got our copy
  });

  it('§12.4: a stopped in-browser gateway download stays cancelled although the SDK runs it on', async () => {
    const { fake, client, statuses, last } = setup({ transferClient: 'http-gateway', progressSteps: 6, stepMs: 40 });
    await client.start({ transferId: 'g4', direction: 'download', transferSpec: spec('g4', 'receive') });
    await vi.waitFor(() => expect(last('g4')?.status).toBe('running'));
    await client.stop('g4');
    const live = [...fake.store.values()][0]!;
    await vi.waitFor(() => expect(live.status).toBe('completed'));
    expect(statuses('g4').at(-1)).toBe('cancelled');
  });

  it('§12.3: an in-browser download failure without details gets a message that says so', async () => {
    const { client, last } = setup({ transferClient: 'http-gateway', scenario: 'fail' });
    await client.start({ transferId: 'g5', direction: 'download', transferSpec: spec('g5', 'receive') });
    await vi.waitFor(() => expect(last('g5')?.status).toBe('failed'));
    expect(last('g5')!.error!.message).toMatch(/gave no details/);
  });

  it('§12.1/§12.8: a synchronous throw from startTransfer becomes a failed event and a rejection', async () => {
    const { fake, client, last } = setup({ transferClient: 'http-gateway' });
    const original = fake.startTransfer.bind(fake);
    fake.startTransfer = (s) => original(s, { http_gateway_authentication: { access_key: 'k', token: 't' } });
    await expect(client.start({ transferId: 'g6', direction: 'upload', transferSpec: spec('g6') })).rejects.toMatchObject({
      code: 'TRANSFER_FAILED',
      message: expect.stringMatching(/setRequestHeader/),
    });
    expect(last('g6')!.status).toBe('failed');
  });

  it('§12.7: control calls refuse a transfer whose client is no longer the active one', async () => {
    const { fake, client, last } = setup({ transferClient: 'http-gateway', scenario: 'hang' });
    await client.start({ transferId: 'g7', direction: 'upload', transferSpec: spec('g7') });
    await vi.waitFor(() => expect(last('g7')?.status).toBe('running'));
    (fake.options as { transferClient: string }).transferClient = 'desktop';
    await expect(client.stop('g7')).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
  });
});

describe('aspera-sdk adapter: native picking (§10)', () => {
  it('returns local paths, one entry per path, and null on cancel', async () => {
    const files = [
      { name: '/home/u/Photos', size: 0, type: '', lastModified: 1 },
      { name: '/home/u/a.txt', size: 5, type: 'text/plain', lastModified: 1 },
    ];
    const { client } = setup({ dialogFiles: [...files, files[1]!] });
    expect(await client.native.pickFiles()).toEqual([
      { localPath: '/home/u/Photos', name: 'Photos', size: 0, type: '' },
      { localPath: '/home/u/a.txt', name: 'a.txt', size: 5, type: 'text/plain' },
    ]);
    const cancelling = setup({ dialogFiles: 'cancel' });
    expect(await cancelling.client.native.pickFolders()).toBeNull();
  });
});
