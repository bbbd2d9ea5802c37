import type { CreateTransferResponse } from '../../../../contract/transfers';
import { createTransfer, type NewTransfer } from '../api/create-transfer';
import type { TransferStart } from './transfer-start';

/** Asks the portal for a new authorization (a spec with a fresh token) for these files or paths. */
export function authorize(start: TransferStart): Promise<CreateTransferResponse> {
  if (start.input.authorize) return start.input.authorize();
  if (start.direction === 'download')
    return createTransfer({
      spaceId: start.input.spaceId,
      direction: 'download',
      paths: start.input.paths,
      ...(start.input.allOf !== undefined ? { allOf: start.input.allOf, except: start.input.except ?? [] } : {}),
    });
  const { input } = start;
  const request: NewTransfer = {
    spaceId: input.spaceId,
    direction: 'upload',
    folder: input.folder,
    files: input.localItems?.length
      ? input.localItems.map((item) => ({ path: item.name, size: item.size }))
      : input.sources.map((s) => ({ path: s.path, size: s.file.size })),
    emptyFolders: input.emptyFolders,
    replace: input.replace ?? [],
  };
  return createTransfer(request);
}
