// @vitest-environment happy-dom
import { QueryClient } from '@tanstack/react-query';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CreateTransferResponse, TransferRecord } from '../../../../contract/transfers';
import { spaceFilesKey, transfersKey } from '../../../lib/query-keys';
import type { AsperaSdkClient, StartRequest, TransferClient, TransferClientEvent } from '../../../transfer-clients';
import { useTransfersStore } from '../stores/transfers-store';
import { createTransferRunner } from './transfer-runner';

// More of the engine as the transfer panel and the person see it (beside transfer-runner.test.ts,
// with the same boundaries: the portal's API mocked, a transfer client whose events the test
// plays): downloads told as downloads, what a screen reader hears, the server's word on a transfer
// this page runs, refusals, cancels and retries that go wrong.

const api = vi.hoisted(() => ({ createTransfer: vi.fn(), reportTransfer: vi.fn() }));
vi.mock('../api/create-transfer', () => api);

const record = (over: Partial<TransferRecord> = {}): TransferRecord => ({
  id: 't1',
  userId: 'u1',
  spaceId: 's1',
  direction: 'upload',
  title: 'Tree',
  folder: '/',
  paths: ['Tree/a.txt'],
  fileCount: 1,
  bytesExpected: 1000,
  bytesTransferred: 0,
  client: 'http-gateway',
  status: 'authorized',
  error: null,
  createdAt: '2026-01-01T00:00:00Z',
  startedAt: null,
  endedAt: null,
  ...over,
});

const GATEWAY = { type: 'http-gateway' as const, url: 'http://node:9092/gateway' };
const created = (over: Partial<TransferRecord> = {}, clients: CreateTransferResponse['clients'] = [GATEWAY]): CreateTransferResponse => ({
  transfer: record(over),
  transferSpec: { paths: [] },
  clients,
  tokenLifeSeconds: 3600,
});

function fakeClient(kind: 'http-gateway' | 'desktop' = 'http-gateway') {
  let listener: (event: TransferClientEvent) => void = () => undefined;
  const client = {
    kind,
    capabilities: { pause: false, resume: false, perFileProgress: false, nativeFilePicking: false },
    availability: vi.fn(async () => ({ available: true })),
    start: vi.fn(async (_request: StartRequest) => undefined),
    stop: vi.fn(async (_id: string): Promise<void> => undefined),
    pause: vi.fn(async () => undefined),
    resume: vi.fn(async () => undefined),
    remove: vi.fn(async () => undefined),
    subscribe: (l: (event: TransferClientEvent) => void) => {
      listener = l;
      return () => undefined;
    },
  } satisfies TransferClient;
  return { client, emit: (e: Omit<TransferClientEvent, 'transferId'>, id = 't1') => listener({ transferId: id, ...e }) };
}

function desktopClient() {
  const { client: base, emit } = fakeClient('desktop');
  const client = {
    ...base,
    kind: 'desktop' as const,
    availability: vi.fn(async () => ({ available: true, state: 'running' as const })),
    subscribeAvailability: vi.fn(() => () => undefined),
    desktop: { installers: vi.fn(async () => []), launch: vi.fn() },
    native: {
      pickFiles: vi.fn(async () => null),
      pickFolders: vi.fn(async () => null),
    },
  } satisfies AsperaSdkClient;
  return { client, emit };
}

const file = { file: new File(['x'.repeat(1000)], 'a.txt'), path: 'Tree/a.txt' };
const upload = { spaceId: 's1', folder: '/', sources: [file], emptyFolders: ['Tree/empty'] };
const state = () => useTransfersStore.getState();

beforeEach(() => {
  api.createTransfer.mockReset().mockResolvedValue(created());
  api.reportTransfer
    .mockReset()
    .mockImplementation(async (id: string, body: { status: TransferRecord['status'] }) => record({ id, status: body.status }));
  useTransfersStore.setState({
    byId: {},
    removed: {},
    toasts: [],
    announcement: { text: '', seq: 0 },
    desktop: null,
    preference: 'auto',
    carriers: {},
  });
});

describe('a download, told as a download', () => {
  it('announces each quarter once, never "100 %", then "downloaded", and refetches the list but not a folder', async () => {
    api.createTransfer.mockResolvedValue(created({ direction: 'download', title: 'Report' }));
    const queryClient = new QueryClient();
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(queryClient, client);
    await runner.startDownload({ spaceId: 's1', paths: ['/Report.pdf'] });
    expect(api.createTransfer).toHaveBeenCalledWith({ spaceId: 's1', direction: 'download', paths: ['/Report.pdf'] });
    expect(client.start.mock.calls[0]![0]).toEqual({
      transferId: 't1',
      direction: 'download',
      transferSpec: { paths: [] },
      gatewayUrl: 'http://node:9092/gateway',
    });

    const heard: string[] = [];
    const unsubscribe = useTransfersStore.subscribe((s, before) => {
      if (s.announcement.seq !== before.announcement.seq) heard.push(s.announcement.text);
    });
    for (const bytesDone of [100, 250, 260, 500, 740, 750, 999, 1000]) emit({ status: 'running', bytesDone, bytesTotal: 1000 });
    emit({ status: 'completed', bytesDone: 1000, bytesTotal: 1000 });
    unsubscribe();
    expect(heard).toEqual(['Report: 25% downloaded.', 'Report: 50% downloaded.', 'Report: 75% downloaded.', 'Report: downloaded.']);
    expect(api.reportTransfer.mock.calls.filter(([, body]) => body.status === 'running')).toEqual([
      ['t1', { status: 'running', client: 'http-gateway' }],
    ]);
    expect(state().toasts).toEqual([expect.objectContaining({ kind: 'success', title: 'Download complete', subtitle: 'Report' })]);
    expect(invalidate).toHaveBeenCalledWith({ queryKey: transfersKey });
    expect(invalidate).not.toHaveBeenCalledWith({ queryKey: spaceFilesKey('s1') });
  });

  it('a running event without a known size announces nothing', async () => {
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload(upload);
    emit({ status: 'running', bytesDone: 900, bytesTotal: null });
    expect(state().announcement.seq).toBe(0);
  });

  it('a failed download is toasted as such, with a plain reason when the client gave none', async () => {
    api.createTransfer.mockResolvedValue(created({ direction: 'download', title: 'Report' }));
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startDownload({ spaceId: 's1', paths: ['/Report.pdf'] });
    emit({ status: 'failed', bytesDone: 600, bytesTotal: 1000 });
    expect(state().announcement.seq).toBe(1); // the failure, not "50 %" on the way down
    expect(state().toasts.at(-1)).toMatchObject({ kind: 'error', title: 'Download failed', subtitle: 'Report: The transfer failed.' });
    expect(state().announcement.text).toBe('Report: failed. The transfer failed.');
    expect(api.reportTransfer).toHaveBeenCalledWith('t1', { status: 'failed', error: 'The transfer failed.' });
  });

  it('a cancelled transfer is announced, not toasted, and reported once', async () => {
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload(upload);
    emit({ status: 'cancelled', bytesDone: 10, bytesTotal: 1000 });
    emit({ status: 'cancelled', bytesDone: 10, bytesTotal: 1000 });
    expect(state().announcement.text).toBe('Tree: cancelled.');
    expect(state().toasts).toEqual([]);
    expect(api.reportTransfer.mock.calls).toEqual([['t1', { status: 'cancelled' }]]);
  });
});

describe("the server's word on a transfer", () => {
  it('ends a transfer this page runs with the reason the server recorded, without telling the server back', async () => {
    const { client } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload(upload);
    api.reportTransfer.mockClear();
    runner.onServerRecord(record({ status: 'failed', error: 'The node ran out of space.' }), record({ status: 'running' }));
    expect(state().toasts).toEqual([
      expect.objectContaining({ kind: 'error', title: 'Upload failed', subtitle: 'Tree: The node ran out of space.' }),
    ]);
    expect(api.reportTransfer).not.toHaveBeenCalled();
  });

  it('a cancel recorded by the server is announced here and not reported back', async () => {
    const { client } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload(upload);
    runner.onServerRecord(record({ status: 'cancelled' }), record({ status: 'running' }));
    expect(state().announcement.text).toBe('Tree: cancelled.');
    expect(api.reportTransfer).not.toHaveBeenCalled();
  });

  it('a completion from the server is one success toast', async () => {
    const { client } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload(upload);
    runner.onServerRecord(record({ status: 'completed' }), undefined);
    runner.onServerRecord(record({ status: 'completed' }), undefined);
    expect(state().toasts).toEqual([expect.objectContaining({ kind: 'success', title: 'Upload complete' })]);
  });

  it('ignores records still moving, and ones that had already ended', async () => {
    const queryClient = new QueryClient();
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    const { client } = fakeClient();
    const runner = createTransferRunner(queryClient, client);
    runner.onServerRecord(record({ id: 'x', status: 'running' }), undefined);
    runner.onServerRecord(record({ id: 'x', status: 'cancelled' }), record({ id: 'x', status: 'failed' }));
    expect(invalidate).not.toHaveBeenCalled();
    expect(state().toasts).toEqual([]);
  });

  it('refetches the folder and the list for an upload that ended elsewhere; only the list for a download', async () => {
    const queryClient = new QueryClient();
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    const { client } = fakeClient();
    const runner = createTransferRunner(queryClient, client);
    runner.onServerRecord(record({ id: 'elsewhere', spaceId: 's9', status: 'completed' }), record({ id: 'elsewhere', status: 'running' }));
    expect(invalidate.mock.calls).toEqual([[{ queryKey: spaceFilesKey('s9') }], [{ queryKey: transfersKey }]]);
    invalidate.mockClear();
    runner.onServerRecord(record({ id: 'dl', direction: 'download', status: 'completed' }), undefined);
    expect(invalidate.mock.calls).toEqual([[{ queryKey: transfersKey }]]);
    expect(state().toasts).toEqual([]);
  });
});

describe('starting', () => {
  it('shows the row queued with its size before the client starts it', async () => {
    const { client } = fakeClient();
    let seen: unknown;
    client.start.mockImplementationOnce(async () => void (seen = state().byId.t1));
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload(upload);
    expect(seen).toMatchObject({ status: 'queued', bytesDone: 0, bytesTotal: 1000 });
    expect(api.createTransfer).toHaveBeenCalledWith(expect.objectContaining({ emptyFolders: ['Tree/empty'] }));
  });

  it('a client that refuses without a reason or a code still fails the row with a plain one', async () => {
    const { client } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    client.start.mockRejectedValueOnce({});
    await runner.startUpload(upload);
    await vi.waitFor(() =>
      expect(state().byId.t1).toMatchObject({
        status: 'failed',
        error: { code: 'CLIENT_UNAVAILABLE', message: 'The transfer could not start.' },
      }),
    );
    api.createTransfer.mockResolvedValue(created({ id: 't2' }));
    client.start.mockRejectedValueOnce(new Error('The gateway said no.'));
    await runner.startUpload(upload);
    await vi.waitFor(() =>
      expect(state().byId.t2).toMatchObject({ error: { code: 'CLIENT_UNAVAILABLE', message: 'The gateway said no.' } }),
    );
  });

  it('when no client can carry it, the row fails with bytes expected and the reason', async () => {
    api.createTransfer.mockResolvedValue(created({}, []));
    const { client } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload(upload);
    await vi.waitFor(() =>
      expect(state().byId.t1).toMatchObject({
        status: 'failed',
        bytesTotal: 1000,
        error: { code: 'CLIENT_UNAVAILABLE', message: expect.stringMatching(/administrator/) },
      }),
    );
    expect(state().toasts.at(-1)).toMatchObject({ title: 'Upload failed' });
  });

  it('remembers that a space takes Desktop when the portal offers it', async () => {
    api.createTransfer.mockResolvedValue(created({}, [{ type: 'desktop' }, GATEWAY]));
    const { client } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload(upload);
    expect(runner.desktopAllowed('s1')).toBe(true);
    expect(runner.desktopAllowed('other')).toBeUndefined();
  });

  it('hands Desktop neither browser files nor a gateway URL, and only Desktop-picked files become local paths', async () => {
    api.createTransfer.mockResolvedValue(created({ direction: 'download' }, [{ type: 'desktop' }, GATEWAY]));
    const gateway = fakeClient();
    const desktop = desktopClient();
    const runner = createTransferRunner(new QueryClient(), gateway.client);
    runner.desktop.attach(desktop.client);
    useTransfersStore.setState({ desktop: { available: true, state: 'running' }, preference: 'desktop' });
    await runner.startDownload({ spaceId: 's1', paths: ['/a.txt'] });
    expect(desktop.client.start.mock.calls[0]![0]).toStrictEqual({ transferId: 't1', direction: 'download', transferSpec: { paths: [] } });
    expect(state().carriers.t1?.kind).toBe('desktop');
    desktop.emit({ status: 'running', bytesDone: 1, bytesTotal: 1000 });
    expect(api.reportTransfer).toHaveBeenCalledWith('t1', { status: 'running', client: 'desktop' });
  });

  it('uses the browser, and says so plainly, while Desktop is reported running but its client is not loaded', async () => {
    api.createTransfer.mockResolvedValue(created({ direction: 'download' }, [{ type: 'desktop' }, GATEWAY]));
    const { client } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    useTransfersStore.setState({ desktop: { available: true, state: 'running' } });
    await runner.startDownload({ spaceId: 's1', paths: ['/a.txt'] });
    expect(client.start).toHaveBeenCalledOnce();
    expect(state().carriers.t1).toEqual({ kind: 'http-gateway', reason: 'Using the browser (HTTP Gateway).' });
  });

  it("the portal's answer to a report replaces the row's record in the list", async () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(transfersKey, []);
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(queryClient, client);
    await runner.startUpload(upload);
    expect(queryClient.getQueryData<TransferRecord[]>(transfersKey)?.map((t) => t.status)).toEqual(['authorized']);
    emit({ status: 'running', bytesDone: 500, bytesTotal: 1000 });
    await vi.waitFor(() => expect(queryClient.getQueryData<TransferRecord[]>(transfersKey)?.map((t) => t.status)).toEqual(['running']));
  });

  it('a portal that cannot be told about progress does not break the transfer', async () => {
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload(upload);
    api.reportTransfer.mockRejectedValue(new TypeError('Failed to fetch'));
    emit({ status: 'running', bytesDone: 500, bytesTotal: 1000 });
    emit({ status: 'completed', bytesDone: 1000, bytesTotal: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(state().toasts).toEqual([expect.objectContaining({ kind: 'success', title: 'Upload complete' })]);
  });

  it('waits for a slow readability check when the upload failed before any byte, however long it takes', async () => {
    vi.useFakeTimers();
    try {
      const { client, emit } = fakeClient();
      const runner = createTransferRunner(new QueryClient(), client);
      const checkReadable = () =>
        new Promise<string | null>((resolve) => setTimeout(() => resolve('The browser could not read "a.txt".'), 10_000));
      await runner.startUpload({ ...upload, checkReadable });
      emit({ status: 'failed', bytesDone: 0, bytesTotal: 1000, error: { code: 'NETWORK_ERROR', message: 'The upload stopped.' } });
      await vi.advanceTimersByTimeAsync(5_000);
      expect(state().toasts).toEqual([]);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(state().toasts.at(-1)).toMatchObject({ title: 'Upload failed', subtitle: 'Tree: The browser could not read "a.txt".' });
    } finally {
      vi.useRealTimers();
    }
  });

  it("asks whether a file still reads only for the gateway's uploads", async () => {
    api.createTransfer.mockResolvedValue(created({}, [{ type: 'desktop' }, GATEWAY]));
    const gateway = fakeClient();
    const desktop = desktopClient();
    const runner = createTransferRunner(new QueryClient(), gateway.client);
    runner.desktop.attach(desktop.client);
    useTransfersStore.setState({ desktop: { available: true, state: 'running' } });
    const checkReadable = vi.fn(async () => 'never asked');
    const picked = { ...upload, sources: [], localItems: [{ localPath: '/home/me/a.txt', name: 'a.txt', size: 3, type: 'text/plain' }] };
    await runner.startUpload({ ...picked, checkReadable });
    desktop.emit({ status: 'failed', bytesDone: 0, bytesTotal: 3, error: { code: 'TRANSFER_FAILED', message: 'Disk full' } });
    expect(checkReadable).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(state().byId.t1).toMatchObject({ status: 'failed', error: { message: 'Disk full' } }));
  });

  it('asks about readability on a failure only, never on progress', async () => {
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    const checkReadable = vi.fn(async () => null);
    await runner.startUpload({ ...upload, checkReadable });
    emit({ status: 'running', bytesDone: 10, bytesTotal: 1000 });
    emit({ status: 'completed', bytesDone: 1000, bytesTotal: 1000 });
    expect(checkReadable).not.toHaveBeenCalled();
  });

  it('keeps the failure its own reason when the readability check itself breaks', async () => {
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload({ ...upload, checkReadable: () => Promise.reject(new Error('permission prompt dismissed')) });
    emit({ status: 'failed', bytesDone: 0, bytesTotal: 1000, error: { code: 'NETWORK_ERROR', message: 'The upload stopped.' } });
    await vi.waitFor(() =>
      expect(state().byId.t1).toMatchObject({ status: 'failed', error: { code: 'NETWORK_ERROR', message: 'The upload stopped.' } }),
    );
  });
});

describe('cancel, remove, retry when things go wrong', () => {
  it('a refused cancel is toasted with its reason, and the row keeps running', async () => {
    const { client } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload(upload);
    client.stop.mockRejectedValueOnce(
      Object.assign(new Error("This download is in your browser's downloads now: cancel it there."), { code: 'NOT_SUPPORTED' }),
    );
    await runner.cancel(record({ status: 'running' }));
    expect(state().toasts.at(-1)).toEqual(
      expect.objectContaining({
        kind: 'error',
        title: 'Not cancelled',
        subtitle: "This download is in your browser's downloads now: cancel it there.",
      }),
    );
    expect(api.reportTransfer).not.toHaveBeenCalledWith('t1', { status: 'cancelled' });
  });

  it('a cancel through the portal shows the bytes the record had and refetches', async () => {
    const queryClient = new QueryClient();
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    const { client } = fakeClient();
    client.stop.mockRejectedValueOnce(Object.assign(new Error('not here'), { code: 'UNKNOWN_TRANSFER' }));
    const runner = createTransferRunner(queryClient, client);
    await runner.cancel(record({ id: 'old', spaceId: 's4', status: 'running', bytesTransferred: 300, bytesExpected: 900 }));
    await vi.waitFor(() => expect(state().byId.old).toMatchObject({ status: 'cancelled', bytesDone: 300, bytesTotal: 900 }));
    expect(invalidate).toHaveBeenCalledWith({ queryKey: spaceFilesKey('s4') });
  });

  it('a removed transfer leaves the list and the client, and its late events report nothing', async () => {
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload(upload);
    runner.remove(record());
    expect(client.remove).toHaveBeenCalledWith('t1');
    expect(state().removed).toEqual({ t1: true });
    api.reportTransfer.mockClear();
    emit({ status: 'running', bytesDone: 10, bytesTotal: 1000 });
    emit({ status: 'failed', bytesDone: 10, bytesTotal: 1000 });
    expect(api.reportTransfer).not.toHaveBeenCalled();
    expect(state().toasts).toEqual([]);
  });

  it('a retry that fails for another reason names the transfer, and the next click tries again', async () => {
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload(upload);
    emit({ status: 'failed', bytesDone: 0, bytesTotal: 1000 });
    api.createTransfer.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await runner.retry(record({ status: 'failed' }));
    expect(state().toasts.at(-1)).toMatchObject({ kind: 'error', title: 'Could not start again', subtitle: 'Tree' });
    api.createTransfer.mockResolvedValueOnce(created({ id: 't2' }));
    await runner.retry(record({ status: 'failed' }));
    expect(client.start).toHaveBeenLastCalledWith(expect.objectContaining({ transferId: 't2' }));
  });

  it('an upload whose files this page no longer holds cannot be retried; a download always can', () => {
    const { client } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    expect(runner.canRetry(record({ direction: 'upload', status: 'failed' }))).toBe(false);
    expect(runner.canRetry(record({ direction: 'download', status: 'failed' }))).toBe(true);
  });
});
