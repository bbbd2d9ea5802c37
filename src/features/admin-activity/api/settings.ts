import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RuntimeSetting, RuntimeSettingKey } from '../../../../contract/runtime-settings';
import { api } from '../../../lib/api-client';

export const adminSettingsKey = ['admin', 'settings'] as const;

export function adminSettingsQueryOptions() {
  return queryOptions({
    queryKey: adminSettingsKey,
    queryFn: async ({ signal }) => (await api.get<{ settings: RuntimeSetting[] }>('/api/admin/settings', { signal })).settings,
  });
}

export function useAdminSettings() {
  return useQuery(adminSettingsQueryOptions());
}

/** Stores a value, or null to go back to the environment's default. */
export function useUpdateSetting() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ key, value }: { key: RuntimeSettingKey; value: number | null }) =>
      api.put<RuntimeSetting>(`/api/admin/settings/${key}`, { value }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminSettingsKey }),
  });
}
