import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MemberCandidate, Role, Space, SpaceMember } from '../../../../contract/spaces';
import { api } from '../../../lib/api-client';
import { spaceKey, spacesKey } from '../../../lib/query-keys';

const base = (spaceId: string) => `/api/spaces/${encodeURIComponent(spaceId)}`;
export const spaceMembersKey = (spaceId: string) => [...spaceKey(spaceId), 'members'] as const;

/** The space with the caller's role in it: the same request and key the files feature uses. */
export const useSpaceRole = (spaceId: string) =>
  useQuery(queryOptions({ queryKey: spaceKey(spaceId), queryFn: ({ signal }) => api.get<Space>(base(spaceId), { signal }) }));

export const useSpaceMembers = (spaceId: string) =>
  useQuery({
    queryKey: spaceMembersKey(spaceId),
    queryFn: async ({ signal }): Promise<SpaceMember[]> =>
      (await api.get<{ members: SpaceMember[] }>(`${base(spaceId)}/members`, { signal })).members,
  });

export const useMemberCandidates = (spaceId: string, q: string) =>
  useQuery({
    queryKey: [...spaceMembersKey(spaceId), 'candidates', q],
    queryFn: async ({ signal }): Promise<MemberCandidate[]> =>
      (await api.get<{ candidates: MemberCandidate[] }>(`${base(spaceId)}/member-candidates?q=${encodeURIComponent(q)}`, { signal }))
        .candidates,
    enabled: q.trim().length > 0,
  });

export type MemberChange = { principalType: 'user' | 'group'; principalId: string; role: Role };

export function usePutMember(spaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (member: MemberChange) => api.put<{ members: SpaceMember[] }>(`${base(spaceId)}/members`, member),
    onSuccess: (result) => queryClient.setQueryData(spaceMembersKey(spaceId), result.members),
  });
}

export function useRemoveMember(spaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (member: Pick<SpaceMember, 'principalType' | 'principalId'>) =>
      api.delete<null>(`${base(spaceId)}/members/${member.principalType}/${encodeURIComponent(member.principalId)}`),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: spaceMembersKey(spaceId) }),
        queryClient.invalidateQueries({ queryKey: spacesKey, exact: true }),
      ]),
  });
}
