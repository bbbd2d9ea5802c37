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
 * `resume` continues where it stopped (Desktop, and a gateway upload whose session the node still
 * holds, docs/http-gateway.md §11); `restart` sends it all again from the beginning (v3 cannot
 * resume, docs/http-gateway.md §8); `choose-files` is an upload this page no
 * longer holds the files of (it was reloaded): they must be chosen again; `resume-files` is one
 * whose upload session the node still holds, so the same files chosen again continue it.
 */
export type RetryKind = 'resume' | 'resume-files' | 'restart' | 'choose-files';

export function retryKind(engine: EngineState, record: TransferRecord): RetryKind {
  const client = clientOf(engine, record);
  if (client.capabilities.resume) return 'resume';
  // `resume-files`: the gateway upload's session is on the node, but this page was reloaded: the
  // same files, chosen again, continue it.
  if (client.canContinue?.(record.id)) return engine.started.has(record.id) || record.direction === 'download' ? 'resume' : 'resume-files';
  if (record.direction === 'download' || engine.started.get(record.id)?.start.direction === 'upload') return 'restart';
  return 'choose-files';
}

/** Whether Retry can go without asking for anything: not when the files must be chosen again. */
export function canRetry(engine: EngineState, record: TransferRecord): boolean {
  const kind = retryKind(engine, record);
  return kind !== 'choose-files' && kind !== 'resume-files';
}

/**
 * After a reload, the files chosen again continue the upload's session through the gateway client,
 * which refuses files that are not the same (another size or modification time). The transfer is
 * followed again as one this page started.
 */
async function resumeWithFiles(engine: EngineState, record: TransferRecord, sources: UploadSource[]): Promise<void> {
  // A package's upload belongs to no space; it is sent again from the Send page instead.
  const { spaceId } = record;
  if (spaceId === null) return;
  engine.started.set(record.id, {
    spaceId,
    title: record.title,
    start: { direction: 'upload', input: { spaceId, folder: record.folder, sources, emptyFolders: [] } },
    client: engine.gateway,
    reportedRunning: false,
    quarter: 0,
    ended: false,
  });
  try {
    await engine.gateway.resume(record.id, sources);
  } catch (error) {
    engine.started.delete(record.id);
    store().pushToast({ kind: 'error', title: 'Not resumed', subtitle: `${record.title}: ${(error as Error).message}` });
  }
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
    if (sources && retryKind(engine, record) === 'resume-files') return await resumeWithFiles(engine, record, sources);
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
