import type { TransferRecord } from '../../../../contract/transfers';
import { ApiError } from '../../../lib/api-client';
import type { TransferClientEvent } from '../../../transfer-clients';
import { authorize } from './authorize';
import { remove } from './cancel';
import { store, type EngineState } from './engine-state';
import { launch } from './launch';
import type { TransferStart } from './transfer-start';

/** Downloads can always be asked again; uploads only while this page still holds their files. */
export function canRetry(engine: EngineState, record: TransferRecord): boolean {
  return record.direction === 'download' || engine.started.get(record.id)?.start.direction === 'upload';
}

/**
 * A new transfer with the same files (or paths), under a new authorization: the gateway cannot
 * resume, and the old token may be spent. The new row takes the old one's place in the list.
 */
export async function retry(engine: EngineState, onEvent: (event: TransferClientEvent) => void, record: TransferRecord): Promise<void> {
  if (engine.retrying.has(record.id)) return;
  engine.retrying.add(record.id);
  const start: TransferStart = engine.started.get(record.id)?.start ?? {
    direction: 'download',
    input: { spaceId: record.spaceId, paths: record.paths },
  };
  try {
    const response = await authorize(start);
    remove(engine, record);
    await launch(engine, onEvent, response, start);
  } catch (error) {
    const subtitle = error instanceof ApiError ? `${record.title}: ${error.message}` : record.title;
    store().pushToast({ kind: 'error', title: 'Could not start again', subtitle });
  } finally {
    engine.retrying.delete(record.id);
  }
}
