import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdminUser, DeleteUserQuery, Group, LoginLock, UpdateUserRequest, UsersPage } from '../../../../contract/admin';
import { api } from '../../../lib/api-client';

const usersKey = ['admin', 'users'] as const;
const groupsKey = ['admin', 'groups'] as const;
const locksKey = ['admin', 'login-locks'] as const;

export interface UsersQuery {
  search: string;
  offset: number;
  limit: number;
}

/** One page of users, searched and paged on the server: the list may hold tens of thousands. */
export function useUsersPage(query: UsersQuery) {
  return useQuery({
    queryKey: [...usersKey, query],
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ offset: String(query.offset), limit: String(query.limit) });
      if (query.search.trim()) params.set('search', query.search.trim());
      return api.get<UsersPage>(`/api/users?${params.toString()}`, { signal });
    },
    // The old page stays on screen while the next one loads, so the table does not jump.
    placeholderData: keepPreviousData,
  });
}

function useRefresh(...keys: ReadonlyArray<readonly string[]>) {
  const queryClient = useQueryClient();
  return () => Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

export function useCreateUser() {
  const refresh = useRefresh(usersKey);
  return useMutation({
    mutationFn: (body: { username: string; displayName: string; password: string; email?: string; isAdmin: boolean }) =>
      api.post<AdminUser>('/api/users', body),
    onSuccess: refresh,
  });
}

export function useUpdateUser() {
  const refresh = useRefresh(usersKey);
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UpdateUserRequest }) =>
      api.patch<AdminUser>(`/api/users/${encodeURIComponent(id)}`, changes),
    onSuccess: refresh,
  });
}

export function useResetPassword() {
  return useMutation({
    mutationFn: (id: string) => api.post<{ password: string }>(`/api/users/${encodeURIComponent(id)}/password`),
  });
}

export function useDeleteUser() {
  const refresh = useRefresh(usersKey, groupsKey);
  return useMutation({
    mutationFn: ({ id, ...query }: { id: string } & DeleteUserQuery) =>
      api.delete(`/api/users/${encodeURIComponent(id)}?${new URLSearchParams(query).toString()}`),
    onSuccess: refresh,
  });
}

export function useLoginLocks() {
  return useQuery({
    queryKey: locksKey,
    queryFn: ({ signal }) => api.get<{ locks: LoginLock[] }>('/api/admin/login-locks', { signal }),
  });
}

export function useUnlock() {
  const refresh = useRefresh(locksKey);
  return useMutation({
    mutationFn: async (keys: string[]) => {
      for (const key of keys) await api.delete(`/api/admin/login-locks?key=${encodeURIComponent(key)}`);
    },
    onSuccess: refresh,
  });
}

export function useGroups() {
  return useQuery({
    queryKey: groupsKey,
    queryFn: ({ signal }) => api.get<{ groups: Group[] }>('/api/groups', { signal }),
  });
}

export function useGroupAction() {
  const refresh = useRefresh(groupsKey);
  return useMutation({
    mutationFn: (
      action:
        | { kind: 'create'; name: string }
        | { kind: 'rename'; id: string; name: string }
        | { kind: 'delete'; id: string }
        | { kind: 'add' | 'remove'; id: string; userId: string },
    ) => {
      if (action.kind === 'create') return api.post('/api/groups', { name: action.name });
      const base = `/api/groups/${encodeURIComponent(action.id)}`;
      if (action.kind === 'rename') return api.patch(base, { name: action.name });
      if (action.kind === 'delete') return api.delete(base);
      const member = `${base}/members/${encodeURIComponent(action.userId)}`;
      return action.kind === 'add' ? api.put(member) : api.delete(member);
    },
    onSuccess: refresh,
  });
}
