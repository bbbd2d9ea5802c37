import { queryOptions, useQuery } from '@tanstack/react-query';
import type { User } from '../../../../contract/session';
import { api } from '../../../lib/api-client';

/** Everyone, for the "who" filters. */
export function useAllUsers() {
  return useQuery(
    queryOptions({
      queryKey: ['admin', 'users'],
      queryFn: async ({ signal }) => (await api.get<{ users: User[] }>('/api/users', { signal })).users,
      staleTime: 60_000,
    }),
  );
}
