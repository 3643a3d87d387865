import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { Addon, AddonOrder, Balance, Eligibility, Line, Plan, PlanChange, Recommendation, UsageRecord, UsageSummary } from '@telehall/contracts';
import { subscriberApi } from './client';
import { queryKeys, type RecordFilters } from './keys';

/** The subscriber's lines, balance, allowances, 详单, plan changes, add-ons and inbox. */

export type Timing = 'now' | 'next_cycle';

export interface InboxItem {
  id: string;
  category: string;
  template: string;
  title: string | null;
  body: string;
  read: boolean;
  createdAt: string;
}

export interface InboxPage {
  items: InboxItem[];
  unread: number;
  nextCursor: string | null;
}

export const linesQuery = () =>
  queryOptions({
    queryKey: queryKeys.lines.list(),
    queryFn: ({ signal }) => subscriberApi.get<{ items: Line[] }>('/api/me/lines', { signal }),
    select: (data) => data.items,
  });

export const balanceQuery = (lineId: string) =>
  queryOptions({
    queryKey: queryKeys.lines.balance(lineId),
    queryFn: ({ signal }) => subscriberApi.get<Balance>('/api/me/balance', { signal, query: { lineId } }),
  });

export const usageQuery = (lineId: string) =>
  queryOptions({
    queryKey: queryKeys.lines.usage(lineId),
    queryFn: ({ signal }) => subscriberApi.get<UsageSummary>('/api/me/usage', { signal, query: { lineId } }),
  });

export const usageRecordsQuery = (lineId: string, filters: RecordFilters, limit = 30) =>
  infiniteQueryOptions({
    queryKey: queryKeys.lines.records(lineId, filters),
    queryFn: ({ signal, pageParam }) =>
      subscriberApi.get<{ items: UsageRecord[]; nextCursor: string | null }>('/api/me/usage/records', {
        signal,
        query: { lineId, limit, cursor: pageParam, type: filters.type, from: filters.from, to: filters.to },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const plansQuery = () =>
  queryOptions({
    queryKey: queryKeys.catalog.plans(),
    queryFn: ({ signal }) => subscriberApi.get<{ items: Plan[] }>('/api/catalog/plans', { signal, auth: false }),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
  });

export const addonsQuery = () =>
  queryOptions({
    queryKey: queryKeys.catalog.addons(),
    queryFn: ({ signal }) => subscriberApi.get<{ items: Addon[] }>('/api/catalog/addons', { signal, auth: false }),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
  });

export const eligibilityQuery = (lineId: string, planId: string, when: Timing) =>
  queryOptions({
    queryKey: queryKeys.lines.eligibility(lineId, planId, when),
    queryFn: ({ signal }) => subscriberApi.get<Eligibility>('/api/me/plan-changes/eligibility', { signal, query: { lineId, planId, when } }),
    // The price depends on the balance at this moment: always ask again.
    staleTime: 0,
  });

export const planChangesQuery = () =>
  queryOptions({
    queryKey: queryKeys.lines.planChanges(),
    queryFn: ({ signal }) => subscriberApi.get<{ items: PlanChange[] }>('/api/me/plan-changes', { signal }),
    select: (data) => data.items,
  });

export const recommendationQuery = (lineId: string) =>
  queryOptions({
    queryKey: queryKeys.lines.recommendation(lineId),
    queryFn: ({ signal }) => subscriberApi.get<Recommendation>('/api/me/plan-recommendation', { signal, query: { lineId } }),
    staleTime: 10 * 60_000,
  });

export const notificationsQuery = (limit = 30) =>
  infiniteQueryOptions({
    queryKey: queryKeys.notifications.list(),
    queryFn: ({ signal, pageParam }) => subscriberApi.get<InboxPage>('/api/me/notifications', { signal, query: { limit, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

/** Just the unread count, for the home page badge. */
export const unreadQuery = () =>
  queryOptions({
    queryKey: queryKeys.notifications.unread(),
    queryFn: ({ signal }) => subscriberApi.get<InboxPage>('/api/me/notifications', { signal, query: { limit: 1 } }),
    select: (data) => data.unread,
  });

/**
 * Change plan now or from the next cycle; one `idempotencyKey` per confirmed attempt.
 * @throws ApiError 422 `plan_change_not_allowed` with `details.reasons`
 */
export function changePlan(body: { lineId: string; planId: string; when: Timing }, idempotencyKey: string): Promise<PlanChange> {
  return subscriberApi.post<PlanChange>('/api/me/plan-changes', body, { headers: { 'Idempotency-Key': idempotencyKey } });
}

/**
 * Buy an add-on from the balance. `idempotencyKey` belongs to one purchase
 * attempt: send the same key when retrying it, so it is charged once.
 * @throws ApiError 422 `insufficient_funds` | `line_suspended` | `addon_unavailable`
 */
export function buyAddon(body: { lineId: string; addonId: string; couponId?: string }, idempotencyKey: string): Promise<AddonOrder> {
  return subscriberApi.post<AddonOrder>('/api/me/orders', body, { headers: { 'Idempotency-Key': idempotencyKey } });
}

/** Mark the given notifications read, or all of them. */
export function markNotificationsRead(ids?: string[]): Promise<{ updated: number }> {
  return subscriberApi.post<{ updated: number }>('/api/me/notifications/read', ids ? { ids } : {});
}
