import type { TransferRecord } from '../../../../contract/transfers';
import { clientOf, store, type EngineState } from './engine-state';
import { refreshAfter, report } from './report';

/** Stops a transfer through the client that carries it, or through the portal when none here does. */
export async function cancel(engine: EngineState, record: TransferRecord): Promise<void> {
  try {
    await clientOf(engine, record).stop(record.id);
  } catch (error) {
    const code = (error as { code?: string }).code;
    // Not running in this page (started before a reload, or on another device): the portal
    // cancels it on the node.
    if (code === 'UNKNOWN_TRANSFER') {
      store().apply({ transferId: record.id, status: 'cancelled', bytesDone: record.bytesTransferred, bytesTotal: record.bytesExpected });
      await report(engine.queryClient, record.id, { status: 'cancelled' });
      refreshAfter(engine.queryClient, record.spaceId, record.direction);
      return;
    }
    store().pushToast({ kind: 'error', title: 'Not cancelled', subtitle: (error as Error).message });
  }
}

/** Out of this page's list (the portal keeps the record) and out of its client. */
export function remove(engine: EngineState, record: TransferRecord): void {
  void clientOf(engine, record)
    .remove(record.id)
    .catch(() => undefined);
  engine.started.delete(record.id);
  store().forget(record.id);
  store().remove(record.id);
}
