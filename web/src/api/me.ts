import { queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type { ChangePasswordRequest, Profile, ProfilePatch, Session } from '@telehall/contracts';
import { subscriberApi } from './client';
import { queryKeys } from './keys';

/** The signed-in subscriber: profile, password and sessions (devices). */

export const profileQuery = () =>
  queryOptions({
    queryKey: queryKeys.me.profile(),
    queryFn: ({ signal }) => subscriberApi.get<Profile>('/api/me', { signal }),
  });

export const sessionsQuery = () =>
  queryOptions({
    queryKey: queryKeys.me.sessions(),
    queryFn: ({ signal }) => subscriberApi.get<{ items: Session[] }>('/api/me/sessions', { signal }),
    select: (data) => data.items,
  });

export function updateProfile(patch: ProfilePatch): Promise<Profile> {
  return subscriberApi.patch<Profile>('/api/me', patch);
}

export function changePassword(body: Static<typeof ChangePasswordRequest>): Promise<void> {
  return subscriberApi.put('/api/me/password', body);
}

export function revokeSession(id: string): Promise<void> {
  return subscriberApi.delete(`/api/me/sessions/${encodeURIComponent(id)}`);
}
