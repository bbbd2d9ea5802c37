// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { render, type Rendered } from '../testing/render';
import type { TransferClient, TransferClientEvent } from '../transfer-clients';
import { useDownloadProgress } from './use-download-progress';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

/** A client as far as the hook sees one: its listeners, which a test feeds events. */
function fakeClient() {
  const listeners = new Set<(event: TransferClientEvent) => void>();
  const client = {
    subscribe: (listener: (event: TransferClientEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as TransferClient;
  const emit = (event: TransferClientEvent) => act(() => listeners.forEach((l) => l(event)));
  return { client, emit, listeners };
}

function mount(gateway: TransferClient, desktop?: TransferClient) {
  const seen: { current: ReturnType<typeof useDownloadProgress> | null } = { current: null };
  function Probe() {
    seen.current = useDownloadProgress(gateway, desktop);
    return null;
  }
  view = render(<Probe />);
  return seen as { current: ReturnType<typeof useDownloadProgress> };
}

describe('useDownloadProgress', () => {
  it("folds only the followed transfer's events, from either client, and is busy until it ends", () => {
    const gateway = fakeClient();
    const desktop = fakeClient();
    const progress = mount(gateway.client, desktop.client);
    expect(progress.current).toMatchObject({ state: null, busy: false });

    act(() => progress.current.begin('plans.bin'));
    expect(progress.current).toMatchObject({ state: { title: 'plans.bin', status: 'authorizing', carrier: null }, busy: true });
    // Not followed yet: an event of any transfer is someone else's.
    gateway.emit({ transferId: 't1', status: 'running', bytesDone: 1, bytesTotal: 10 });
    expect(progress.current.state?.status).toBe('authorizing');

    act(() => progress.current.follow('t1', 'desktop'));
    gateway.emit({ transferId: 'other', status: 'completed', bytesDone: 10, bytesTotal: 10 });
    desktop.emit({ transferId: 't1', status: 'running', bytesDone: 4, bytesTotal: 10 });
    expect(progress.current).toMatchObject({ state: { status: 'running', bytesDone: 4, bytesTotal: 10, carrier: 'desktop' }, busy: true });
    desktop.emit({ transferId: 't1', status: 'failed', bytesDone: 4, bytesTotal: 10, error: { code: 'X', message: 'Disk full.' } });
    expect(progress.current).toMatchObject({ state: { status: 'failed', error: 'Disk full.' }, busy: false });
  });

  it('says a failure before any event, and stops listening when unmounted', () => {
    const gateway = fakeClient();
    const progress = mount(gateway.client);
    act(() => progress.current.begin('all.zip'));
    act(() => progress.current.fail('The link was revoked.'));
    expect(progress.current).toMatchObject({ state: { status: 'failed', error: 'The link was revoked.' }, busy: false });
    view?.unmount();
    view = undefined;
    expect(gateway.listeners.size).toBe(0);
  });
});
