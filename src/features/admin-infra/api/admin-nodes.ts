import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdminNode, NodeAuthType, NodeTransferRow, TransferNode } from '../../../../contract/nodes';
import { api } from '../../../lib/api-client';

export const adminNodesKey = ['admin', 'nodes'] as const;

export const adminNodesQueryOptions = () =>
  queryOptions({
    queryKey: adminNodesKey,
    queryFn: ({ signal }) => api.get<{ nodes: AdminNode[] }>('/api/admin/nodes', { signal }).then((r) => r.nodes),
  });

export const useAdminNodes = () => useQuery(adminNodesQueryOptions());

export const nodeTransfersQueryOptions = (nodeId: string) =>
  queryOptions({
    queryKey: [...adminNodesKey, nodeId, 'transfers'],
    queryFn: ({ signal }) =>
      api.get<{ transfers: NodeTransferRow[] }>(`/api/nodes/${encodeURIComponent(nodeId)}/transfers`, { signal }).then((r) => r.transfers),
    // A view of what runs now: follow it while it is open.
    refetchInterval: 2000,
  });

export const useNodeTransfers = (nodeId: string) => useQuery(nodeTransfersQueryOptions(nodeId));

export interface NodeSettings {
  name: string;
  url: string;
  username: string;
  secret: string;
  gatewayUrl: string | null;
  /** The node user, or an access key (the portal then works inside the key's storage only). */
  authType: NodeAuthType;
  /** A3: per-person bearer tokens and node permissions mirrored from space roles (access keys only). */
  bearerTokens?: boolean;
  /** Where the node keeps packages (docs/packages.md §1); null clears it. Edit only. */
  packagesRoot?: string | null;
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: adminNodesKey });
}

export function useAddNode() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (node: NodeSettings) => api.post<TransferNode>('/api/nodes', node), onSuccess: refresh });
}

export function useUpdateNode() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, ...changes }: Partial<Omit<NodeSettings, 'name'>> & { id: string }) =>
      api.patch<TransferNode>(`/api/nodes/${encodeURIComponent(id)}`, changes),
    onSuccess: refresh,
  });
}

export function useRemoveNode() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: string) => api.delete<null>(`/api/nodes/${encodeURIComponent(id)}`),
    onSuccess: refresh,
  });
}
