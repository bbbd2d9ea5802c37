import type { FastifyBaseLogger } from 'fastify';
import { PAGE_CLOSED_ERROR } from '../../../contract/transfer-status';
import { NodeApiError } from '../../node-client/node-api-error';
import type { NodeClient } from '../../node-client/node-client';
import type { NodeTransfer } from '../../node-client/types';
import { bytesExpected } from '../../node-client/types';
import type { NodeClients } from '../nodes/node-clients';
import type { TransferRow, TransfersRepository } from './transfers-repository';

// Polling once a second matches ascli's progress recipe (docs/node-api.md §5) and keeps a finished
// transfer's record true within about a second; only nodes with unfinished transfers are polled.
const POLL_INTERVAL_MS = 1000;
// A transfer is started by the page right after it is authorized; one still not seen on its node
// an hour later belongs to a page closed before the first byte, and will not start any more.
export const UNSTARTED_TIMEOUT_MS = 3600_000;
// Live byte counts come from GET /ops/transfers/{id}; bound the calls one tick makes per node.
const MAX_LIVE_LOOKUPS = 50;
// A started transfer shows in the node's list within a tick or two; one still unmatched after a
// minute is looked up by its tag, each at most every 30 s, ten per pass and node.
const TAG_LOOKUP_AFTER_MS = 60_000;
const TAG_LOOKUP_EVERY_MS = 30_000;
const MAX_TAG_LOOKUPS = 10;
export const NODE_FORGOT_TRANSFER = 'The node no longer knows this transfer; its outcome is unknown.';

/**
 * Follows each node's `/ops/transfers` (scenario S7: iteration token + `Link`) and brings the
 * portal's records to the node's truth, so history is right after a reload and on another device.
 * A node transfer is matched to its record by the `courier.transfer_id` tag the portal put in the
 * transfer request, and only when node and direction agree.
 */
export function createTransferTracker(deps: {
  transfers: TransfersRepository;
  clients: NodeClients;
  log: FastifyBaseLogger;
  onChange: () => void;
  intervalMs?: number;
  /**
   * Runs a pass only where it must run: under the tracker's lease, so one portal instance of several
   * follows the nodes (docs/deployment.md §3). Default: always (one instance).
   */
  runOnce?: (pass: () => Promise<void>) => Promise<unknown>;
}) {
  const { transfers, clients, log, onChange } = deps;
  const endListeners = new Set<TransferEndListener>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  /** When each unmatched record was last looked up by its tag. */
  const lookedUp = new Map<string, number>();

  async function apply(nodeId: string, item: NodeTransfer, row?: TransferRow): Promise<boolean> {
    const transferId = courierTransferId(item);
    const current = row ?? (transferId ? await transfers.find(transferId) : undefined);
    if (!current || current.node_id !== nodeId) return false;
    const direction = item.start_spec?.direction;
    if (direction && direction !== (current.direction === 'upload' ? 'send' : 'receive')) return false;
    if (current.status === 'cancelled' || current.status === 'completed') return false;

    const patch = patchFrom(current, item);
    if (!patch) return false;
    // The page that sent the upload said it was closed: that stays the reason of the node's failure.
    if (patch.status === 'failed' && current.status === 'failed' && current.error === PAGE_CLOSED_ERROR) patch.error = PAGE_CLOSED_ERROR;
    if ((Object.keys(patch) as Array<keyof TransferRow>).every((k) => patch[k] === current[k])) return false;
    // Another tracker may have moved the record since it was read: then its consequences were its to run.
    if (!(await transfers.updateIfStatus(current.id, current.status, patch))) return false;
    if (patch.status !== 'running' && patch.status !== undefined && patch.status !== current.status)
      await tellEnded({ ...current, ...patch });
    return true;
  }

  /** One listener's failure is logged and neither stops tracking nor keeps the others from hearing. */
  async function tellEnded(ended: TransferRow): Promise<void> {
    for (const listener of [...endListeners])
      await listener(ended).catch((err: unknown) => log.warn({ err, transferId: ended.id }, 'a transfer end was not handled'));
  }

  async function syncNode(nodeId: string): Promise<boolean> {
    const { client } = await clients.forNode(nodeId);
    const cursor = await transfers.cursor(nodeId);
    // Summaries: file lists could make a page of a busy node tens of megabytes (docs/node-api.md §5 `view`).
    const { transfers: items, lastToken } = await client.followTransfers(cursor, { view: 'summary' });
    let changed = false;
    for (const item of items) changed = (await apply(nodeId, item)) || changed;
    if (lastToken !== cursor) await transfers.saveCursor(nodeId, lastToken);

    // Byte counts move without a new iteration token; ask for the running ones directly.
    const live = (await transfers.list({ nodeId, status: 'running', limit: MAX_LIVE_LOOKUPS })).filter((r) => r.node_transfer_id);
    for (const row of live) changed = (await followLive(client, nodeId, row)) || changed;
    return (await findByTag(client, nodeId)) || changed;
  }

  /**
   * Records the node's list never matched, looked up by their `courier.transfer_id` tag. Finding
   * one means the list skipped it: the node's history restarted (its state was wiped or it was
   * reinstalled) and its iteration tokens now run below our cursor, so the cursor starts over.
   */
  async function findByTag(client: NodeClient, nodeId: string): Promise<boolean> {
    const now = Date.now();
    const candidates = await transfers.unmatched(nodeId, now - TAG_LOOKUP_AFTER_MS, 200);
    const due = candidates.filter((r) => (lookedUp.get(r.id) ?? 0) <= now - TAG_LOOKUP_EVERY_MS).slice(0, MAX_TAG_LOOKUPS);
    let changed = false;
    let skipped = false;
    for (const row of due) {
      lookedUp.set(row.id, now);
      let items: NodeTransfer[];
      try {
        items = (await client.listTransfers({ tag: `courier.transfer_id=${row.id}`, view: 'summary', count: 10 })).transfers;
      } catch (err) {
        log.warn({ err, nodeId }, 'could not look a transfer up by its tag');
        break;
      }
      // A node that ignores the filter answers with others' transfers: only the tag decides. Of a
      // resumed upload's attempts (docs/http-gateway.md §11.4) the latest speaks for the record.
      const latest = items
        .filter((i) => courierTransferId(i) === row.id)
        .sort((a, b) => (b.start_time_usec ?? 0) - (a.start_time_usec ?? 0))[0];
      if (latest) {
        skipped = true;
        changed = (await apply(nodeId, latest, row)) || changed;
      }
    }
    for (const [id, at] of lookedUp) if (at < now - 10 * TAG_LOOKUP_EVERY_MS) lookedUp.delete(id);
    if (skipped) {
      log.warn({ nodeId }, "the node's transfer list skipped a transfer (its history restarted?); reading it from the start");
      await transfers.saveCursor(nodeId, null);
    }
    return changed;
  }

  /**
   * A running record's transfer, asked for by its node id. A node that answers 404 no longer knows
   * it (its records were lost, or another node now answers at its URL): the transfer will never end
   * there, so it ends here. Any other failure is left for the next tick.
   */
  async function followLive(client: NodeClient, nodeId: string, row: TransferRow): Promise<boolean> {
    let item: NodeTransfer;
    try {
      item = await client.getTransfer(row.node_transfer_id as string);
    } catch (err) {
      if (!(err instanceof NodeApiError && err.kind === 'not_found')) return false;
      const patch = { status: 'failed', error: NODE_FORGOT_TRANSFER, ended_at: Date.now() } as const;
      if (!(await transfers.updateIfStatus(row.id, 'running', patch))) return false;
      // Its listeners hear of it as of any other end: a package or a copy waiting on it ends too.
      await tellEnded({ ...row, ...patch });
      return true;
    }
    return apply(nodeId, item, row);
  }

  async function tick(): Promise<void> {
    await (deps.runOnce ?? ((pass) => pass()))(pass);
  }

  async function pass(): Promise<void> {
    let changed = (await transfers.failUnstarted(Date.now() - UNSTARTED_TIMEOUT_MS, 'The transfer was authorized but never started.')) > 0;
    for (const nodeId of await transfers.nodesWithActiveTransfers()) {
      try {
        changed = (await syncNode(nodeId)) || changed;
      } catch (err) {
        log.warn({ err, nodeId }, 'could not follow the transfers of a node');
      }
    }
    if (changed) onChange();
  }

  /**
   * A pass that begins after this call (tests, and right after a client reports an end). One under
   * way may have read the records before the caller's change, so callers then share the next one.
   */
  function sync(): Promise<void> {
    if (!running) {
      running = tick().finally(() => (running = undefined));
      return running;
    }
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return sync();
      });
    return next;
  }

  return {
    sync,
    /**
     * Tells `listener` each time a record reaches an end as its node reports it (completed, failed or
     * cancelled), once per record and tracker, in the order listeners subscribed: a file request's
     * submission is announced then (docs/file-requests.md §4), a share link counts its completed
     * downloads (docs/sharing.md §5). Returns the unsubscribe.
     */
    onTransferEnded(listener: TransferEndListener): () => void {
      endListeners.add(listener);
      return () => endListeners.delete(listener);
    },
    start(): void {
      timer = setInterval(
        () => void sync().catch((err: unknown) => log.warn({ err }, 'transfer tracking failed')),
        deps.intervalMs ?? POLL_INTERVAL_MS,
      );
      timer.unref();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      await next;
      await running;
    },
  };
}

export type TransferTracker = ReturnType<typeof createTransferTracker>;
export type TransferEndListener = (row: TransferRow) => Promise<void>;

function courierTransferId(item: NodeTransfer): string | null {
  const courier = item.start_spec?.tags?.courier as { transfer_id?: unknown } | undefined;
  return typeof courier?.transfer_id === 'string' ? courier.transfer_id : null;
}

/** The record's new fields from the node's transfer object, or null when nothing changed. */
function patchFrom(row: TransferRow, item: NodeTransfer): Partial<TransferRow> | null {
  const ms = (usec: number | null | undefined) => (usec ? Math.floor(usec / 1000) : null);
  const bytes = item.bytes_transferred ?? row.bytes_transferred;
  const expected = bytesExpected(item) ?? row.bytes_expected;
  const errorCode = item.error_code ?? 0;
  let status: TransferRow['status'];
  let error: string | null = null;
  switch (item.status) {
    case 'completed':
      status = 'completed';
      break;
    case 'failed':
    case 'partially_completed':
      // docs/node-api.md §5: HSTS can report `failed` with error_code 0 and no description; ascli
      // counts that as success, and so do we.
      if (item.status === 'failed' && errorCode === 0 && !item.error_desc) status = 'completed';
      else {
        status = 'failed';
        error =
          item.error_desc ||
          (item.status === 'partially_completed' ? 'Some files were not transferred.' : 'The transfer failed on the node.');
      }
      break;
    case 'canceled':
      status = 'cancelled';
      break;
    default:
      status = 'running';
  }
  const patch: Partial<TransferRow> = {
    status,
    error,
    bytes_transferred: bytes,
    bytes_expected: expected,
    node_transfer_id: item.id,
    started_at: row.started_at ?? ms(item.start_time_usec) ?? Date.now(),
    ended_at: status === 'running' ? null : (ms(item.end_time_usec) ?? Date.now()),
  };
  const same = (Object.keys(patch) as Array<keyof TransferRow>).every((k) => patch[k] === row[k]);
  return same ? null : patch;
}
