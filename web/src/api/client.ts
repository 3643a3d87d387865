import i18n from '../i18n';
import { createApiClient } from './http';
import { staffTokens, subscriberTokens } from './tokens';

export { ApiError, type ApiClient } from './http';

// Server messages follow the UI language.
const language = () => i18n.language;

/** One refresh at a time across tabs, where the browser has Web Locks. */
function tabLock(name: string) {
  return <T>(fn: () => Promise<T>): Promise<T> =>
    typeof navigator !== 'undefined' && 'locks' in navigator ? navigator.locks.request(name, fn) : fn();
}

/** Subscriber app calls (tokens in localStorage `telehall.sub`). */
export const subscriberApi = createApiClient(subscriberTokens, { language, lock: tabLock('telehall.sub.refresh') });
/** Staff console calls (tokens in localStorage `telehall.staff`). */
export const staffApi = createApiClient(staffTokens, { language, lock: tabLock('telehall.staff.refresh') });
