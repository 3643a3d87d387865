import { queryOptions } from '@tanstack/react-query';
import type {
  CheckinResult, Coupon, EarningRule, EarningRuleInput, LoyaltyDashboard, PointEvent, PointsChange, PointsSummary, Redemption, Reward, RewardInput, RewardPatch,
} from '@telehall/contracts';
import { staffApi, subscriberApi } from './client';
import { queryKeys } from './keys';

/** Loyalty: points of the selected line, the rewards mall and the coupon wallet (subscriber); rules, rewards, members, dashboard (console). */

export const pointsQuery = (lineId: string) =>
  queryOptions({
    queryKey: queryKeys.loyalty.points(lineId),
    queryFn: ({ signal }) => subscriberApi.get<PointsSummary>('/api/me/points', { signal, query: { lineId } }),
  });

export const pointHistoryQuery = (lineId: string) =>
  queryOptions({
    queryKey: queryKeys.loyalty.history(lineId),
    queryFn: ({ signal }) => subscriberApi.get<{ items: PointEvent[]; nextCursor: string | null }>('/api/me/points/history', { signal, query: { lineId, limit: 100 } }),
    select: (d) => d.items,
  });

export const rewardsQuery = () =>
  queryOptions({
    queryKey: queryKeys.loyalty.rewards(),
    queryFn: ({ signal }) => subscriberApi.get<{ items: Reward[] }>('/api/me/rewards', { signal }),
    select: (d) => d.items,
  });

export const couponsQuery = (lineId: string) =>
  queryOptions({
    queryKey: queryKeys.loyalty.coupons(lineId),
    queryFn: ({ signal }) => subscriberApi.get<{ items: Coupon[] }>('/api/me/coupons', { signal, query: { lineId } }),
    select: (d) => d.items,
  });

export const checkIn = (lineId: string) => subscriberApi.post<CheckinResult>('/api/me/points/checkin', { lineId });

/** Redeem; the key makes a double tap one redemption. */
export const redeem = (body: { lineId: string; rewardId: string }, idempotencyKey: string) =>
  subscriberApi.post<Redemption>('/api/me/redemptions', body, { headers: { 'Idempotency-Key': idempotencyKey } });

// console ---------------------------------------------------------------------
export const adminRulesQuery = () =>
  queryOptions({
    queryKey: queryKeys.loyalty.adminRules(),
    queryFn: ({ signal }) => staffApi.get<{ items: EarningRule[] }>('/api/admin/loyalty/rules', { signal }),
    select: (d) => d.items,
  });
export const saveRule = (body: EarningRuleInput) => staffApi.post<EarningRule>('/api/admin/loyalty/rules', body);

export const adminRewardsQuery = () =>
  queryOptions({
    queryKey: queryKeys.loyalty.adminRewards(),
    queryFn: ({ signal }) => staffApi.get<{ items: Reward[] }>('/api/admin/loyalty/rewards', { signal }),
    select: (d) => d.items,
  });
export const createReward = (body: RewardInput) => staffApi.post<Reward>('/api/admin/loyalty/rewards', body);
export const updateReward = (id: string, body: RewardPatch) => staffApi.patch<Reward>(`/api/admin/loyalty/rewards/${encodeURIComponent(id)}`, body);

export const dashboardQuery = () =>
  queryOptions({
    queryKey: queryKeys.loyalty.dashboard(),
    queryFn: ({ signal }) => staffApi.get<LoyaltyDashboard>('/api/admin/loyalty/dashboard', { signal }),
  });

export const linePointsQuery = (lineId: string) =>
  queryOptions({
    queryKey: queryKeys.loyalty.linePoints(lineId),
    queryFn: ({ signal }) => staffApi.get<PointsSummary>(`/api/admin/lines/${encodeURIComponent(lineId)}/points`, { signal }),
  });
export const lineHistoryQuery = (lineId: string) =>
  queryOptions({
    queryKey: queryKeys.loyalty.lineHistory(lineId),
    queryFn: ({ signal }) => staffApi.get<{ items: PointEvent[]; nextCursor: string | null }>(`/api/admin/lines/${encodeURIComponent(lineId)}/points/history`, { signal, query: { limit: 100 } }),
    select: (d) => d.items,
  });
export const grantPoints = (lineId: string, body: { points: number; reason: string }) => staffApi.post<PointsChange>(`/api/admin/lines/${encodeURIComponent(lineId)}/points/grant`, body);
export const clearPoints = (lineId: string, body: { points?: number; reason: string }) => staffApi.post<PointsChange>(`/api/admin/lines/${encodeURIComponent(lineId)}/points/clear`, body);
