// @vitest-environment happy-dom
import { QueryClient } from '@tanstack/react-query';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CreateTransferResponse, TransferRecord } from '../../../../contract/transfers';
import { ApiError } from '../../../lib/api-client';
import { spaceFilesKey, transfersKey } from '../../../lib/query-keys';
import type { AsperaSdkClient, StartRequest, TransferClient, TransferClientEvent } from '../../../transfer-clients';
import { useTransfersStore } from '../stores/transfers-store';
import { createTransferRunner } from './transfer-runner';

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

const created = (over: Partial<TransferRecord> = {}): CreateTransferResponse => ({
  transfer: record(over),
  transferSpec: { paths: [] },
  clients: [{ type: 'http-gateway', url: 'http://node:9092/gateway' }],
  tokenLifeSeconds: 3600,
});

/** A transfer client at the port's boundary: the test plays its events. */
function fakeClient() {
  let listener: (event: TransferClientEvent) => void = () => undefined;
  const client = {
    kind: 'http-gateway',
    capabilities: { pause: false, resume: false, perFileProgress: false, nativeFilePicking: false },
    availability: vi.fn(async () => ({ available: true })),
    start: vi.fn(async (_request: StartRequest) => undefined),
    stop: vi.fn(async (_id: string): Promise<void> => undefined),
    pause: vi.fn(async () => undefined),
    resume: vi.fn(async (_id: string): Promise<void> => undefined),
    remove: vi.fn(async () => undefined),
    subscribe: (l: (event: TransferClientEvent) => void) => {
      listener = l;
      return () => undefined;
    },
  } satisfies TransferClient;
  return { client, emit: (e: Omit<TransferClientEvent, 'transferId'>) => listener({ transferId: 't1', ...e }) };
}

const file = { file: new File(['x'.repeat(1000)], 'a.txt'), path: 'Tree/a.txt' };
const upload = { spaceId: 's1', folder: '/', sources: [file], emptyFolders: [] };

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

describe('transfer runner', () => {
  it('asks the portal, starts the client with the spec and sources, and follows it to the end', async () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(transfersKey, []);
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(queryClient, client);

    // The person chose to replace Tree: the portal is told, so the node may replace there only.
    await runner.startUpload({ ...upload, replace: ['Tree'] });
    expect(api.createTransfer).toHaveBeenCalledWith({
      spaceId: 's1',
      direction: 'upload',
      folder: '/',
      files: [{ path: 'Tree/a.txt', size: 1000 }],
      emptyFolders: [],
      replace: ['Tree'],
    });
    expect(client.start).toHaveBeenCalledWith(
      expect.objectContaining({ transferId: 't1', direction: 'upload', gatewayUrl: 'http://node:9092/gateway', sources: [file] }),
    );
    expect(queryClient.getQueryData<TransferRecord[]>(transfersKey)?.map((t) => t.id)).toEqual(['t1']);

    emit({ status: 'running', bytesDone: 100, bytesTotal: 1000 });
    expect(api.reportTransfer).toHaveBeenCalledWith('t1', { status: 'running', client: 'http-gateway' });
    emit({ status: 'running', bytesDone: 300, bytesTotal: 1000 });
    expect(useTransfersStore.getState().announcement.text).toBe('Tree: 25% uploaded.');
    emit({ status: 'running', bytesDone: 320, bytesTotal: 1000 });
    expect(useTransfersStore.getState().announcement.seq).toBe(1);

    emit({ status: 'completed', bytesDone: 1000, bytesTotal: 1000 });
    expect(useTransfersStore.getState().byId.t1?.status).toBe('completed');
    expect(useTransfersStore.getState().toasts).toEqual([expect.objectContaining({ kind: 'success', title: 'Upload complete' })]);
    expect(invalidate).toHaveBeenCalledWith({ queryKey: spaceFilesKey('s1') });
    // The server's own "completed" afterwards raises no second toast.
    runner.onServerRecord(record({ status: 'completed' }), record({ status: 'running' }));
    expect(useTransfersStore.getState().toasts).toHaveLength(1);
  });

  it('reports a failure only the browser saw, with its reason, and lets the user retry with the same files', async () => {
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload(upload);
    emit({ status: 'failed', bytesDone: 10, bytesTotal: 1000, error: { code: 'NETWORK_ERROR', message: 'The gateway is down.' } });
    expect(api.reportTransfer).toHaveBeenCalledWith('t1', { status: 'failed', error: 'The gateway is down.' });
    expect(useTransfersStore.getState().toasts[0]).toMatchObject({ kind: 'error', subtitle: 'Tree: The gateway is down.' });

    expect(runner.canRetry(record({ status: 'failed' }))).toBe(true);
    api.createTransfer.mockResolvedValue(created({ id: 't2' }));
    await runner.retry(record({ status: 'failed' }));
    expect(client.start).toHaveBeenLastCalledWith(expect.objectContaining({ transferId: 't2', sources: [file] }));
  });

  it('names a file the browser could not open instead of a lost network, when the upload fails on it', async () => {
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    let answer: (reason: string | null) => void = () => undefined;
    const checkReadable = vi.fn(() => new Promise<string | null>((resolve) => (answer = resolve)));
    await runner.startUpload({ ...upload, checkReadable });
    expect(checkReadable).not.toHaveBeenCalled();

    // Nothing sent yet: the check is waited for, however long it takes.
    emit({ status: 'failed', bytesDone: 0, bytesTotal: 1000, error: { code: 'NETWORK_ERROR', message: 'The upload stopped.' } });
    expect(checkReadable).toHaveBeenCalledTimes(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(useTransfersStore.getState().byId.t1?.status).not.toBe('failed');
    answer('The browser could not read "Tree/a.txt".');
    await vi.waitFor(() => expect(useTransfersStore.getState().byId.t1?.status).toBe('failed'));
    expect(useTransfersStore.getState().byId.t1?.error).toEqual({
      code: 'FILE_UNREADABLE',
      message: 'The browser could not read "Tree/a.txt".',
    });
    expect(api.reportTransfer).toHaveBeenCalledWith('t1', { status: 'failed', error: 'The browser could not read "Tree/a.txt".' });
    expect(useTransfersStore.getState().toasts.at(-1)).toMatchObject({
      kind: 'error',
      title: 'Upload failed',
      subtitle: 'Tree: The browser could not read "Tree/a.txt".',
    });
  });

  it('does not hold a failure after bytes moved for longer than a moment', async () => {
    vi.useFakeTimers();
    try {
      const { client, emit } = fakeClient();
      const runner = createTransferRunner(new QueryClient(), client);
      await runner.startUpload({ ...upload, checkReadable: () => new Promise<string | null>(() => undefined) });
      emit({
        status: 'failed',
        bytesDone: 500,
        bytesTotal: 1000,
        error: { code: 'NETWORK_ERROR', message: 'Network connection lost during the upload.' },
      });
      await vi.advanceTimersByTimeAsync(2_900);
      expect(useTransfersStore.getState().byId.t1?.status).not.toBe('failed');
      await vi.advanceTimersByTimeAsync(200);
      expect(useTransfersStore.getState().byId.t1?.error).toEqual({
        code: 'NETWORK_ERROR',
        message: 'Network connection lost during the upload.',
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps a failure its own reason when every file still reads', async () => {
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload({ ...upload, checkReadable: async () => null });
    await Promise.resolve();
    emit({
      status: 'failed',
      bytesDone: 10,
      bytesTotal: 1000,
      error: { code: 'NETWORK_ERROR', message: 'Network connection lost during the upload.' },
    });
    await vi.waitFor(() => expect(useTransfersStore.getState().byId.t1?.status).toBe('failed'));
    expect(useTransfersStore.getState().byId.t1?.error).toEqual({
      code: 'NETWORK_ERROR',
      message: 'Network connection lost during the upload.',
    });
  });

  it('retries once per click burst, under a new authorization, and the new row replaces the failed one', async () => {
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload(upload);
    emit({ status: 'failed', bytesDone: 10, bytesTotal: 1000, error: { code: 'NETWORK_ERROR', message: 'Network connection lost.' } });
    api.createTransfer.mockClear().mockResolvedValue(created({ id: 't2' }));

    const failed = record({ status: 'failed' });
    let shownAtStart: Record<string, true> | undefined;
    client.start.mockImplementationOnce(async () => void (shownAtStart = useTransfersStore.getState().removed));
    await Promise.all([runner.retry(failed), runner.retry(failed)]);
    expect(shownAtStart, 'the failed row is gone before the new one starts').toEqual({ t1: true });
    expect(api.createTransfer).toHaveBeenCalledTimes(1);
    expect(api.createTransfer).toHaveBeenCalledWith(
      expect.objectContaining({ direction: 'upload', folder: '/', files: [{ path: 'Tree/a.txt', size: 1000 }] }),
    );
    expect(client.remove).toHaveBeenCalledWith('t1');
    const state = useTransfersStore.getState();
    expect(state.removed).toEqual({ t1: true });
    expect(state.byId.t1).toBeUndefined();
    expect(state.byId.t2?.status).toBe('queued');
  });

  it('keeps the failed row when the retry cannot be authorized, and says why', async () => {
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload(upload);
    emit({ status: 'failed', bytesDone: 10, bytesTotal: 1000 });
    api.createTransfer.mockRejectedValue(new ApiError({ code: 'FORBIDDEN', message: 'You may not upload here.', status: 403 }));
    await runner.retry(record({ status: 'failed' }));
    expect(useTransfersStore.getState().removed).toEqual({});
    expect(useTransfersStore.getState().toasts.at(-1)).toMatchObject({
      title: 'Could not start again',
      subtitle: 'Tree: You may not upload here.',
    });
    expect(runner.canRetry(record({ status: 'failed' }))).toBe(true);
  });

  it('fails clearly when no client can carry it, and when the client refuses to start', async () => {
    api.createTransfer.mockResolvedValue({ ...created(), clients: [] });
    const { client } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload(upload);
    expect(client.start).not.toHaveBeenCalled();
    expect(useTransfersStore.getState().byId.t1).toMatchObject({ status: 'failed', error: { code: 'CLIENT_UNAVAILABLE' } });

    api.createTransfer.mockResolvedValue(created({ id: 't1' }));
    client.start.mockRejectedValueOnce(Object.assign(new Error('Choose at least one file to upload.'), { code: 'BAD_REQUEST' }));
    const second = createTransferRunner(new QueryClient(), client);
    await second.startUpload(upload);
    expect(api.reportTransfer).toHaveBeenCalledWith('t1', { status: 'failed', error: 'Choose at least one file to upload.' });
  });

  it('cancels through the client, or through the portal when this page no longer runs it', async () => {
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    await runner.startUpload(upload);
    client.stop.mockImplementationOnce(async () => void emit({ status: 'cancelled', bytesDone: 10, bytesTotal: 1000 }));
    await runner.cancel(record({ status: 'running' }));
    expect(api.reportTransfer).toHaveBeenCalledWith('t1', { status: 'cancelled' });

    api.reportTransfer.mockClear();
    client.stop.mockRejectedValueOnce(Object.assign(new Error('not here'), { code: 'UNKNOWN_TRANSFER' }));
    await runner.cancel(record({ id: 'old', status: 'running' }));
    expect(api.reportTransfer).toHaveBeenCalledWith('old', { status: 'cancelled' });
    expect(useTransfersStore.getState().byId.old?.status).toBe('cancelled');
  });

  it('retries a gateway upload whose session the node holds by resuming it, not by a new authorization', async () => {
    const { client, emit } = fakeClient();
    const canContinue = vi.fn((id: string) => id === 't1');
    const gateway: TransferClient = { ...client, canContinue };
    const runner = createTransferRunner(new QueryClient(), gateway);
    await runner.startUpload(upload);
    emit({ status: 'failed', bytesDone: 400, bytesTotal: 1000, error: { code: 'NETWORK_ERROR', message: 'lost' } });
    const failed = record({ status: 'failed' });
    expect(runner.retryKind(failed)).toBe('resume');
    api.createTransfer.mockClear();
    await runner.retry(failed);
    expect(client.resume).toHaveBeenCalledWith('t1');
    expect(api.createTransfer).not.toHaveBeenCalled();
    // Without a held session (cancelled, or v3) Retry starts again.
    canContinue.mockReturnValue(false);
    expect(runner.retryKind(failed)).toBe('restart');
  });

  it('downloads the paths of a record again after a reload, when nothing of it is left in the page', async () => {
    const { client } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    const old = record({ id: 'd0', direction: 'download', paths: ['/a.txt'], status: 'failed' });
    expect(runner.canRetry(old)).toBe(true);
    expect(runner.canRetry(record({ id: 'u0', status: 'failed' }))).toBe(false);
    expect(runner.retryKind(old)).toBe('restart');
    api.createTransfer.mockResolvedValue(created({ id: 'd1', direction: 'download' }));
    await runner.retry(old);
    expect(api.createTransfer).toHaveBeenCalledWith({ spaceId: 's1', direction: 'download', paths: ['/a.txt'] });
  });

  it('uploads files chosen again for an upload whose files went with a reload, into the same folder', async () => {
    const { client } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    const old = record({ id: 'u0', status: 'failed', folder: '/In' });
    expect(runner.retryKind(old)).toBe('choose-files');
    api.createTransfer.mockResolvedValue(created({ id: 'u1' }));
    const file = new File(['x'.repeat(7)], 'a.txt');
    await runner.retry(old, [{ file, path: 'Tree/a.txt' }]);
    expect(api.createTransfer).toHaveBeenCalledWith(
      expect.objectContaining({ spaceId: 's1', direction: 'upload', folder: '/In', files: [{ path: 'Tree/a.txt', size: 7 }] }),
    );
    expect(client.start).toHaveBeenCalledWith(expect.objectContaining({ transferId: 'u1', sources: [{ file, path: 'Tree/a.txt' }] }));
  });

  it('when the page goes, reports the gateway uploads it carries as interrupted by it, once, with keepalive', async () => {
    const { client, emit } = fakeClient();
    const runner = createTransferRunner(new QueryClient(), client);
    api.createTransfer.mockResolvedValue(created());
    await runner.startUpload(upload);
    emit({ status: 'running', bytesDone: 10, bytesTotal: 1000 });
    api.reportTransfer.mockClear();
    runner.pageClosed();
    runner.pageClosed();
    expect(api.reportTransfer.mock.calls).toEqual([['t1', { status: 'failed', pageClosed: true }, { keepalive: true }]]);
  });

  describe('with IBM Aspera for Desktop', () => {
    function desktopClient() {
      const { client: base, emit } = fakeClient();
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
    const both = { clients: [{ type: 'desktop' as const }, { type: 'http-gateway' as const, url: 'http://node:9092/gateway' }] };
    const picked = { ...upload, sources: [], localItems: [{ localPath: '/home/me/Tree', name: 'Tree', size: 0, type: 'directory' }] };

    it('gives Desktop the local paths it picked when it runs and the node allows it, and says so', async () => {
      api.createTransfer.mockResolvedValue({ ...created(), ...both });
      const gateway = fakeClient();
      const desktop = desktopClient();
      const runner = createTransferRunner(new QueryClient(), gateway.client);
      runner.desktop.attach(desktop.client);
      useTransfersStore.setState({ desktop: { available: true, state: 'running' } });
      await runner.startUpload(picked);
      expect(gateway.client.start).not.toHaveBeenCalled();
      expect(desktop.client.start.mock.calls[0]![0]).toMatchObject({ localPaths: [{ source: '/home/me/Tree', destination: 'Tree' }] });
      expect(desktop.client.start.mock.calls[0]![0].sources).toBeUndefined();
      expect(api.createTransfer.mock.calls[0]![0]).toMatchObject({ files: [{ path: 'Tree', size: 0 }] });
      expect(useTransfersStore.getState().carriers.t1?.kind).toBe('desktop');
      desktop.emit({ status: 'running', bytesDone: 10, bytesTotal: 1000 });
      expect(api.reportTransfer).toHaveBeenCalledWith('t1', { status: 'running', client: 'desktop' });
    });

    it('pauses and resumes through Desktop, and Retry of a failed Desktop transfer resumes it: no new authorization', async () => {
      api.createTransfer.mockResolvedValue({ ...created(), ...both });
      const gateway = fakeClient();
      const desktop = desktopClient();
      const client = { ...desktop.client, capabilities: { pause: true, resume: true, perFileProgress: true, nativeFilePicking: true } };
      const runner = createTransferRunner(new QueryClient(), gateway.client);
      runner.desktop.attach(client);
      useTransfersStore.setState({ desktop: { available: true, state: 'running' } });
      await runner.startUpload(picked);
      const row = record({ client: 'desktop', status: 'running' });
      expect(runner.canPause(row)).toBe(true);
      expect(runner.canPause(record({ id: 'other', client: 'http-gateway' }))).toBe(false);
      await runner.pause(row);
      expect(client.pause).toHaveBeenCalledWith('t1');
      desktop.emit({ status: 'paused', bytesDone: 10, bytesTotal: 1000 });
      expect(useTransfersStore.getState().announcement.text).toBe('Tree: paused.');

      desktop.emit({ status: 'failed', bytesDone: 10, bytesTotal: 1000, error: { code: 'TRANSFER_FAILED', message: 'lost' } });
      expect(api.reportTransfer).toHaveBeenCalledWith('t1', { status: 'failed', error: 'lost' });
      const failed = record({ client: 'desktop', status: 'failed' });
      expect(runner.retryKind(failed)).toBe('resume');
      api.createTransfer.mockClear();
      api.reportTransfer.mockClear();
      await runner.retry(failed);
      expect(client.resume).toHaveBeenCalledWith('t1');
      expect(api.createTransfer).not.toHaveBeenCalled();
      // Followed again: its next `running` reopens the record.
      desktop.emit({ status: 'running', bytesDone: 20, bytesTotal: 1000 });
      expect(api.reportTransfer).toHaveBeenCalledWith('t1', { status: 'running', client: 'desktop' });
    });

    it('falls back to the gateway when Desktop is not running, or for files the browser read, or when the person chose it', async () => {
      api.createTransfer.mockResolvedValue({ ...created(), ...both });
      const gateway = fakeClient();
      const desktop = desktopClient();
      const runner = createTransferRunner(new QueryClient(), gateway.client);
      runner.desktop.attach(desktop.client);
      useTransfersStore.setState({ desktop: { available: false, state: 'failed', reason: 'IBM Aspera for Desktop was not found.' } });
      await runner.startUpload(upload);
      expect(useTransfersStore.getState().carriers.t1).toEqual({
        kind: 'http-gateway',
        reason: 'IBM Aspera for Desktop was not found: using the browser (HTTP Gateway).',
      });

      useTransfersStore.setState({ desktop: { available: true, state: 'running' } });
      await runner.startUpload(upload);
      expect(useTransfersStore.getState().carriers.t1?.reason).toMatch(/go through the browser/);

      useTransfersStore.setState({ preference: 'http-gateway' });
      await runner.startDownload({ spaceId: 's1', paths: ['/a.txt'] });
      expect(useTransfersStore.getState().carriers.t1).toMatchObject({
        kind: 'http-gateway',
        reason: 'You chose the browser (HTTP Gateway).',
      });
      expect(gateway.client.start).toHaveBeenCalledTimes(3);
      expect(desktop.client.start).not.toHaveBeenCalled();
    });

    it('learns which spaces take Desktop, and fails Desktop-picked files clearly where the node does not', async () => {
      const gateway = fakeClient();
      const desktop = desktopClient();
      const runner = createTransferRunner(new QueryClient(), gateway.client);
      runner.desktop.attach(desktop.client);
      useTransfersStore.setState({ desktop: { available: true, state: 'running' } });
      expect(runner.desktopAllowed('s1')).toBeUndefined();
      await runner.startUpload(picked);
      expect(runner.desktopAllowed('s1')).toBe(false);
      expect(desktop.client.start).not.toHaveBeenCalled();
      expect(useTransfersStore.getState().byId.t1).toMatchObject({
        status: 'failed',
        error: { message: expect.stringMatching(/through the browser only/) },
      });
    });
  });
});
