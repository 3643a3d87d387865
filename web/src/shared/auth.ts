import { useSyncExternalStore } from 'react';
import type { Tokens } from '@telehall/contracts';
import type { TokenStore } from '../api/tokens';

/** Re-renders when the tokens change (login, refresh, logout, another tab). */
export function useTokens(store: TokenStore): Tokens | null {
  return useSyncExternalStore(store.subscribe, store.get);
}
