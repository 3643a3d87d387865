import type { Tokens } from '@telehall/contracts';

/** Where one kind of principal (subscriber or staff) keeps its tokens. */
export interface TokenStore {
  get: () => Tokens | null;
  set: (tokens: Tokens | null) => void;
  subscribe: (listener: () => void) => () => void;
  /** Re-reads the persistent copy now, in case another tab changed it and its event has not arrived yet. */
  sync: () => void;
}

function parse(raw: string | null): Tokens | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Tokens> | null;
    return value && typeof value.accessToken === 'string' && typeof value.refreshToken === 'string'
      ? (value as Tokens)
      : null;
  } catch {
    return null;
  }
}

/**
 * Tokens persisted in localStorage under `key`. Other tabs see changes through
 * the `storage` event, so a logout or a rotated refresh token in one tab is
 * picked up by the others instead of replaying a spent refresh token.
 */
export function createTokenStore(key: string): TokenStore {
  const listeners = new Set<() => void>();
  let cachedRaw: string | null = localStorage.getItem(key);
  let cached = parse(cachedRaw);
  const notify = () => listeners.forEach((l) => l());

  const sync = () => {
    const raw = localStorage.getItem(key);
    if (raw === cachedRaw) return;
    cachedRaw = raw;
    cached = parse(raw);
    notify();
  };
  window.addEventListener('storage', (e) => {
    if (e.key === key || e.key === null) sync();
  });

  return {
    sync,
    get: () => cached,
    set: (tokens) => {
      cached = tokens;
      cachedRaw = tokens ? JSON.stringify(tokens) : null;
      if (cachedRaw) localStorage.setItem(key, cachedRaw);
      else localStorage.removeItem(key);
      notify();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

export const subscriberTokens = createTokenStore('telehall.sub');
export const staffTokens = createTokenStore('telehall.staff');
