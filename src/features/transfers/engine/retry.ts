import type { TransferRecord } from '../../../../contract/transfers';
import { ApiError } from '../../../lib/api-client';
import type { TransferClientEvent, UploadSource } from '../../../transfer-clients';
import { authorize } from './authorize';
import { remove } from './cancel';
import { clientOf, store, type EngineState } from './engine-state';
import { launch } from './launch';
import { resume } from './pause';
import type { TransferStart } from './transfer-start';

/**
 * What Retry does for a failed or cancelled transfer, so the row can say it before it is pressed:
 * `resume` continues where it stopped (Desktop); `restart` sends it all again from the beginning
 * (the gateway cannot resume, docs/http-gateway.md §8); `choose-files` is an upload this page no
 * longer holds the files of (it was reloaded): they must be chosen again.
 */
export type RetryKind = 'resume' | 'restart' | 'choose-files';

export function retryKind(engine: EngineState, record: TransferRecord): RetryKind {
  if (clientOf(engine, record).capabilities.resume) return 'resume';
  if (record.direction === 'download' || engine.started.get(record.id)?.start.direction === 'upload') return 'restart';
  return 'choose-files';
}

/** Whether Retry can go without asking for anything: not when the files must be chosen again. */
export function canRetry(engine: EngineState, record: TransferRecord): boolean {
  return retryKind(engine, record) !== 'choose-files';
}

/**
 * Desktop resumes where it stopped. Otherwise a new transfer with the same files (or paths), or
 * with `sources` chosen again, under a new authorization: the old token may be spent. The new row
 * takes the old one's place in the list.
 */
export async function retry(
  engine: EngineState,
  onEvent: (event: TransferClientEvent) => void,
  record: TransferRecord,
  sources?: UploadSource[],
): Promise<void> {
  if (engine.retrying.has(record.id)) return;
  engine.retrying.add(record.id);
  try {
    // Desktop no longer knowing it (removed from its list) falls back to starting again.
    if (!sources && retryKind(engine, record) === 'resume' && (await resume(engine, record))) return;
    // A package's transfer (no space) is retried only from what this page started.
    const spaceId = record.spaceId;
    const start: TransferStart | undefined =
      sources && spaceId !== null
        ? { direction: 'upload', input: { spaceId, folder: record.folder, sources, emptyFolders: [] } }
        : (engine.started.get(record.id)?.start ??
          (record.direction === 'download' && spaceId !== null
            ? { direction: 'download', input: { spaceId, paths: record.paths } }
            : undefined));
    if (!start) return;
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
