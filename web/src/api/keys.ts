import type { Channel } from '@telehall/contracts';

export interface MessageFilters {
  channel?: Channel;
  recipient?: string;
}

export interface AuditFilters {
  actorId?: string;
  resourceType?: string;
  resourceId?: string;
  action?: string;
}

/**
 * The one query-key factory. Keys are hierarchical so invalidating a prefix
 * (e.g. `queryKeys.me.all`) refreshes everything under it.
 */
export const queryKeys = {
  me: {
    all: ['me'] as const,
    profile: () => [...queryKeys.me.all, 'profile'] as const,
    sessions: () => [...queryKeys.me.all, 'sessions'] as const,
  },
  staff: {
    all: ['staff'] as const,
    me: () => [...queryKeys.staff.all, 'me'] as const,
    users: () => [...queryKeys.staff.all, 'users'] as const,
    roles: () => [...queryKeys.staff.all, 'roles'] as const,
  },
  messages: {
    all: ['messages'] as const,
    list: (filters: MessageFilters) => [...queryKeys.messages.all, 'list', filters] as const,
  },
  audit: {
    all: ['audit'] as const,
    list: (filters: AuditFilters) => [...queryKeys.audit.all, 'list', filters] as const,
  },
  payments: {
    all: ['payments'] as const,
    lines: () => [...queryKeys.payments.all, 'lines'] as const,
    mine: () => [...queryKeys.payments.all, 'mine'] as const,
    one: (id: string) => [...queryKeys.payments.all, 'one', id] as const,
    autoTopup: (lineId: string) => [...queryKeys.payments.all, 'auto', lineId] as const,
    bills: () => [...queryKeys.payments.all, 'bills'] as const,
    bill: (id: string) => [...queryKeys.payments.all, 'bill', id] as const,
    admin: (filters: Record<string, string | undefined>) => [...queryKeys.payments.all, 'admin', filters] as const,
    reconciliation: (from: string, to: string) => [...queryKeys.payments.all, 'reconciliation', from, to] as const,
  },
};
