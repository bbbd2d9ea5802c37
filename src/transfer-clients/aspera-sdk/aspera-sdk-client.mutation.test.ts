// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TransferClientEvent } from '../transfer-client';
import { createAsperaSdkClient, type AsperaSdkClientOptions } from './aspera-sdk-client';
import type { AsperaSdkTransfer } from './sdk-types';
import { FakeAsperaSdk, type FakeAsperaSdkOptions } from './testing/fake-aspera-sdk';

// Scenarios of the Desktop adapter beyond aspera-sdk-client.test.ts, against the same fake SDK
// (docs/aspera-sdk.md): a bundle that does not load, a session that does not start, a status that
// takes its time, the gateway it falls back to, and each control call refused with its reason.

const w = window as unknown as { asperaSdk?: unknown };

const spec = (transferId: string, direction: 'send' | 'receive' = 'send', size = 1000) => ({
  direction,
  remote_host: 'node.example',
  token: 'ATM-secret',
  destination_root: '/Up',
  paths: [{ source: 'a.txt', destination: 'a.txt' }],
  tags: { courier: { transfer_id: transferId }, aspera: { 'http-gateway': { expected_size: size } } },
});

function setup(options: FakeAsperaSdkOptions = {}, clientOptions: Partial<AsperaSdkClientOptions> = {}) {
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
  const of = (id: string) => events.filter((e) => e.transferId === id);
  const last = (id: string) => of(id).at(-1);
  return { fake, client, events, of, last };
}

/** A window whose `<script>` for the SDK fails while `broken` says so, then defines the SDK. */
function loadingWindow(fake: FakeAsperaSdk) {
  const state = { broken: true, attempts: 0 };
  const win = {
    setTimeout: (run: () => void, ms: number) => setTimeout(run, ms),
    clearTimeout: (handle: ReturnType<typeof setTimeout>) => clearTimeout(handle),
    document: {
      createElement: () => ({ remove() {} }),
      head: {
        append(script: { onload: () => void; onerror: () => void }) {
          state.attempts += 1;
          if (state.broken) setTimeout(() => script.onerror());
          else {
            (win as { asperaSdk?: unknown }).asperaSdk = fake;
            setTimeout(() => script.onload());
          }
        },
      },
    },
  };
  return { win: win as unknown as Window, state };
}

const held = (transferId: string, patch: Partial<AsperaSdkTransfer> = {}): AsperaSdkTransfer => ({
  uuid: `held-${transferId}`,
  transfer_spec: spec(transferId, 'receive'),
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
  title: 'held',
  transfer_client: 'desktop',
  ...patch,
});

afterEach(() => {
  vi.useRealTimers();
  delete w.asperaSdk;
});

describe('what the adapter offers', () => {
  it('is the Desktop client: pause, resume, per-file progress and native picking', () => {
    const { client } = setup();
    expect(client.kind).toBe('desktop');
    expect(client.capabilities).toEqual({ pause: true, resume: true, perFileProgress: true, nativeFilePicking: true });
  });

  it("hands Courier's gateway to the SDK only when one is configured (§4)", async () => {
    const settings = { url: 'https://gw.example/aspera/http-gwy', forceGateway: false };
    const { fake, client } = setup({}, { httpGatewaySettings: settings });
    await client.availability();
    expect(fake.initOptions).toEqual({ appId: 'courier:u1', httpGatewaySettings: settings });
  });
});

describe('when the SDK does not come up', () => {
  it('a bundle that cannot be fetched is named, refuses transfers and picking with that reason, and is tried again', async () => {
    const fake = new FakeAsperaSdk({ stepMs: 2 });
    const { win, state } = loadingWindow(fake);
    const client = createAsperaSdkClient({ sdkUrl: 'https://cdn.example/aspera-sdk.js', appId: 'a', window: win, detectionTimeoutMs: 500 });
    const events: TransferClientEvent[] = [];
    client.subscribe((e) => events.push(e));

    const down = await client.availability();
    expect(down).toEqual({
      available: false,
      state: 'unavailable',
      reason: expect.stringMatching(
        /^The IBM Aspera SDK could not be loaded from https:\/\/cdn\.example\/aspera-sdk\.js: the script could not be fetched/,
      ),
    });
    await expect(client.start({ transferId: 't1', direction: 'upload', transferSpec: spec('t1') })).rejects.toMatchObject({
      code: 'CLIENT_UNAVAILABLE',
      message: down.reason,
    });
    expect(events).toEqual([
      { transferId: 't1', status: 'failed', bytesDone: 0, bytesTotal: null, error: { code: 'CLIENT_UNAVAILABLE', message: down.reason } },
    ]);
    await expect(client.native.pickFiles()).rejects.toMatchObject({ code: 'CLIENT_UNAVAILABLE', message: down.reason });
    await expect(client.native.pickFolders()).rejects.toMatchObject({ code: 'CLIENT_UNAVAILABLE' });
    await expect(client.stop('t1')).rejects.toMatchObject({ code: 'CLIENT_UNAVAILABLE', message: down.reason });
    await expect(client.resume('t1')).rejects.toMatchObject({ code: 'CLIENT_UNAVAILABLE', message: down.reason });
    client.desktop.launch(); // nothing to launch with: no throw
    expect(await client.desktop.installers()).toEqual([]); // waits for the same failed load
    const attemptsWhileDown = state.attempts;
    expect(attemptsWhileDown).toBeGreaterThan(1);

    state.broken = false;
    expect(await client.availability()).toMatchObject({ available: true, state: 'running' });
    expect(state.attempts).toBe(attemptsWhileDown + 1);
    await client.availability();
    expect(state.attempts).toBe(attemptsWhileDown + 1); // loaded once, then kept
  });

  it('a session that fails to start says why', async () => {
    const fake = new FakeAsperaSdk({ stepMs: 2 });
    fake.initSession = () => {
      throw new Error('appId is required');
    };
    w.asperaSdk = fake;
    const client = createAsperaSdkClient({ sdkUrl: 'x', appId: 'a', detectionTimeoutMs: 500 });
    expect(await client.availability()).toEqual({
      available: false,
      state: 'failed',
      reason: 'The start of IBM Aspera for Desktop failed: appId is required',
    });
  });

  it('waits 8 s for Desktop by default, passing over "still looking", and takes the first real answer', async () => {
    vi.useFakeTimers();
    const slow = new FakeAsperaSdk({ status: 'INITIALIZING' });
    w.asperaSdk = slow;
    const client = createAsperaSdkClient({ sdkUrl: 'x', appId: 'a' });
    let answer: unknown;
    void client.availability().then((a) => (answer = a));
    await vi.advanceTimersByTimeAsync(1_000);
    slow.setStatus('RETRYING');
    await vi.advanceTimersByTimeAsync(6_900);
    expect(answer).toBeUndefined();
    slow.setStatus('DEGRADED');
    await vi.advanceTimersByTimeAsync(0);
    expect(answer).toMatchObject({ available: false, state: 'degraded', sdkStatus: 'DEGRADED' });
    expect(vi.getTimerCount()).toBe(0);

    delete w.asperaSdk;
    const silent = new FakeAsperaSdk({ status: 'INITIALIZING' });
    w.asperaSdk = silent;
    const other = createAsperaSdkClient({ sdkUrl: 'x', appId: 'a' });
    let late: unknown;
    void other.availability().then((a) => (late = a));
    await vi.advanceTimersByTimeAsync(7_999);
    expect(late).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(late).toMatchObject({ state: 'failed', reason: 'IBM Aspera for Desktop did not answer in time: launch it, or install it.' });
  });

  it('an availability subscriber hears changes until it unsubscribes', async () => {
    const { fake, client } = setup();
    const seen: string[] = [];
    const unsubscribe = client.subscribeAvailability((a) => seen.push(a.state));
    expect(await new Promise((resolve) => client.subscribeAvailability(resolve)())).toEqual({
      available: false,
      state: 'loading',
      reason: 'Looking for IBM Aspera for Desktop…',
    });
    await client.availability();
    fake.setStatus('DISCONNECTED');
    unsubscribe();
    fake.setStatus('RUNNING');
    expect(seen).toEqual(['loading', 'loading', 'running', 'disconnected']);
  });

  it('ignores activity that carries no transfers', async () => {
    const { fake, client, events } = setup();
    await client.availability();
    const activity = fake.activityCallbacks.get('callback-1')!;
    activity(undefined as never);
    activity({} as never);
    activity({ transfers: 'nope' } as never);
    expect(events).toEqual([]);
  });
});

describe('transfers after a reload (§12.9)', () => {
  it('asks Desktop again on its next start when the first listing failed, and only once it succeeded', async () => {
    const { fake, client, last } = setup({ existingTransfers: [held('t-old')] });
    const listAll = fake.getAllTransfers.bind(fake);
    let calls = 0;
    fake.getAllTransfers = () => (++calls === 1 ? Promise.reject(new Error('busy')) : listAll());
    await client.availability();
    await vi.waitFor(() => expect(calls).toBe(1));
    expect(last('t-old')).toBeUndefined();
    fake.setStatus('DISCONNECTED');
    expect(calls).toBe(1); // Desktop is asked (at once, in the status callback) once it runs, not while it is gone
    fake.setStatus('RUNNING');
    await vi.waitFor(() => expect(last('t-old')).toEqual({ transferId: 't-old', status: 'running', bytesDone: 50, bytesTotal: 100 }));
    fake.setStatus('DISCONNECTED');
    fake.setStatus('RUNNING');
    expect(calls).toBe(2);
  });

  it("a download already in the browser's downloads cannot be cancelled here", async () => {
    const ext = held('t-ext', { transfer_client: 'http-gateway', httpDownloadExternalHandle: true });
    const { client, last } = setup({ existingTransfers: [ext] });
    await client.availability();
    await vi.waitFor(() => expect(last('t-ext')?.handedToBrowser).toBe(true));
    await expect(client.stop('t-ext')).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
      message: "This download is in your browser's downloads now: cancel it there.",
    });
  });
});

describe('starting', () => {
  it("leaves the caller's spec alone, and asks for token authentication only when there is a token", async () => {
    const { fake, client } = setup();
    const given = spec('s1');
    await client.start({ transferId: 's1', direction: 'upload', transferSpec: given, localPaths: [{ source: '/home/u/a.txt' }] });
    expect(given).toEqual(spec('s1'));
    expect(fake.started[0]!.spec.paths).toEqual([{ source: '/home/u/a.txt' }]);
    const { token: _token, ...tokenless } = spec('s2');
    await client.start({ transferId: 's2', direction: 'upload', transferSpec: tokenless });
    expect(fake.started[1]!.spec.authentication).toBeUndefined();
    expect(fake.started[1]!.spec.paths).toEqual(spec('s2').paths);
  });

  it('shows an unknown size as unknown, not as zero', async () => {
    const { client, of } = setup({ scenario: 'hang' });
    await client.start({ transferId: 'z0', direction: 'upload', transferSpec: spec('z0', 'send', 0) });
    const { aspera: _aspera, ...courierOnly } = spec('zu').tags;
    await client.start({ transferId: 'zu', direction: 'upload', transferSpec: { ...spec('zu'), tags: courierOnly } });
    expect(of('z0')[0]).toEqual({ transferId: 'z0', status: 'starting', bytesDone: 0, bytesTotal: null });
    expect(of('zu')[0]).toEqual({ transferId: 'zu', status: 'starting', bytesDone: 0, bytesTotal: null });
  });

  it('a retry of a failed transfer shows it starting again and carries it to the end', async () => {
    const { fake, client, of, last } = setup();
    fake.queueScenario('fail');
    await client.start({ transferId: 'f1', direction: 'upload', transferSpec: spec('f1') });
    await vi.waitFor(() => expect(last('f1')?.status).toBe('failed'));
    const before = of('f1').length;
    await client.start({ transferId: 'f1', direction: 'upload', transferSpec: spec('f1') });
    await vi.waitFor(() => expect(last('f1')?.status).toBe('completed'));
    expect(of('f1')[before]!.status).toBe('starting');
  });

  it('carries transfers in DEGRADED only through a gateway it was given', async () => {
    const settings = { url: 'https://gw.example/aspera/http-gwy', forceGateway: false };
    const withGateway = setup({ status: 'DEGRADED' }, { httpGatewaySettings: settings });
    await withGateway.client.start({ transferId: 'd1', direction: 'download', transferSpec: spec('d1', 'receive') });
    await vi.waitFor(() => expect(withGateway.last('d1')?.status).toBe('completed'));
    delete w.asperaSdk;
    const without = setup({ status: 'DEGRADED' });
    await expect(
      without.client.start({ transferId: 'd2', direction: 'download', transferSpec: spec('d2', 'receive') }),
    ).rejects.toMatchObject({
      code: 'CLIENT_UNAVAILABLE',
      message: expect.stringMatching(/not running: transfers go through the HTTP Gateway/),
    });
  });

  it("a spec Desktop refuses fails with Desktop's words", async () => {
    const { client, last } = setup();
    await expect(
      client.start({ transferId: 'bad', direction: 'upload', transferSpec: { direction: 'send', paths: [] } }),
    ).rejects.toMatchObject({
      code: 'TRANSFER_FAILED',
      message: 'The transfer failed: The supplied transferSpec is not valid',
    });
    expect(last('bad')!.error!.message).toBe('The transfer failed: The supplied transferSpec is not valid');
  });

  it('a start the SDK answers without a transfer id leaves nothing to control', async () => {
    const { fake, client } = setup();
    fake.startTransfer = () => Promise.resolve(undefined as never);
    await client.start({ transferId: 'n1', direction: 'upload', transferSpec: spec('n1') });
    const unknown = {
      code: 'UNKNOWN_TRANSFER',
      message: 'IBM Aspera for Desktop does not know this transfer (it was removed, or started elsewhere).',
    };
    await expect(client.stop('n1')).rejects.toMatchObject(unknown);
    await expect(client.resume('n1')).rejects.toMatchObject(unknown);
    await expect(client.stop('never-started')).rejects.toMatchObject(unknown);
  });
});

describe('a gateway upload whose answer the SDK never shows (§12.2)', () => {
  it('completes after three seconds without a failure', async () => {
    vi.useFakeTimers();
    const { fake, client, last } = setup({ transferClient: 'http-gateway' });
    const started = client.start({ transferId: 'p1', direction: 'upload', transferSpec: spec('p1') });
    await vi.advanceTimersByTimeAsync(10);
    await started;
    const live = [...fake.store.values()][0]!;
    Object.defineProperty(live, 'httpRequestId', { get: () => undefined, set: () => undefined });
    await vi.advanceTimersByTimeAsync(20);
    expect(last('p1')).toMatchObject({ status: 'running' });
    await vi.advanceTimersByTimeAsync(2_800);
    expect(last('p1')!.status).toBe('running');
    await vi.advanceTimersByTimeAsync(300);
    expect(last('p1')!.status).toBe('completed');
  });
});

describe('stop, resume, remove', () => {
  it('stopping an ended transfer asks nothing of Desktop', async () => {
    const { fake, client, last } = setup();
    await client.start({ transferId: 'e1', direction: 'upload', transferSpec: spec('e1') });
    await vi.waitFor(() => expect(last('e1')?.status).toBe('completed'));
    const stop = vi.spyOn(fake, 'stopTransfer');
    await client.stop('e1');
    expect(stop).not.toHaveBeenCalled();
  });

  it('a refused stop or resume says which action failed and why', async () => {
    const { fake, client, last } = setup({ scenario: 'hang' });
    await client.start({ transferId: 'x1', direction: 'upload', transferSpec: spec('x1') });
    await vi.waitFor(() => expect(last('x1')?.status).toBe('running'));
    fake.stopTransfer = () => Promise.reject({ error: true, message: 'Transfer is locked' });
    await expect(client.stop('x1')).rejects.toMatchObject({ code: 'TRANSFER_FAILED', message: 'The cancel failed: Transfer is locked' });
    fake.resumeTransfer = () => Promise.reject({ error: true, message: 'Nothing to resume' });
    await expect(client.resume('x1')).rejects.toMatchObject({ code: 'TRANSFER_FAILED', message: 'The resume failed: Nothing to resume' });
  });

  it('a stop reaches Desktop even while the SDK has no active client to compare with', async () => {
    const { fake, client, last } = setup({ scenario: 'hang' });
    await client.start({ transferId: 'c1', direction: 'upload', transferSpec: spec('c1') });
    await vi.waitFor(() => expect(last('c1')?.status).toBe('running'));
    fake.setStatus('DISCONNECTED');
    await client.stop('c1');
    await vi.waitFor(() => expect(last('c1')?.status).toBe('cancelled'));
  });

  it('§12.7: names the client a transfer is stuck on when another one is active', async () => {
    const { fake, client, last } = setup({ scenario: 'hang' });
    await client.start({ transferId: 'k1', direction: 'upload', transferSpec: spec('k1') });
    await vi.waitFor(() => expect(last('k1')?.status).toBe('running'));
    await client.stop('k1');
    (fake.options as { transferClient: string }).transferClient = 'http-gateway';
    await expect(client.resume('k1')).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
      message: 'This transfer runs on IBM Aspera for Desktop, which is not the active client any more, so it cannot be resumed from here.',
    });
    delete w.asperaSdk;
    const gw = setup({ transferClient: 'http-gateway', scenario: 'hang' });
    await gw.client.start({ transferId: 'k2', direction: 'upload', transferSpec: spec('k2') });
    await vi.waitFor(() => expect(gw.last('k2')?.status).toBe('running'));
    (gw.fake.options as { transferClient: string }).transferClient = 'desktop';
    await expect(gw.client.stop('k2')).rejects.toMatchObject({
      message: 'This transfer runs on the HTTP Gateway, which is not the active client any more, so it cannot be cancelled from here.',
    });
  });

  it('a gateway transfer cannot be resumed, and a stopped gateway download keeps the bytes it had', async () => {
    const { client, last } = setup({ transferClient: 'http-gateway', progressSteps: 6, stepMs: 20 });
    await client.start({ transferId: 'g1', direction: 'download', transferSpec: spec('g1', 'receive', 700) });
    await vi.waitFor(() => expect(last('g1')?.bytesDone).toBeGreaterThan(0));
    await client.stop('g1');
    const stopped = last('g1')!;
    expect(stopped).toMatchObject({ status: 'cancelled', bytesTotal: 700 });
    expect(stopped.bytesDone).toBeGreaterThan(0);
    await expect(client.resume('g1')).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
      message: 'A gateway transfer cannot be resumed: start it again.',
    });
  });

  it("remove asks Desktop to drop the transfer by Desktop's id, and a refusal from Desktop still removes it", async () => {
    const { fake, client, last } = setup({ scenario: 'hang' });
    await expect(client.remove('unknown')).resolves.toBeUndefined();
    await client.start({ transferId: 'r1', direction: 'upload', transferSpec: spec('r1') });
    await vi.waitFor(() => expect(last('r1')?.status).toBe('running'));
    const uuid = [...fake.store.keys()][0]!;
    const remove = vi.spyOn(fake, 'removeTransfer');
    await client.remove('r1');
    expect(remove).toHaveBeenCalledWith(uuid);

    await client.start({ transferId: 'r2', direction: 'upload', transferSpec: spec('r2') });
    await vi.waitFor(() => expect(last('r2')?.status).toBe('running'));
    fake.removeTransfer = () => Promise.reject({ error: true, message: 'Unable to remove transfer' });
    await expect(client.remove('r2')).resolves.toBeUndefined();
  });

  it('remove of a transfer Desktop never accepted asks Desktop nothing', async () => {
    const { fake, client } = setup();
    await expect(client.start({ transferId: 'v1', direction: 'upload', transferSpec: { direction: 'send', paths: [] } })).rejects.toThrow();
    const remove = vi.spyOn(fake, 'removeTransfer');
    await client.remove('v1');
    expect(remove).not.toHaveBeenCalled();
  });
});

describe('installing and launching Desktop (§11)', () => {
  it('offers no installers when the SDK cannot list them', async () => {
    const { fake, client } = setup();
    fake.getInstallerInfo = () => Promise.reject(new Error('offline'));
    expect(await client.desktop.installers()).toEqual([]);
    fake.getInstallerInfo = () => Promise.resolve({} as never);
    expect(await client.desktop.installers()).toEqual([]);
  });

  it("launches through the SDK's bound globals when it has them, else its own launch", async () => {
    const { fake, client } = setup();
    const bound = vi.fn();
    const own = vi.fn();
    (fake as { globals?: unknown }).globals = { launch: bound };
    fake.launch = own;
    client.desktop.launch();
    await vi.waitFor(() => expect(bound).toHaveBeenCalledOnce());
    expect(own).not.toHaveBeenCalled();
    (fake as { globals?: unknown }).globals = {};
    client.desktop.launch();
    await vi.waitFor(() => expect(own).toHaveBeenCalledOnce());
    (fake as { globals?: unknown }).globals = undefined;
    client.desktop.launch();
    await vi.waitFor(() => expect(own).toHaveBeenCalledTimes(2));
  });
});
