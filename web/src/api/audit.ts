import { infiniteQueryOptions } from '@tanstack/react-query';
import type { AuditEntry } from '@telehall/contracts';
import { staffApi } from './client';
import { queryKeys, type AuditFilters } from './keys';

/** The audit log of staff (and system) actions. */

export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

export const auditQuery = (filters: AuditFilters, limit = 50) =>
  infiniteQueryOptions({
    queryKey: queryKeys.audit.list(filters),
    queryFn: ({ signal, pageParam }) =>
      staffApi.get<AuditPage>('/api/admin/audit-log', { signal, query: { limit, cursor: pageParam, ...filters } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
