import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { AuditPage } from '../../../../contract/audit';
import { api } from '../../../lib/api-client';

export interface AuditFilters {
  userId: string;
  action: string;
  decision: '' | 'allow' | 'deny';
  /** `YYYY-MM-DD` from the date inputs, local time; empty for none. */
  from: string;
  to: string;
}

/** The filters as the API's query string (dates as ISO instants; `to` is the end of its day). */
export function auditSearch(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.userId) params.set('userId', filters.userId);
  if (filters.action) params.set('action', filters.action);
  if (filters.decision) params.set('decision', filters.decision);
  if (filters.from) params.set('from', new Date(`${filters.from}T00:00:00`).toISOString());
  if (filters.to) {
    const end = new Date(`${filters.to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    params.set('to', end.toISOString());
  }
  return params;
}

export function auditQueryOptions(filters: AuditFilters, page: number, pageSize: number) {
  const params = auditSearch(filters);
  params.set('offset', String((page - 1) * pageSize));
  params.set('limit', String(pageSize));
  return queryOptions({
    queryKey: ['admin', 'audit', params.toString()],
    queryFn: ({ signal }) => api.get<AuditPage>(`/api/admin/audit?${params.toString()}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useAuditPage(filters: AuditFilters, page: number, pageSize: number) {
  return useQuery(auditQueryOptions(filters, page, pageSize));
}

/** The export of the same filter: a plain link, so the browser's download manager takes it. */
export function auditCsvUrl(filters: AuditFilters): string {
  const query = auditSearch(filters).toString();
  return `/api/admin/audit.csv${query ? `?${query}` : ''}`;
}
