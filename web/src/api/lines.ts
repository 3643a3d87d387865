import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { Balance, LedgerEntryView, Line, UsageRecord, UsageSummary } from '@telehall/contracts';
import { staffApi } from './client';
import { queryKeys, type RecordFilters } from './keys';

/** Staff views of a subscriber line: search, allowances, usage, ledger, balance adjustments. */

const enc = encodeURIComponent;

export const adminLineSearchQuery = (msisdn: string) =>
  queryOptions({
    queryKey: queryKeys.adminLines.search(msisdn),
    queryFn: ({ signal }) => staffApi.get<{ items: Line[] }>('/api/admin/lines', { signal, query: { msisdn } }),
    select: (data) => data.items,
    enabled: msisdn !== '',
  });

export const adminLineQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.adminLines.line(id),
    queryFn: ({ signal }) => staffApi.get<Line>(`/api/admin/lines/${enc(id)}`, { signal }),
  });

export const adminUsageQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.adminLines.usage(id),
    queryFn: ({ signal }) => staffApi.get<UsageSummary>(`/api/admin/lines/${enc(id)}/usage`, { signal }),
  });

export const adminRecordsQuery = (id: string, filters: RecordFilters, limit = 50) =>
  infiniteQueryOptions({
    queryKey: queryKeys.adminLines.records(id, filters),
    queryFn: ({ signal, pageParam }) =>
      staffApi.get<{ items: UsageRecord[]; nextCursor: string | null }>(`/api/admin/lines/${enc(id)}/usage/records`, {
        signal,
        query: { limit, cursor: pageParam, type: filters.type, from: filters.from, to: filters.to },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const adminLedgerQuery = (id: string, limit = 50) =>
  infiniteQueryOptions({
    queryKey: queryKeys.adminLines.ledger(id),
    queryFn: ({ signal, pageParam }) =>
      staffApi.get<{ items: LedgerEntryView[]; nextCursor: string | null }>(`/api/admin/lines/${enc(id)}/ledger`, {
        signal,
        query: { limit, cursor: pageParam },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

/**
 * Credit (positive) or debit (negative) a line's balance with a reason.
 * One `idempotencyKey` per adjustment attempt, reused on its retries.
 * @throws ApiError 403 without `balance.adjust`, 400 `invalid_data`
 */
export function adjustBalance(id: string, body: { amountFen: number; reason: string }, idempotencyKey: string): Promise<Balance> {
  return staffApi.post<Balance>(`/api/admin/lines/${enc(id)}/adjustments`, body, { headers: { 'Idempotency-Key': idempotencyKey } });
}

/** Close a line (the subscriber leaves); audited. */
export function closeLine(id: string, reason: string): Promise<{ lineId: string; closedAt: string }> {
  return staffApi.post<{ lineId: string; closedAt: string }>(`/api/admin/lines/${enc(id)}/close`, { reason });
}
