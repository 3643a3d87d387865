import { queryOptions } from '@tanstack/react-query';
import type { NotificationPreferences, NotificationPreferencesPatch } from '@telehall/contracts';
import { subscriberApi } from './client';
import { queryKeys } from './keys';

/** The subscriber's notification preferences and Web Push registration (the inbox is in inbox.ts). */

export const preferencesQuery = () =>
  queryOptions({
    queryKey: queryKeys.notifications.preferences(),
    queryFn: ({ signal }) => subscriberApi.get<NotificationPreferences>('/api/me/notification-preferences', { signal }),
  });
export const savePreferences = (patch: NotificationPreferencesPatch) => subscriberApi.put<NotificationPreferences>('/api/me/notification-preferences', patch);

function urlBase64ToUint8Array(base64: string): Uint8Array<ArrayBuffer> {
  const padded = (base64 + '='.repeat((4 - (base64.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(padded);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

export const pushSupported = () => typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/** Register the service worker, subscribe with the server's VAPID key and store the subscription. */
export async function enablePush(): Promise<void> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new Error('permission_denied');
  const reg = await navigator.serviceWorker.register('/sw.js');
  await navigator.serviceWorker.ready;
  const { publicKey } = await subscriberApi.get<{ publicKey: string }>('/api/push/vapid-public-key', { auth: false });
  const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: urlBase64ToUint8Array(publicKey) }));
  await subscriberApi.post('/api/me/push-subscriptions', sub.toJSON());
}
