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
  support: {
    all: ['support'] as const,
    myTickets: () => [...queryKeys.support.all, 'mine'] as const,
    myTicket: (id: string) => [...queryKeys.support.all, 'mine', id] as const,
    faq: (q: string) => [...queryKeys.support.all, 'faq', q] as const,
    queue: (filter: string) => [...queryKeys.support.all, 'queue', filter] as const,
    ticket: (id: string) => [...queryKeys.support.all, 'ticket', id] as const,
    canned: () => [...queryKeys.support.all, 'canned'] as const,
    agents: () => [...queryKeys.support.all, 'agents'] as const,
    adminFaq: () => [...queryKeys.support.all, 'admin-faq'] as const,
  },
  notifications: {
    all: ['notifications'] as const,
    inbox: () => [...queryKeys.notifications.all, 'inbox'] as const,
    preferences: () => [...queryKeys.notifications.all, 'preferences'] as const,
  },
  audit: {
    all: ['audit'] as const,
    list: (filters: AuditFilters) => [...queryKeys.audit.all, 'list', filters] as const,
  },
};
