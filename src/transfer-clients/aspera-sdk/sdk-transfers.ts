import { isEnded } from '../../../contract/transfer-status';
import type { TransferClientEvent } from '../transfer-client';
import { createListenerSet } from '../transfer-listeners';
import { toClientEvent, toFileProgress } from './map-sdk-transfer';
import type { AsperaSdkGlobal, AsperaSdkTransfer, SdkTransferClient } from './sdk-types';

/** What the adapter knows of one portal transfer carried by the SDK. */
export interface Tracked {
  transferId: string;
  uuid?: string;
  client?: SdkTransferClient;
  direction?: 'send' | 'receive';
  last?: TransferClientEvent;
  /** §12.4: we stopped it; a gateway download that keeps going is not shown as running again. */
  stopped?: boolean;
  /** Stopped by `pause`: Desktop then says `cancelled`, which Courier shows as `paused` until resumed (§9). */
  paused?: boolean;
  removed?: boolean;
  provisional?: ReturnType<typeof setInterval>;
}

const POLL_MS = 100;

/**
 * Which Desktop transfers Courier paused, by SDK uuid, kept where a reload finds them: Desktop
 * restores a paused transfer as `cancelled` (its stop, §9), and only this tells the two apart.
 */
export interface PausedMemory {
  has(uuid: string): boolean;
  set(uuid: string, paused: boolean): void;
}

/** In the page's localStorage under one key (none, e.g. in a private window: the page's memory only). */
export function pausedMemory(storage: Storage | undefined, key: string): PausedMemory {
  let held = new Set<string>();
  try {
    held = new Set(JSON.parse(storage?.getItem(key) ?? '[]') as string[]);
  } catch {
    // Unreadable: nothing remembered.
  }
  return {
    has: (uuid) => held.has(uuid),
    set(uuid, paused) {
      if (paused === held.has(uuid)) return;
      if (paused) held.add(uuid);
      else held.delete(uuid);
      try {
        storage?.setItem(key, JSON.stringify([...held]));
      } catch {
        // Full or refused: remembered for this page only.
      }
    },
  };
}

/**
 * SDK activity → Courier events: one place that maps the SDK's transfer objects (copied, never
 * shared: §7), keys them by the portal's transfer id, and holds back what the SDK says too early
 * (§12.2) or repeats (§6).
 */
export function createSdkTransfers(
  graceMs: number,
  ensureStarted: () => Promise<AsperaSdkGlobal | null>,
  paused: PausedMemory = pausedMemory(undefined, ''),
) {
  const events = createListenerSet<TransferClientEvent>();
  const byTransferId = new Map<string, Tracked>();
  const byUuid = new Map<string, Tracked>();

  function emit(tracked: Tracked, event: TransferClientEvent): void {
    if (tracked.uuid) paused.set(tracked.uuid, event.status === 'paused');
    const last = tracked.last;
    // §6: a gateway failure is emitted up to 3 times; Desktop repeats identical updates too.
    if (
      last &&
      last.status === event.status &&
      last.bytesDone === event.bytesDone &&
      last.bytesTotal === event.bytesTotal &&
      last.handedToBrowser === event.handedToBrowser
    )
      return;
    tracked.last = event;
    events.emit({ ...event, ...(event.error ? { error: { ...event.error } } : {}) });
  }

  function track(transferId: string, uuid?: string): Tracked {
    let tracked = byTransferId.get(transferId);
    if (!tracked) byTransferId.set(transferId, (tracked = { transferId }));
    if (uuid && !tracked.uuid) {
      tracked.uuid = uuid;
      byUuid.set(uuid, tracked);
    }
    return tracked;
  }

  /** Keyed by the portal's id in the spec's tags, so events before `startTransfer` resolves and after a reload still land. */
  function onTransfer(live: AsperaSdkTransfer): void {
    if (!live || typeof live.uuid !== 'string') return;
    const tagged = live.transfer_spec?.tags?.courier?.transfer_id;
    const tracked = byUuid.get(live.uuid) ?? (typeof tagged === 'string' ? track(tagged, live.uuid) : undefined);
    if (!tracked || tracked.removed) return;
    tracked.client ??= live.transfer_client;
    tracked.direction ??= live.transfer_spec?.direction;
    tracked.paused ??= paused.has(live.uuid) || undefined;
    let event = toClientEvent(tracked.transferId, live);
    if (tracked.paused && event.status === 'cancelled') event = { ...event, status: 'paused' };
    if (tracked.stopped && tracked.client === 'http-gateway' && tracked.last?.status === 'cancelled') return; // §12.4
    if (live.status === 'removed' && tracked.last && isEnded(tracked.last.status)) return;
    // While a completion is provisional, only an outcome (failed, cancelled) may interrupt it.
    if (tracked.provisional && (event.status === 'completed' || event.status === 'running')) return;
    if (tracked.provisional) {
      clearInterval(tracked.provisional);
      tracked.provisional = undefined;
    }
    if (event.status === 'completed' && tracked.client === 'http-gateway' && tracked.direction === 'send') {
      holdProvisionalCompletion(tracked, live, event);
      return;
    }
    emit(tracked, event);
    if (tracked.client === 'desktop' && (event.status === 'completed' || event.status === 'failed'))
      void attachFiles(tracked, live.uuid, event);
  }

  // Desktop's per-file outcome, fetched once when the transfer ends (polling it while running
  // would cost an RPC per tick for every transfer); capped so a 20,000-file tree stays cheap.
  const FILES_LIMIT = 1000;
  async function attachFiles(tracked: Tracked, uuid: string, ended: TransferClientEvent): Promise<void> {
    const sdk = await ensureStarted();
    try {
      const list = await sdk?.getFilesList(uuid, { limit: FILES_LIMIT, offset: 0 });
      if (!list?.entries?.length || tracked.last !== ended || tracked.removed) return;
      const withFiles = { ...ended, files: toFileProgress(list.entries) };
      tracked.last = withFiles;
      events.emit({ ...withFiles, files: withFiles.files.map((f) => ({ ...f })), ...(ended.error ? { error: { ...ended.error } } : {}) });
    } catch {
      // An older Desktop without get_files_list: the transfer-level status stands.
    }
  }

  /**
   * §12.2 / §6: a gateway upload says `completed` when its body is sent, and may say `failed` after
   * the server answers. Report `running` at 100 % until the live object's `httpRequestId` shows an
   * answer arrived (no event fires for a success), or the grace period passes without a `failed`.
   */
  function holdProvisionalCompletion(tracked: Tracked, live: AsperaSdkTransfer, completed: TransferClientEvent): void {
    emit(tracked, { ...completed, status: 'running' });
    const since = Date.now();
    tracked.provisional = setInterval(() => {
      if (live.status !== 'completed') return; // a `failed` arrives through the activity callback
      if (live.httpRequestId !== undefined || Date.now() - since >= graceMs) {
        clearInterval(tracked.provisional);
        tracked.provisional = undefined;
        emit(tracked, toClientEvent(tracked.transferId, live));
      }
    }, POLL_MS);
  }

  function stopHolding(tracked: Tracked): void {
    clearInterval(tracked.provisional);
    tracked.provisional = undefined;
  }

  function forget(tracked: Tracked): void {
    tracked.removed = true;
    stopHolding(tracked);
    if (tracked.uuid) paused.set(tracked.uuid, false);
    byTransferId.delete(tracked.transferId);
    if (tracked.uuid) byUuid.delete(tracked.uuid);
  }

  return {
    subscribe: (listener: (event: TransferClientEvent) => void) => events.add(listener),
    emit,
    track,
    get: (transferId: string) => byTransferId.get(transferId),
    onTransfer,
    stopHolding,
    forget,
  };
}
