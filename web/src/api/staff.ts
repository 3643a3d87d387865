import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type { CreateStaffUser, RoleInfo, StaffMe, StaffUser, UpdateStaffUser } from '@telehall/contracts';
import { staffApi } from './client';
import { queryKeys } from './keys';

/** Staff identity: who is signed in to the console, staff accounts and roles. */

export const staffMeQuery = () =>
  queryOptions({
    queryKey: queryKeys.staff.me(),
    queryFn: ({ signal }) => staffApi.get<StaffMe>('/api/admin/me', { signal }),
    staleTime: 60_000,
  });

export const staffUsersQuery = (limit = 100) =>
  infiniteQueryOptions({
    queryKey: queryKeys.staff.users(),
    queryFn: ({ signal, pageParam }) =>
      staffApi.get<{ items: StaffUser[]; nextCursor: string | null }>('/api/admin/users', {
        signal,
        query: { limit, cursor: pageParam },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const rolesQuery = () =>
  queryOptions({
    queryKey: queryKeys.staff.roles(),
    queryFn: ({ signal }) => staffApi.get<{ items: Static<typeof RoleInfo>[] }>('/api/admin/roles', { signal }),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
  });

export function createStaffUser(body: CreateStaffUser): Promise<StaffUser> {
  return staffApi.post<StaffUser>('/api/admin/users', body);
}

export function updateStaffUser(id: string, patch: UpdateStaffUser): Promise<StaffUser> {
  return staffApi.patch<StaffUser>(`/api/admin/users/${encodeURIComponent(id)}`, patch);
}
