import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { OpenApiDocument } from '../lib/read-api-document';

/** The portal's own OpenAPI document (`GET /api/openapi.json`): it changes only with a new version. */
export function apiDocumentQueryOptions() {
  return queryOptions({
    queryKey: ['openapi-document'] as const,
    queryFn: ({ signal }) => api.get<OpenApiDocument>('/api/openapi.json', { signal }),
    staleTime: Infinity,
  });
}

export function useApiDocument() {
  return useQuery(apiDocumentQueryOptions());
}
