import { queryOptions } from '@tanstack/react-query';
import type { Addon, AddonInput, Plan, PlanInput } from '@telehall/contracts';
import { staffApi } from './client';
import { queryKeys } from './keys';

/** Staff catalog management: every version of every plan and add-on. */

const enc = encodeURIComponent;

export const adminPlansQuery = () =>
  queryOptions({
    queryKey: queryKeys.catalog.adminPlans(),
    queryFn: ({ signal }) => staffApi.get<{ items: Plan[] }>('/api/admin/catalog/plans', { signal }),
    select: (data) => data.items,
  });

export const adminAddonsQuery = () =>
  queryOptions({
    queryKey: queryKeys.catalog.adminAddons(),
    queryFn: ({ signal }) => staffApi.get<{ items: Addon[] }>('/api/admin/catalog/addons', { signal }),
    select: (data) => data.items,
  });

export function createPlan(body: PlanInput): Promise<Plan> {
  return staffApi.post<Plan>('/api/admin/catalog/plans', body);
}

/** Writes a new version; lines on the old version keep its terms. */
export function revisePlan(id: string, body: PlanInput): Promise<Plan> {
  return staffApi.put<Plan>(`/api/admin/catalog/plans/${enc(id)}`, body);
}

export function setPlanActive(id: string, active: boolean): Promise<Plan> {
  return staffApi.patch<Plan>(`/api/admin/catalog/plans/${enc(id)}`, { active });
}

export function createAddon(body: AddonInput): Promise<Addon> {
  return staffApi.post<Addon>('/api/admin/catalog/addons', body);
}

/** Writes a new version; packs already bought keep their terms. */
export function reviseAddon(id: string, body: AddonInput): Promise<Addon> {
  return staffApi.put<Addon>(`/api/admin/catalog/addons/${enc(id)}`, body);
}
