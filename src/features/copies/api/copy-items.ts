import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CopyRequest, TransferRecord } from '../../../../contract/transfers';
import { api } from '../../../lib/api-client';
import { spaceFilesKey, transfersKey } from '../../../lib/query-keys';

export type CopyInput = CopyRequest & { spaceId: string };

/** Copy or Move items node to node (`POST /api/spaces/:id/copy`); the record joins the user's transfers. */
export function copyItems({ spaceId, ...body }: CopyInput): Promise<TransferRecord> {
  return api.post<{ transfer: TransferRecord }>(`/api/spaces/${encodeURIComponent(spaceId)}/copy`, body).then((answer) => answer.transfer);
}

export function useCopyItems() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: copyItems,
    // The tray and the Transfers page list it at once; the tracker's events then carry its progress.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: transfersKey }),
    onSettled: (_data, _error, input) => queryClient.invalidateQueries({ queryKey: spaceFilesKey(input.to.spaceId) }),
  });
}
